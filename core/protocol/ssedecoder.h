#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace Switchyard::Protocol {

// One dispatched server-sent event. `event` is empty when the stream named no type (the
// default type "message"); `id` is the last event id seen on the stream, which per the
// event-stream rules carries over to later events until another `id:` line replaces it.
struct SseEvent
{
    QByteArray event;
    QByteArray data;
    QByteArray id;

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

// Incremental text/event-stream parser (WHATWG HTML "event stream interpretation"). Bytes may
// be split anywhere, including inside "\r\n" and inside multi-byte UTF-8 sequences: the
// decoder never decodes text, it only frames lines. Between feed() calls it keeps only the
// unfinished line and the fields of the event in progress, never the stream.
class SseDecoder
{
public:
    // Appends bytes and returns the events they completed, in order.
    QList<SseEvent> feed(QByteArrayView bytes);

    // True when bytes are buffered that do not yet form a complete event (stream cut mid-event).
    bool hasPartialEvent() const;

    // The reconnection time announced by the last valid `retry:` line, in milliseconds.
    std::optional<qint64> retryMs() const { return m_retryMs; }

    void reset();

private:
    void processLine(QByteArrayView line, QList<SseEvent> &events);
    void processField(QByteArrayView name, QByteArrayView value);
    void dispatch(QList<SseEvent> &events);

    QByteArray m_line; // unfinished line carried over from the previous feed()
    QByteArray m_data;
    QByteArray m_eventType;
    QByteArray m_lastEventId;
    std::optional<qint64> m_retryMs;
    bool m_hasData = false; // a data line was seen; distinguishes "data:" (empty data) from none
    bool m_skipLeadingLf = false; // the previous feed() ended on '\r', which may be half of "\r\n"
    bool m_atStreamStart = true; // the first line may begin with a UTF-8 BOM
};

} // namespace Switchyard::Protocol
