#include "core/routing/decisiontrace.h"

#include "core/routing/fallbackclassifier.h"

#include <QJsonDocument>

#include <algorithm>
#include <charconv>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

QLatin1StringView strategyKey(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Fallback:
        return "fallback"_L1;
    case Strategy::Weighted:
        return "weighted"_L1;
    case Strategy::LowestLatency:
        return "lowest_latency"_L1;
    case Strategy::LowestCost:
        return "lowest_cost"_L1;
    case Strategy::LeastBusy:
        return "least_busy"_L1;
    }
    return {};
}

QLatin1StringView transportKey(AttemptOutcome::Transport transport)
{
    switch (transport) {
    case AttemptOutcome::Transport::None:
        return {};
    case AttemptOutcome::Transport::Connect:
        return "connect"_L1;
    case AttemptOutcome::Transport::Timeout:
        return "timeout"_L1;
    case AttemptOutcome::Transport::TtftTimeout:
        return "ttft_timeout"_L1;
    case AttemptOutcome::Transport::Reset:
        return "reset"_L1;
    case AttemptOutcome::Transport::InvalidResponse:
        return "invalid_response"_L1;
    }
    return {};
}

QLatin1StringView nextKey(DecisionTrace::Next next)
{
    switch (next) {
    case DecisionTrace::Next::Answered:
        return "answered"_L1;
    case DecisionTrace::Next::Retry:
        return "retry"_L1;
    case DecisionTrace::Next::Fallback:
        return "fallback"_L1;
    case DecisionTrace::Next::Exhausted:
        return "exhausted"_L1;
    }
    return {};
}

QLatin1StringView skipKey(SkippedTarget::Why why)
{
    switch (why) {
    case SkippedTarget::Why::BreakerOpen:
        return "breaker_open"_L1;
    case SkippedTarget::Why::ContextWindow:
        return "context_window"_L1;
    case SkippedTarget::Why::NestedRoute:
        return "nested_route"_L1;
    case SkippedTarget::Why::OverBudget:
        return "over_budget"_L1;
    case SkippedTarget::Why::RateLimited:
        return "rate_limited"_L1;
    }
    return {};
}

// Header values must not carry control characters (CR/LF would end the header).
QByteArray headerSafe(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    for (char &c : bytes) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = '?';
        }
    }
    return bytes;
}

QByteArray attemptSummary(const DecisionTrace::Attempt &attempt)
{
    QByteArray text = headerSafe(attempt.target.toString());
    if (attempt.outcome.httpStatus > 0) {
        text += ' ' + QByteArray::number(attempt.outcome.httpStatus);
    }
    if (attempt.outcome.transport != AttemptOutcome::Transport::None) {
        text += ' ' + QByteArray(transportKey(attempt.outcome.transport).data());
    } else if (attempt.condition) {
        text += ' ' + QByteArray(FallbackClassifier::key(*attempt.condition).data());
    } else {
        text += attempt.outcome.succeeded() ? " ok"_ba : " error"_ba;
    }
    switch (attempt.next) {
    case DecisionTrace::Next::Answered:
        break;
    case DecisionTrace::Next::Retry:
        text += " -> retry in "_ba + QByteArray::number(attempt.delayMs) + "ms"_ba;
        break;
    case DecisionTrace::Next::Fallback:
        text += " -> fallback"_ba;
        break;
    case DecisionTrace::Next::Exhausted:
        text += " -> no target left"_ba;
        break;
    }
    return text;
}

// Compact JSON text, written by hand: a trace is built for every request, and filling one text
// that Qt's parser turns into a single container costs a third of assembling nested QJsonObjects.
class JsonText
{
public:
    JsonText() { m_text.resize(1024); }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray(QLatin1StringView name)
    {
        key(name);
        open('[');
    }
    void endArray() { close(']'); }
    void field(QLatin1StringView name, QStringView value)
    {
        key(name);
        string(value);
    }
    void field(QLatin1StringView name, QLatin1StringView value)
    {
        key(name);
        string(value);
    }
    void field(QLatin1StringView name, qint64 value)
    {
        key(name);
        separate();
        char *out = room(24);
        m_used += std::to_chars(out, out + 24, value).ptr - out;
    }

