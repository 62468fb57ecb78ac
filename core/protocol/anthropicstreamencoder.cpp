#include "core/protocol/anthropicstreamencoder.h"

#include "core/protocol/anthropiccodec.h"
#include "core/protocol/codecsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcAnthropicEncoder, "switchyard.protocol.anthropicstreamencoder")

void appendFrame(QByteArray &out, QLatin1StringView type, QJsonObject data)
{
    data.insert("type"_L1, type);
    out += "event: "_ba + QByteArrayView(type.data(), type.size()) + "\ndata: "_ba + compactJson(data) + "\n\n"_ba;
}

bool isCompleteObject(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    return error.error == QJsonParseError::NoError && doc.isObject();
}
} // namespace

QByteArray AnthropicStreamEncoder::pingFrame()
{
    return "event: ping\ndata: {\"type\":\"ping\"}\n\n"_ba;
}

QByteArray AnthropicStreamEncoder::encode(const StreamEvent &event)
{
    QByteArray out;
    if (m_finished) {
        return out;
    }
    if (event.kind == StreamEvent::Kind::Error) {
        const ProviderError error = event.error.value_or(ProviderError {});
        appendFrame(out, "error"_L1,
            QJsonObject {{u"error"_s,
                QJsonObject {{u"type"_s, AnthropicCodec::errorTypeForStatus(AnthropicCodec::clientStatus(error))},
                    {u"message"_s, error.message}}}});
        m_finished = true;
        return out;
    }
    if (event.choiceIndex != 0) {
        qCDebug(lcAnthropicEncoder) << "dropping an event of choice" << event.choiceIndex;
        return out;
    }
    if (event.usage) {
        m_usage = *event.usage;
    }
    if (!m_started) {
        start(event, out);
    }
    if (event.kind == StreamEvent::Kind::Done) {
        closeAll(out);
        const bool hasToolCalls = !m_tools.isEmpty();
        QJsonObject delta {
            {u"stop_reason"_s,
                stringOrNull(AnthropicCodec::stopReasonFor(
                    m_finishReason.isEmpty() ? u"stop"_s : m_finishReason, m_stopSequence, hasToolCalls))},
            {u"stop_sequence"_s, stringOrNull(m_stopSequence)}};
        appendFrame(out, "message_delta"_L1,
            QJsonObject {{u"delta"_s, delta}, {u"usage"_s, AnthropicCodec::encodeUsage(m_usage)}});
        appendFrame(out, "message_stop"_L1, QJsonObject());
        m_finished = true;
        return out;
    }

    if (!event.reasoningDelta.isEmpty() || !event.reasoningSignature.isEmpty()) {
        if (m_openKind != BlockKind::Thinking) {
            closeAll(out);
            openBlock(BlockKind::Thinking,
                QJsonObject {{u"type"_s, u"thinking"_s}, {u"thinking"_s, QString()}, {u"signature"_s, QString()}}, out);
        }
        if (!event.reasoningDelta.isEmpty()) {
            delta(QJsonObject {{u"type"_s, u"thinking_delta"_s}, {u"thinking"_s, event.reasoningDelta}}, out);
        }
        if (!event.reasoningSignature.isEmpty()) {
            delta(QJsonObject {{u"type"_s, u"signature_delta"_s}, {u"signature"_s, event.reasoningSignature}}, out);
        }
    }
    if (!event.contentDelta.isEmpty()) {
        if (m_openKind != BlockKind::Text) {
            closeAll(out);
            openBlock(BlockKind::Text, QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, QString()}}, out);
        }
        delta(QJsonObject {{u"type"_s, u"text_delta"_s}, {u"text"_s, event.contentDelta}}, out);
    }
    for (const QJsonValue &value : event.toolCallDeltas) {
        addToolDelta(value.toObject(), out);
    }
    if (!event.finishReason.isEmpty()) {
        closeAll(out);
        m_finishReason = event.finishReason;
        m_stopSequence = event.stopSequence;
    }
    return out;
}

