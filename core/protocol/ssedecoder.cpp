#include "core/protocol/ssedecoder.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cstring>

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcSse, "switchyard.protocol.ssedecoder")

constexpr QByteArrayView utf8Bom("\xEF\xBB\xBF");
// An unusually long line (a huge data payload) leaves a large allocation behind; give it back
// rather than holding it for the rest of a long-lived stream.
constexpr qsizetype maxRetainedLineCapacity = 64 * 1024;

const char *findOrEnd(const char *from, const char *end, char c)
{
    const void *hit = std::memchr(from, c, size_t(end - from));
    return hit ? static_cast<const char *>(hit) : end;
}

bool isAllDigits(QByteArrayView value)
{
    return !value.isEmpty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}
} // namespace

QList<SseEvent> SseDecoder::feed(QByteArrayView bytes)
{
    QList<SseEvent> events;
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    if (p == end) {
        return events;
    }
    if (m_skipLeadingLf) {
        m_skipLeadingLf = false;
        if (*p == '\n') {
            ++p;
        }
    }

    // Both positions are cached so that a stream using only one kind of terminator is still
    // scanned once, not once per line.
    const char *nextLf = findOrEnd(p, end, '\n');
    const char *nextCr = findOrEnd(p, end, '\r');
    while (p < end) {
        if (nextLf < p) {
            nextLf = findOrEnd(p, end, '\n');
        }
        if (nextCr < p) {
            nextCr = findOrEnd(p, end, '\r');
        }
        const char *const eol = std::min(nextLf, nextCr);
        if (eol == end) {
            m_line.append(p, end - p);
            break;
        }

        const QByteArrayView piece(p, eol - p);
        if (m_line.isEmpty()) {
            processLine(piece, events);
        } else {
            m_line.append(piece);
            processLine(m_line, events);
            if (m_line.capacity() > maxRetainedLineCapacity) {
                m_line.clear();
            } else {
                m_line.resize(0);
            }
        }

        p = eol + 1;
        if (*eol == '\r') {
            if (p == end) {
                m_skipLeadingLf = true;
            } else if (*p == '\n') {
                ++p;
            }
        }
    }
    return events;
}

void SseDecoder::processLine(QByteArrayView line, QList<SseEvent> &events)
{
    if (m_atStreamStart) {
        m_atStreamStart = false;
        if (line.startsWith(utf8Bom)) {
            line = line.sliced(utf8Bom.size());
        }
    }
    if (line.isEmpty()) {
        dispatch(events);
        return;
    }
    if (line.front() == ':') {
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        processField(line, {});
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' ')) {
        value = value.sliced(1);
    }
    processField(line.first(colon), value);
}

void SseDecoder::processField(QByteArrayView name, QByteArrayView value)
{
    if (name == QByteArrayView("data")) {
        if (m_hasData) {
            m_data.append('\n');
        }
        m_data.append(value);
        m_hasData = true;
    } else if (name == QByteArrayView("event")) {
        m_eventType = value.toByteArray();
    } else if (name == QByteArrayView("id")) {
        // The spec ignores ids containing NUL so that a NUL can never reach Last-Event-ID.
        if (!value.contains('\0')) {
            m_lastEventId = value.toByteArray();
        }
    } else if (name == QByteArrayView("retry")) {
        if (isAllDigits(value)) {
            bool ok = false;
            const qint64 ms = value.toLongLong(&ok);
            if (ok) {
                m_retryMs = ms;
            }
        }
    } else {
        qCDebug(lcSse) << "ignoring unknown event-stream field" << name;
    }
}

void SseDecoder::dispatch(QList<SseEvent> &events)
{
    if (m_hasData) {
        events.append(SseEvent {m_eventType, std::move(m_data), m_lastEventId});
    }
    m_data = QByteArray();
    m_hasData = false;
    m_eventType = QByteArray();
}

bool SseDecoder::hasPartialEvent() const
{
    return !m_line.isEmpty() || m_hasData || !m_eventType.isEmpty();
}

void SseDecoder::reset()
{
    *this = SseDecoder();
}

} // namespace Switchyard::Protocol
