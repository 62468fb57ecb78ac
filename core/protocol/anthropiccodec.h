#pragma once

#include "core/model/chatrequest.h"
#include "core/model/chatresponse.h"
#include "core/model/providererror.h"
#include "core/model/result.h"
#include "core/model/usage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Switchyard::Protocol {

// Anthropic Messages wire format <-> canonical types, both directions: the gateway calls
// Anthropic upstream (encodeRequest / decodeResponse / decodeError) and serves Anthropic-dialect
// clients (decodeRequest / encodeResponse / encodeError). Streams: AnthropicStreamDecoder and
// AnthropicStreamEncoder.
class AnthropicCodec
{
public:
    AnthropicCodec() = delete;

    // Anthropic requires max_tokens while OpenAI does not; 4096 is within the output limit of
    // every Claude model since Claude 3, so a translated request is never rejected for it.
    static constexpr qint64 defaultMaxTokens = 4096;

    // Canonical request -> Messages API body. system/developer messages become `system` (a string,
    // or text blocks when any carries extra keys such as cache_control); consecutive same-role
    // turns are merged, tool results open their user turn in the order of the assistant's calls;
    // a conversation opening with the assistant gets a "(continue)" user turn. Fails, naming the
    // field, on tool-call arguments that are not a JSON object, images that are neither a data:
    // URL of jpeg/png/gif/webp nor an http(s) URL, audio, and tools with no Anthropic equivalent.
    // From `extra`: thinking, top_k, output_config, cache_control, container, inference_geo,
    // metadata.user_id (or OpenAI's user / safety_identifier), service_tier auto|standard_only,
    // parallel_tool_calls:false -> disable_parallel_tool_use. With thinking enabled a forced
    // tool_choice is downgraded to auto, the only choice the API then accepts.
    static Result<QByteArray> encodeRequest(const ChatRequest &request);

    // Anthropic-dialect client body -> canonical request. Each tool_result block becomes a `tool`
    // message (is_error kept), tool_use blocks become OpenAI-shaped tool calls, thinking blocks are
    // kept in thinkingBlocks (their text also in `reasoning`), images become image_url parts and
    // PDF documents file parts; blocks with no OpenAI shape are kept unchanged as parts. Server
    // tools (with a `type`) stay Anthropic-shaped in `tools`. Top-level fields not mapped (thinking,
    // top_k, metadata, ...) go to `extra`; disable_parallel_tool_use becomes parallel_tool_calls.
    // Streaming clients always get usage, so includeUsage follows stream.
    static Result<ChatRequest> decodeRequest(const QByteArray &json);

    // Text blocks are concatenated into `text`; created is 0 (Anthropic does not send it).
    static Result<ChatResponse> decodeResponse(const QByteArray &json);
    // The first choice as a `message` object. Reasoning without stored thinking blocks is sent as
    // a thinking block with an empty signature; tool-call arguments that are not a JSON object
    // are wrapped as {"_raw": "<arguments>"}.
    static QByteArray encodeResponse(const ChatResponse &response);

    // input_tokens excludes cache reads and writes; canonical promptTokens includes both.
    static Usage decodeUsage(const QJsonObject &usage);
    static QJsonObject encodeUsage(const Usage &usage);

    // end_turn/stop_sequence/pause_turn -> stop, max_tokens/model_context_window_exceeded -> length,
    // tool_use -> tool_calls, refusal -> content_filter; unknown -> stop.
    static QString finishReasonFor(const QString &stopReason);
    // The reverse; "stop" with tool calls present is tool_use (some providers say stop), with a
    // named stop sequence stop_sequence. Empty finish reason -> empty.
    static QString stopReasonFor(const QString &finishReason, const QString &stopSequence, bool hasToolCalls);

    // Reads `{"type":"error","error":{"type","message","details"?}}` (details.error_code becomes
    // `code`; "prompt is too long" becomes code context_length_exceeded); any other body is read
    // as OpenAiCodec::decodeError does.
    static ProviderError decodeError(int httpStatus, const QByteArray &body);
    // The inner `error` object, as it also arrives in an `error` stream event (httpStatus from its
    // type when 0).
    static ProviderError decodeErrorObject(const QJsonObject &error, int httpStatus);
    // `{"type":"error","error":{"type","message"}}` with the type for clientStatus(error).
    static QByteArray encodeError(const ProviderError &error);
    // The status an Anthropic client should see (reference §5.5): insufficient quota and billing
    // -> 402, overloaded (503, 529) -> 529, 504/408 -> 504, other 5xx -> 500; a 400 or missing
    // status whose type names a more specific error takes that error's status.
    static int clientStatus(const ProviderError &error);
    // 400 invalid_request_error, 401 authentication_error, 402 billing_error, 403 permission_error,
    // 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 504 timeout_error,
    // 529 overloaded_error, other 4xx invalid_request_error, anything else api_error.
    static QString errorTypeForStatus(int status);
};

} // namespace Switchyard::Protocol
