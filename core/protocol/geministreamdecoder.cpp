#include "core/protocol/geministreamdecoder.h"

#include "core/protocol/codecsupport.h"
#include "core/protocol/geminicodec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcGeminiStream, "switchyard.protocol.geministreamdecoder")
} // namespace

StreamEvent GeminiStreamDecoder::makeEvent(StreamEvent::Kind kind) const
{
    StreamEvent event;
    event.kind = kind;
    event.id = m_id;
    event.model = m_model;
    return event;
}

Result<QList<StreamEvent>> GeminiStreamDecoder::decode(QByteArrayView data)
{
    const Result<QJsonObject> parsed = parseJsonObject(data, JsonDocumentKind::StreamEvent);
    if (!parsed) {
        qCWarning(lcGeminiStream) << "undecodable stream event of" << data.size() << "bytes";
        return Result<QList<StreamEvent>>::failure(parsed.errorMessage());
    }
    QList<StreamEvent> events;
    if (parsed->value("error"_L1).isObject()) {
        m_failed = true;
        StreamEvent event = makeEvent(StreamEvent::Kind::Error);
        event.error = GeminiCodec::decodeErrorObject(parsed->value("error"_L1).toObject(), 0);
        events.append(event);
        return events;
    }

    const ChatResponse chunk = GeminiCodec::decodeResponseObject(parsed.value(), m_toolCalls);
    if (m_id.isEmpty()) {
        m_id = chunk.id;
    }
    if (!chunk.model.isEmpty()) {
        m_model = chunk.model;
    }
    if (chunk.usage.isReported) {
        m_usage = chunk.usage;
    }
    if (chunk.choices.isEmpty()) {
        return events;
    }
    const ChatChoice &choice = chunk.choices.first();
    StreamEvent event = makeEvent();
    if (!m_sentRole) {
        event.role = u"assistant"_s;
        m_sentRole = true;
    }
    event.contentDelta = choice.message.text;
    event.reasoningDelta = choice.message.reasoning;
    for (const QJsonValue &value : choice.message.toolCalls) {
        QJsonObject call = value.toObject();
        call.insert("index"_L1, m_toolCalls++);
        event.toolCallDeltas.append(call);
    }
    // The chunk's own calls decide the reason only for that chunk; earlier chunks' calls count too.
    event.finishReason = choice.finishReason == "stop"_L1 && m_toolCalls > 0 ? u"tool_calls"_s : choice.finishReason;
    m_finished = m_finished || !event.finishReason.isEmpty();
    if (event.role.isEmpty() && event.contentDelta.isEmpty() && event.reasoningDelta.isEmpty()
        && event.toolCallDeltas.isEmpty() && event.finishReason.isEmpty()) {
        return events;
    }
    events.append(event);
    return events;
}

QList<StreamEvent> GeminiStreamDecoder::finish()
{
    QList<StreamEvent> events;
    if (m_failed) {
        return events;
    }
    if (!m_finished) {
        StreamEvent error = makeEvent(StreamEvent::Kind::Error);
        error.error = ProviderError {502, u"api_error"_s, QString(), QString(),
            CodecTr::tr("The provider closed the stream before the answer finished.")};
        events.append(error);
        return events;
    }
    if (m_usage) {
        StreamEvent usage = makeEvent(StreamEvent::Kind::Usage);
        usage.usage = m_usage;
        events.append(usage);
    }
    events.append(makeEvent(StreamEvent::Kind::Done));
    return events;
}

} // namespace Switchyard::Protocol
