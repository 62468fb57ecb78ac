#include "core/gateway/clientencoder.h"

#include "core/protocol/anthropiccodec.h"
#include "core/protocol/openaicodec.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
// The error types OpenAI's own API uses; an error typed otherwise (by an Anthropic or Gemini
// provider, or by the gateway's canonical vocabulary) is retyped for OpenAI clients.
bool isOpenAiErrorType(const QString &type)
{
    static const QStringList types {u"invalid_request_error"_s, u"permission_error"_s, u"insufficient_quota"_s,
        u"rate_limit_exceeded"_s, u"server_error"_s, u"requests"_s, u"tokens"_s};
    return types.contains(type);
}

bool isBillingError(const ProviderError &error)
{
    return error.type == "billing_error"_L1 || error.code == "insufficient_quota"_L1;
}

// Reference §5.5, OpenAI client column.
QString openAiErrorType(const ProviderError &error, int status)
{
    if (isBillingError(error)) {
        return u"insufficient_quota"_s;
    }
    if (status == 403) {
        return u"permission_error"_s;
    }
    if (status == 429) {
        return u"rate_limit_exceeded"_s;
    }
    return status >= 500 || status == 408 ? u"server_error"_s : u"invalid_request_error"_s;
}
} // namespace

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
        if (error.type == "billing_error"_L1) {
            return 429; // OpenAI reports an exhausted quota as a 429 insufficient_quota
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
        if (!isOpenAiErrorType(typed.type)) {
            typed.type = openAiErrorType(error, typed.httpStatus);
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
