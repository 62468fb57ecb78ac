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

// Google Gemini API (generateContent / streamGenerateContent?alt=sse) <-> canonical types, upstream
// direction only. Streams: GeminiStreamDecoder.
class GeminiCodec
{
public:
    GeminiCodec() = delete;

    // "/models/<model>:generateContent", or ":streamGenerateContent?alt=sse" for streams (without
    // alt=sse Gemini streams one JSON array), below the API version's base URL (".../v1beta").
    // A leading "models/" in `model` is dropped.
    static QString requestPath(const QString &model, bool stream);

    // Canonical request -> GenerateContentRequest (the model and stream flag go in the path).
    // system/developer messages become systemInstruction; roles become user/model, consecutive
    // same-role turns merged (tool results and a following user message share one user turn).
    // Tool calls become functionCall parts (arguments parsed; not a JSON object -> failure) with the
    // thought signature found at tool_calls[].extra_content.google.thought_signature; tool results
    // become functionResponse parts named after the call they answer ({"output": parsed JSON or the
    // text}, {"error": ...} when isError), an unknown tool_call_id is a failure. Images: data: URLs
    // -> inlineData, Files API and YouTube URLs -> fileData; other URLs fail (Gemini cannot fetch
    // them). Tools -> functionDeclarations with parametersJsonSchema ($schema and $comment removed,
    // which Gemini rejects); tool_choice -> functionCallingConfig. From `extra`: seed,
    // presence_penalty, frequency_penalty, response_format (json_object / json_schema).
    static Result<QByteArray> encodeRequest(const ChatRequest &request);

    // Candidates -> choices: non-thought text concatenated, thought text as reasoning, functionCall
    // parts as tool calls (id from the part, else call_<responseId>_<n>, n counting from
    // firstToolCallNumber) carrying thoughtSignature in extra_content.google.thought_signature.
    // A prompt blocked with no candidates yields one empty choice finishing "content_filter".
    static Result<ChatResponse> decodeResponse(const QByteArray &json);
    static ChatResponse decodeResponseObject(const QJsonObject &body, int firstToolCallNumber = 0);

    // promptTokens = promptTokenCount + toolUsePromptTokenCount (cache included), completion =
    // candidates + thoughts (unless the total shows candidates already include thoughts).
    static Usage decodeUsage(const QJsonObject &usageMetadata);

    // STOP -> stop, or tool_calls when the candidate has function calls; MAX_TOKENS -> length;
    // safety, recitation, blocklist, prohibited content, SPII, language, image_* -> content_filter;
    // anything else (malformed function call, OTHER, unspecified) -> stop. Empty -> empty.
    static QString finishReasonFor(const QString &finishReason, bool hasFunctionCalls);

    // Reads `{"error":{"code","message","status","details"}}`: type from the status name
    // (INVALID_ARGUMENT -> invalid_request_error, API_KEY_INVALID -> authentication_error,
    // FAILED_PRECONDITION -> billing_error, RESOURCE_EXHAUSTED -> rate_limit_error, UNAVAILABLE ->
    // overloaded_error, ...), code the detail reason or status name, context_length_exceeded for
    // "input token count ... exceeds the maximum". Other bodies are read as OpenAiCodec does.
    static ProviderError decodeError(int httpStatus, const QByteArray &body);
    static ProviderError decodeErrorObject(const QJsonObject &error, int httpStatus);
};

} // namespace Switchyard::Protocol