    QJsonObject toObject()
    {
        m_text.truncate(m_used);
        return QJsonDocument::fromJson(m_text).object();
    }

private:
    // Writable space for `bytes` more bytes at the end of the text.
    char *room(qsizetype bytes)
    {
        if (m_text.size() - m_used < bytes) {
            m_text.resize(qMax(m_used + bytes, 2 * m_text.size()));
        }
        return m_text.data() + m_used;
    }
    void put(char c)
    {
        *room(1) = c;
        ++m_used;
    }
    void open(char bracket)
    {
        separate();
        put(bracket);
        m_first = true;
    }
    void close(char bracket)
    {
        put(bracket);
        m_first = false;
    }
    void separate()
    {
        if (!m_first) {
            put(',');
        }
        m_first = false;
    }
    // Names are the trace's own ASCII identifiers: nothing to escape.
    void key(QLatin1StringView name)
    {
        separate();
        char *out = room(name.size() + 3);
        *out++ = '"';
        out = std::copy(name.begin(), name.end(), out);
        *out++ = '"';
        *out++ = ':';
        m_used += name.size() + 3;
        m_first = true; // the value follows without a comma
    }
    // UTF-8 with JSON's escapes; an unpaired surrogate becomes U+FFFD, as in QString::toUtf8().
    void string(QStringView value)
    {
        separate();
        // \u00XX is the longest form of one UTF-16 code unit.
        char *const start = room(6 * value.size() + 2);
        char *out = start;
        *out++ = '"';
        const qsizetype size = value.size();
        for (qsizetype i = 0; i < size; ++i) {
            const char16_t c = value[i].unicode();
            if (c < 0x80) {
                out = ascii(out, char(c));
                continue;
            }
            char32_t code = c;
            if (QChar::isHighSurrogate(c) && i + 1 < size && QChar::isLowSurrogate(value[i + 1].unicode())) {
                code = QChar::surrogateToUcs4(c, value[++i].unicode());
            } else if (QChar::isSurrogate(c)) {
                code = QChar::ReplacementCharacter;
            }
            out = utf8(out, code);
        }
        *out++ = '"';
        m_used += out - start;
    }
    void string(QLatin1StringView value)
    {
        separate();
        char *const start = room(6 * value.size() + 2);
        char *out = start;
        *out++ = '"';
        for (const char c : value) {
            out = static_cast<unsigned char>(c) < 0x80 ? ascii(out, c) : utf8(out, static_cast<unsigned char>(c));
        }
        *out++ = '"';
        m_used += out - start;
    }
    static char *ascii(char *out, char c)
    {
        if (c == '"' || c == '\\') {
            *out++ = '\\';
            *out++ = c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            static constexpr char hex[] = "0123456789abcdef";
            out = std::copy_n("\\u00", 4, out);
            *out++ = hex[(c >> 4) & 0xf];
            *out++ = hex[c & 0xf];
        } else {
            *out++ = c;
        }
        return out;
    }
    static char *utf8(char *out, char32_t code)
    {
        if (code < 0x800) {
            *out++ = char(0xc0 | (code >> 6));
        } else if (code < 0x10000) {
            *out++ = char(0xe0 | (code >> 12));
            *out++ = char(0x80 | ((code >> 6) & 0x3f));
        } else {
            *out++ = char(0xf0 | (code >> 18));
            *out++ = char(0x80 | ((code >> 12) & 0x3f));
            *out++ = char(0x80 | ((code >> 6) & 0x3f));
        }
        *out++ = char(0x80 | (code & 0x3f));
        return out;
    }

    QByteArray m_text; // m_used bytes written, the rest is room
    qsizetype m_used = 0;
    bool m_first = true;
};

} // namespace

DecisionTrace::DecisionTrace(RoutePlan plan)
    : m_plan(std::move(plan))
{
}

DecisionTrace::DecisionTrace(RoutePlan plan, QList<Attempt> attempts)
    : m_plan(std::move(plan))
    , m_attempts(std::move(attempts))
{
}

QByteArray DecisionTrace::toHeaderSummary() const
{
    QByteArray text = m_plan.routeName.isEmpty()
        ? "direct"_ba
        : QByteArray(headerSafe(m_plan.routeName) + ' ' + QByteArray(strategyKey(m_plan.strategy).data()));
    text += ": "_ba;
    QByteArrayList parts;
    for (const Attempt &attempt : m_attempts) {
        parts.append(attemptSummary(attempt));
    }
    if (parts.isEmpty()) {
        parts.append("no attempts"_ba);
    }
    for (const SkippedTarget &skipped : m_plan.skipped) {
        parts.append("skipped "_ba + headerSafe(skipped.target.toString()) + " ("_ba
            + QByteArray(skipKey(skipped.why).data()) + ')');
    }
    return text + parts.join("; "_ba);
}

QJsonObject DecisionTrace::toJson() const
{
    JsonText json;
    json.beginObject();
    json.field("route"_L1, m_plan.routeName);
    json.field("strategy"_L1, strategyKey(m_plan.strategy));
    json.beginArray("planned"_L1);
    for (const PlannedTarget &target : m_plan.targets) {
        json.beginObject();
        json.field("target"_L1, target.target.toString());
        json.field("route"_L1, target.route);
        json.field("reason"_L1, target.reason);
        json.endObject();
    }
    json.endArray();
    json.beginArray("skipped"_L1);
    for (const SkippedTarget &target : m_plan.skipped) {
        json.beginObject();
        json.field("target"_L1, target.target.toString());
        json.field("route"_L1, target.route);
        json.field("why"_L1, skipKey(target.why));
        json.field("reason"_L1, target.reason);
        json.endObject();
    }
    json.endArray();
    json.beginArray("attempts"_L1);
    for (const Attempt &attempt : m_attempts) {
        json.beginObject();
        json.field("target"_L1, attempt.target.toString());
        json.field("startedAtMs"_L1, attempt.startedAtMs);
        json.field("latencyMs"_L1, attempt.outcome.latencyMs);
        json.field("status"_L1, qint64(attempt.outcome.httpStatus));
        json.field("next"_L1, nextKey(attempt.next));
        if (attempt.outcome.transport != AttemptOutcome::Transport::None) {
            json.field("transport"_L1, transportKey(attempt.outcome.transport));
        }
        if (!attempt.outcome.errorType.isEmpty()) {
            json.field("errorType"_L1, attempt.outcome.errorType);
        }
        if (!attempt.outcome.errorCode.isEmpty()) {
            json.field("errorCode"_L1, attempt.outcome.errorCode);
        }
        if (attempt.condition) {
            json.field("condition"_L1, FallbackClassifier::key(*attempt.condition));
        }
        if (attempt.next == Next::Retry) {
            json.field("delayMs"_L1, attempt.delayMs);
        }
        json.endObject();
    }
    json.endArray();
    json.endObject();
    return json.toObject();
}

} // namespace Switchyard::Routing
