#include "core/gateway/clientencoder.h"

#include "core/protocol/anthropiccodec.h"
#include "core/protocol/openaicodec.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

ClientEncoder::ClientEncoder(ClientDialect dialect, bool includeUsage)
    : m_dialect(dialect)
    , m_includeUsage(includeUsage)
    , m_created(QDateTime::currentSecsSinceEpoch())
{
}

QByteArray ClientEncoder::response(ChatResponse response) const
{
    switch (m_dialect) {
    case ClientDialect::OpenAi:
        if (response.created == 0) {
            response.created = m_created;
        }
        return Protocol::OpenAiCodec::encodeResponse(response);
    case ClientDialect::Anthropic:
        return Protocol::AnthropicCodec::encodeResponse(response);
    }
    return {};
}

QByteArray ClientEncoder::streamEvent(StreamEvent event)
{
    switch (m_dialect) {
    case ClientDialect::OpenAi:
        if (event.kind == StreamEvent::Kind::Usage && !m_includeUsage) {
            return {};
        }
        if (!m_includeUsage) {
            event.usage.reset(); // usage riding on a content chunk (xAI, Groq) is not announced either
        }
        if (event.created == 0) {
            event.created = m_created;
        }
        return Protocol::OpenAiCodec::encodeStreamEvent(event);
    case ClientDialect::Anthropic:
        return m_anthropicStream.encode(event);
    }
    return {};
}

QByteArray ClientEncoder::streamError(const ProviderError &error)
{
    StreamEvent event;
    event.kind = StreamEvent::Kind::Error;
    event.error = error;
    if (m_dialect == ClientDialect::OpenAi) {
        // Clients key on the status they can no longer receive; the type says it was the server.
        event.error->type = u"server_error"_s;
    }
    return streamEvent(std::move(event));
}

int ClientEncoder::errorStatus(const ProviderError &error) const
{
    switch (m_dialect) {
    case ClientDialect::OpenAi:
        if (error.httpStatus == 529) {
            return 503;
        }
        return error.httpStatus >= 400 ? error.httpStatus : 502;
    case ClientDialect::Anthropic:
        return Protocol::AnthropicCodec::clientStatus(error);
    }
    return 502;
}

QByteArray ClientEncoder::errorBody(const ProviderError &error) const
{
    switch (m_dialect) {
    case ClientDialect::OpenAi: {
        ProviderError typed = error;
        typed.httpStatus = errorStatus(error);
        if (typed.type.isEmpty()) {
            typed.type = Protocol::OpenAiCodec::errorTypeForStatus(typed.httpStatus);
        }
        return Protocol::OpenAiCodec::encodeError(typed);
    }
    case ClientDialect::Anthropic:
        return Protocol::AnthropicCodec::encodeError(error);
    }
    return {};
}

ProviderError ClientEncoder::gatewayError(int status, const QString &message, const QString &code)
{
    ProviderError error;
    error.httpStatus = status;
    error.type = Protocol::OpenAiCodec::errorTypeForStatus(status);
    error.code = code;
    error.message = message;
    return error;
}

} // namespace Switchyard::Gateway
