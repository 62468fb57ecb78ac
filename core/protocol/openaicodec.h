#pragma once

#include "core/model/chatrequest.h"
#include "core/model/chatresponse.h"
#include "core/model/providererror.h"
#include "core/model/result.h"
#include "core/model/streamevent.h"
#include "core/model/usage.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace Switchyard::Protocol {

// OpenAI Chat Completions wire format <-> canonical types, on QJsonDocument. This is the full
// translation path; same-dialect pass-through should splice bytes instead of re-encoding.
class OpenAiCodec
{
public:
    OpenAiCodec() = delete;

    // Validates and converts a client request body. Failure messages name the offending field,
    // e.g. `messages[2].role: "robot" is not one of system, developer, user, assistant, tool`.
    // `max_completion_tokens` wins over `max_tokens`; `stop` always becomes an array; content
    // that is a single plain text part becomes `text`, any other part array is kept as parts.
    // Top-level fields the gateway does not interpret are kept in `extra`, as are
    // `stream_options` keys other than `include_usage`.
    static Result<ChatRequest> decodeRequest(const QByteArray &json);
    // Compact JSON; decodeRequest(encodeRequest(r)) == r for any request decodeRequest produced.
    static QByteArray encodeRequest(const ChatRequest &request);

    static Result<ChatResponse> decodeResponse(const QByteArray &json);
    static QByteArray encodeResponse(const ChatResponse &response);

    // Also reads DeepSeek's `prompt_cache_hit_tokens` when `cached_tokens` is absent.
    static Usage decodeUsage(const QJsonObject &usage);
    static QJsonObject encodeUsage(const Usage &usage);

    // Decodes the `data:` payload of one SSE event. Usage riding on a content chunk (xAI,
    // Groq's `x_groq.usage`) is returned in a Delta event's `usage`; a chunk with no choices
    // but a usage object is a Usage event, one with neither an empty Delta. Only the first
    // choice of a chunk is read. Failure: the payload is not a JSON object.
    static Result<StreamEvent> decodeStreamData(QByteArrayView data);
    // A complete SSE frame, "data: ...\n\n".
    static QByteArray encodeStreamEvent(const StreamEvent &event);

    // Reads `{"error":{...}}`, the flat `{"object":"error","message":...}` form of Mistral and
    // vLLM, or any other body (HTML proxy pages): then the message is the body text with
    // whitespace runs collapsed, cut to 500 characters. An empty type is derived from the status.
    static ProviderError decodeError(int httpStatus, const QByteArray &body);
    // `{"error":{"message","type","param","code"}}`, with null for an empty param or code.
    static QByteArray encodeError(const ProviderError &error);

    // 401 authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error,
    // 408 timeout_error, 413 request_too_large, 429 rate_limit_error, other 4xx
    // invalid_request_error; 502 upstream_error, 503 and 529 overloaded_error, 504 timeout_error,
    // anything else api_error.
    static QString errorTypeForStatus(int status);
};

} // namespace Switchyard::Protocol
