#include "core/gateway/upstreamcodec.h"

#include "core/gateway/gatewaytables.h"
#include "core/protocol/anthropiccodec.h"
#include "core/protocol/geminicodec.h"
#include "core/protocol/openaicodec.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
// The Messages API version every Anthropic SDK sends; the format the codec implements.
const QByteArray AnthropicVersion = "2023-06-01"_ba;
} // namespace

UpstreamCodec::UpstreamCodec(Providers::WireFormat wireFormat)
    : m_wireFormat(wireFormat)
{
}

Result<UpstreamRequest> UpstreamCodec::buildRequest(
    const ChatRequest &request, const ProviderEndpoint &endpoint, const QByteArray &anthropicBeta) const
{
    Result<QByteArray> body = QByteArray();
    switch (m_wireFormat) {
    case Providers::WireFormat::OpenAiChat: {
        ChatRequest sent = request;
        // The ledger needs the token counts; a client that did not ask never sees the usage chunk.
        sent.includeUsage = request.stream && endpoint.supportsStreamUsage;
        body = Protocol::OpenAiCodec::encodeRequest(sent);
        break;
    }
    case Providers::WireFormat::AnthropicMessages:
        body = Protocol::AnthropicCodec::encodeRequest(request);
        break;
    case Providers::WireFormat::GeminiGenerate:
        body = Protocol::GeminiCodec::encodeRequest(request);
        break;
    }
    if (!body) {
        return Result<UpstreamRequest>::failure(body.errorMessage());
    }
    return relayRequest(std::move(body).value(), request.model, request.stream, endpoint, anthropicBeta);
}

UpstreamRequest UpstreamCodec::relayRequest(QByteArray body, const QString &model, bool stream,
    const ProviderEndpoint &endpoint, const QByteArray &anthropicBeta) const
{
    UpstreamRequest upstream;
    upstream.headers = {{"Content-Type"_ba, "application/json"_ba},
        {"Accept"_ba, stream ? "text/event-stream"_ba : "application/json"_ba}};
    if (!endpoint.authHeader.first.isEmpty()) {
        upstream.headers.append(endpoint.authHeader);
    }
    switch (m_wireFormat) {
    case Providers::WireFormat::OpenAiChat:
        upstream.url = endpoint.chatCompletionsUrl;
        break;
    case Providers::WireFormat::AnthropicMessages:
        upstream.url = QUrl(endpoint.baseUrl + u"/messages"_s);
        upstream.headers.append({"anthropic-version"_ba, AnthropicVersion});
        if (!anthropicBeta.isEmpty()) {
            upstream.headers.append({"anthropic-beta"_ba, anthropicBeta});
        }
        break;
    case Providers::WireFormat::GeminiGenerate:
        upstream.url = QUrl(endpoint.baseUrl + Protocol::GeminiCodec::requestPath(model, stream));
        break;
    }
    upstream.headers.append(endpoint.extraHeaders);
    upstream.body = std::move(body);
    return upstream;
}

Result<ChatResponse> UpstreamCodec::decodeResponse(const QByteArray &body) const
{
    switch (m_wireFormat) {
    case Providers::WireFormat::OpenAiChat:
        return Protocol::OpenAiCodec::decodeResponse(body);
    case Providers::WireFormat::AnthropicMessages:
        return Protocol::AnthropicCodec::decodeResponse(body);
    case Providers::WireFormat::GeminiGenerate:
        return Protocol::GeminiCodec::decodeResponse(body);
    }
    return Protocol::OpenAiCodec::decodeResponse(body);
}

ProviderError UpstreamCodec::decodeError(int httpStatus, const QByteArray &body) const
{
    switch (m_wireFormat) {
    case Providers::WireFormat::OpenAiChat:
        return Protocol::OpenAiCodec::decodeError(httpStatus, body);
    case Providers::WireFormat::AnthropicMessages:
        return Protocol::AnthropicCodec::decodeError(httpStatus, body);
    case Providers::WireFormat::GeminiGenerate:
        return Protocol::GeminiCodec::decodeError(httpStatus, body);
    }
    return Protocol::OpenAiCodec::decodeError(httpStatus, body);
}

Result<QList<StreamEvent>> UpstreamCodec::decodeStreamEvent(QByteArrayView data)
{
    switch (m_wireFormat) {
    case Providers::WireFormat::OpenAiChat: {
        auto event = Protocol::OpenAiCodec::decodeStreamData(data);
        if (!event) {
            return Result<QList<StreamEvent>>::failure(event.errorMessage());
        }
        m_openAiStreamFinished
            = m_openAiStreamFinished || event->kind == StreamEvent::Kind::Done || !event->finishReason.isEmpty();
        return QList<StreamEvent> {std::move(event).value()};
    }
    case Providers::WireFormat::AnthropicMessages:
        return m_anthropicStream.decode(data);
    case Providers::WireFormat::GeminiGenerate:
        return m_geminiStream.decode(data);
    }
    return QList<StreamEvent> {};
}

QList<StreamEvent> UpstreamCodec::finishStream()
{
    return m_wireFormat == Providers::WireFormat::GeminiGenerate ? m_geminiStream.finish() : QList<StreamEvent> {};
}

bool UpstreamCodec::isStreamComplete() const
{
    switch (m_wireFormat) {
    case Providers::WireFormat::OpenAiChat:
        return m_openAiStreamFinished;
    case Providers::WireFormat::AnthropicMessages:
        return m_anthropicStream.isFinished();
    case Providers::WireFormat::GeminiGenerate:
        return m_geminiStream.sawFinishReason();
    }
    return false;
}

} // namespace Switchyard::Gateway