void AnthropicStreamEncoder::start(const StreamEvent &event, QByteArray &out)
{
    m_started = true;
    const QJsonObject message {{u"id"_s, event.id}, {u"type"_s, u"message"_s}, {u"role"_s, u"assistant"_s},
        {u"model"_s, event.model}, {u"content"_s, QJsonArray()}, {u"stop_reason"_s, QJsonValue()},
        {u"stop_sequence"_s, QJsonValue()}, {u"usage"_s, AnthropicCodec::encodeUsage(m_usage)}};
    appendFrame(out, "message_start"_L1, QJsonObject {{u"message"_s, message}});
}

void AnthropicStreamEncoder::openBlock(BlockKind kind, const QJsonObject &contentBlock, QByteArray &out)
{
    appendFrame(
        out, "content_block_start"_L1, QJsonObject {{u"index"_s, m_blockCount}, {u"content_block"_s, contentBlock}});
    ++m_blockCount;
    m_openKind = kind;
}

void AnthropicStreamEncoder::closeBlock(QByteArray &out)
{
    if (m_openKind == BlockKind::None) {
        return;
    }
    appendFrame(out, "content_block_stop"_L1, QJsonObject {{u"index"_s, m_blockCount - 1}});
    if (m_openKind == BlockKind::Tool) {
        m_tools[m_openToolIndex].closed = true;
        m_openToolIndex = -1;
    }
    m_openKind = BlockKind::None;
}

void AnthropicStreamEncoder::delta(const QJsonObject &delta, QByteArray &out)
{
    appendFrame(out, "content_block_delta"_L1, QJsonObject {{u"index"_s, m_blockCount - 1}, {u"delta"_s, delta}});
}

void AnthropicStreamEncoder::openTool(int toolIndex, QByteArray &out)
{
    ToolCall &call = m_tools[toolIndex];
    call.started = true;
    openBlock(BlockKind::Tool,
        QJsonObject {
            {u"type"_s, u"tool_use"_s}, {u"id"_s, call.id}, {u"name"_s, call.name}, {u"input"_s, QJsonObject()}},
        out);
    m_openToolIndex = toolIndex;
    if (!call.buffered.isEmpty()) {
        delta(QJsonObject {{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, call.buffered}}, out);
        call.arguments += call.buffered;
        call.buffered.clear();
    }
}

void AnthropicStreamEncoder::addToolDelta(const QJsonObject &toolDelta, QByteArray &out)
{
    const int index = int(toolDelta.value("index"_L1).toInteger());
    const QJsonObject function = toolDelta.value("function"_L1).toObject();
    const bool known = m_tools.contains(index);
    ToolCall &call = m_tools[index];
    if (toolDelta.value("id"_L1).isString()) {
        call.id = toolDelta.value("id"_L1).toString();
    }
    if (function.value("name"_L1).isString()) {
        call.name = function.value("name"_L1).toString();
    }
    const QString fragment = function.value("arguments"_L1).toString();
    if (call.closed) {
        qCWarning(lcAnthropicEncoder) << "dropping arguments for tool call" << index << "after its block closed";
        return;
    }
    if (!known) {
        if (m_openKind == BlockKind::Tool) {
            m_waitingTools.append(index);
        } else {
            closeBlock(out);
            openTool(index, out);
        }
    }
    if (m_openToolIndex == index) {
        if (!fragment.isEmpty()) {
            delta(QJsonObject {{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, fragment}}, out);
            call.arguments += fragment;
        }
    } else {
        call.buffered += fragment;
    }
    advanceTools(out);
}

void AnthropicStreamEncoder::advanceTools(QByteArray &out)
{
    while (m_openKind == BlockKind::Tool && !m_waitingTools.isEmpty()
        && isCompleteObject(m_tools.value(m_openToolIndex).arguments)) {
        closeBlock(out);
        openTool(m_waitingTools.takeFirst(), out);
    }
}

void AnthropicStreamEncoder::closeAll(QByteArray &out)
{
    closeBlock(out);
    while (!m_waitingTools.isEmpty()) {
        openTool(m_waitingTools.takeFirst(), out);
        closeBlock(out);
    }
}

} // namespace Switchyard::Protocol
