#include "core/protocol/anthropicstreamdecoder.h"

#include "core/protocol/anthropiccodec.h"
#include "core/protocol/codecsupport.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcAnthropicStream, "switchyard.protocol.anthropicstreamdecoder")

void mergeUsage(QJsonObject &into, const QJsonObject &from)
{
    for (auto it = from.constBegin(); it != from.constEnd(); ++it) {
        if (!it.value().isNull()) {
            into.insert(it.key(), it.value());
        }
    }
}
} // namespace

StreamEvent AnthropicStreamDecoder::makeEvent(StreamEvent::Kind kind) const
{
    StreamEvent event;
    event.kind = kind;
    event.id = m_id;
    event.model = m_model;
    return event;
}

Result<QList<StreamEvent>> AnthropicStreamDecoder::decode(QByteArrayView data)
{
    const Result<QJsonObject> parsed = parseJsonObject(data, JsonDocumentKind::StreamEvent);
    if (!parsed) {
        qCWarning(lcAnthropicStream) << "undecodable stream event of" << data.size() << "bytes";
        return Result<QList<StreamEvent>>::failure(parsed.errorMessage());
    }
    const QJsonObject &object = parsed.value();
    const QString type = object.value("type"_L1).toString();
    QList<StreamEvent> events;

    if (type == "message_start"_L1) {
        const QJsonObject message = object.value("message"_L1).toObject();
        m_id = message.value("id"_L1).toString();
        m_model = message.value("model"_L1).toString();
        mergeUsage(m_usage, message.value("usage"_L1).toObject());
        StreamEvent event = makeEvent();
        event.role = u"assistant"_s;
        events.append(event);
    } else if (type == "content_block_start"_L1) {
        const QJsonObject block = object.value("content_block"_L1).toObject();
        const QString blockType = block.value("type"_L1).toString();
        StreamEvent event = makeEvent();
        if (blockType == "tool_use"_L1) {
            const int index = int(m_toolIndexByBlock.size());
            m_toolIndexByBlock.insert(int(object.value("index"_L1).toInteger()), index);
            const QJsonObject input = block.value("input"_L1).toObject();
            const QJsonObject function {{u"name"_s, block.value("name"_L1)},
                {u"arguments"_s, input.isEmpty() ? QString() : QString::fromUtf8(compactJson(input))}};
            event.toolCallDeltas.append(QJsonObject {{u"index"_s, index}, {u"id"_s, block.value("id"_L1)},
                {u"type"_s, u"function"_s}, {u"function"_s, function}});
        } else if (blockType == "text"_L1) {
            event.contentDelta = block.value("text"_L1).toString();
        } else if (blockType == "thinking"_L1) {
            event.reasoningDelta = block.value("thinking"_L1).toString();
        }
        if (!event.toolCallDeltas.isEmpty() || !event.contentDelta.isEmpty() || !event.reasoningDelta.isEmpty()) {
            events.append(event);
        }
    } else if (type == "content_block_delta"_L1) {
        const QJsonObject delta = object.value("delta"_L1).toObject();
        const QString deltaType = delta.value("type"_L1).toString();
        StreamEvent event = makeEvent();
        if (deltaType == "text_delta"_L1) {
            event.contentDelta = delta.value("text"_L1).toString();
        } else if (deltaType == "thinking_delta"_L1) {
            event.reasoningDelta = delta.value("thinking"_L1).toString();
        } else if (deltaType == "signature_delta"_L1) {
            event.reasoningSignature = delta.value("signature"_L1).toString();
        } else if (deltaType == "input_json_delta"_L1) {
            const auto tool = m_toolIndexByBlock.constFind(int(object.value("index"_L1).toInteger()));
            if (tool == m_toolIndexByBlock.constEnd()) {
                qCWarning(lcAnthropicStream) << "input_json_delta for a block that is not a tool_use";
                return events;
            }
            event.toolCallDeltas.append(QJsonObject {{u"index"_s, *tool},
                {u"function"_s, QJsonObject {{u"arguments"_s, delta.value("partial_json"_L1).toString()}}}});
        } else {
            return events;
        }
        events.append(event);
    } else if (type == "message_delta"_L1) {
        const QJsonObject delta = object.value("delta"_L1).toObject();
        mergeUsage(m_usage, object.value("usage"_L1).toObject());
        StreamEvent event = makeEvent();
        event.finishReason = AnthropicCodec::finishReasonFor(delta.value("stop_reason"_L1).toString());
        event.stopSequence = delta.value("stop_sequence"_L1).toString();
        events.append(event);
    } else if (type == "message_stop"_L1) {
        m_finished = true;
        if (!m_usage.isEmpty()) {
            StreamEvent usage = makeEvent(StreamEvent::Kind::Usage);
            usage.usage = AnthropicCodec::decodeUsage(m_usage);
            events.append(usage);
        }
        events.append(makeEvent(StreamEvent::Kind::Done));
    } else if (type == "error"_L1) {
        m_finished = true;
        StreamEvent event = makeEvent(StreamEvent::Kind::Error);
        event.error = AnthropicCodec::decodeErrorObject(object.value("error"_L1).toObject(), 0);
        events.append(event);
    }
    return events;
}

} // namespace Switchyard::Protocol
