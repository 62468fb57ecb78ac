#include "core/protocol/geminicodec.h"

#include "core/protocol/codecsupport.h"
#include "core/protocol/openaicodec.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QUrl>

#include <algorithm>
#include <initializer_list>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcGemini, "switchyard.protocol.geminicodec")

using Tr = CodecTr;

// JSON Schema keywords Gemini answers with "Unknown name" 400s.
constexpr std::initializer_list<QLatin1StringView> rejectedSchemaKeys = {"$schema"_L1, "$comment"_L1};
constexpr std::initializer_list<QLatin1StringView> filteredFinishReasons
    = {"SAFETY"_L1, "RECITATION"_L1, "BLOCKLIST"_L1, "PROHIBITED_CONTENT"_L1, "SPII"_L1, "LANGUAGE"_L1,
        "IMAGE_SAFETY"_L1, "IMAGE_PROHIBITED_CONTENT"_L1, "IMAGE_RECITATION"_L1, "IMAGE_OTHER"_L1};
// Gemini fetches these URLs itself; any other must be inlined by the caller.
constexpr std::initializer_list<QLatin1StringView> fetchableUrlPrefixes
    = {"https://generativelanguage.googleapis.com/"_L1, "https://www.youtube.com/"_L1, "https://youtu.be/"_L1};

struct StatusKind
{
    QLatin1StringView status;
    QLatin1StringView type;
};
constexpr std::initializer_list<StatusKind> statusKinds = {{"INVALID_ARGUMENT"_L1, "invalid_request_error"_L1},
    {"FAILED_PRECONDITION"_L1, "billing_error"_L1}, {"UNAUTHENTICATED"_L1, "authentication_error"_L1},
    {"PERMISSION_DENIED"_L1, "permission_error"_L1}, {"NOT_FOUND"_L1, "not_found_error"_L1},
    {"RESOURCE_EXHAUSTED"_L1, "rate_limit_error"_L1}, {"INTERNAL"_L1, "api_error"_L1},
    {"UNAVAILABLE"_L1, "overloaded_error"_L1}, {"DEADLINE_EXCEEDED"_L1, "timeout_error"_L1}};

bool contains(std::initializer_list<QLatin1StringView> list, const QString &value)
{
    return std::any_of(list.begin(), list.end(), [&value](QLatin1StringView item) { return item == value; });
}

QJsonValue cleanSchema(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray()) {
            array.append(cleanSchema(item));
        }
        return array;
    }
    if (!value.isObject()) {
        return value;
    }
    QJsonObject object;
    const QJsonObject source = value.toObject();
    for (auto it = source.constBegin(); it != source.constEnd(); ++it) {
        if (!contains(rejectedSchemaKeys, it.key())) {
            object.insert(it.key(), cleanSchema(it.value()));
        }
    }
    return object;
}

Result<QJsonObject> mediaPart(const QString &url, const QString &path)
{
    if (const std::optional<DataUrl> data = parseDataUrl(url)) {
        return QJsonObject {
            {u"inlineData"_s, QJsonObject {{u"mimeType"_s, data->mimeType}, {u"data"_s, data->base64Data}}}};
    }
    if (std::any_of(fetchableUrlPrefixes.begin(), fetchableUrlPrefixes.end(),
            [&url](QLatin1StringView prefix) { return url.startsWith(prefix); })) {
        return QJsonObject {{u"fileData"_s, QJsonObject {{u"fileUri"_s, url}}}};
    }
    return failureAs<QJsonObject>(fieldFailure(
        path, Tr::tr("Gemini cannot fetch this URL; send the content as a data: URL with base64 data instead")));
}

// An empty object means "nothing to send".
Result<QJsonObject> encodePart(const QJsonObject &part, const QString &path)
{
    const QString type = part.value("type"_L1).toString();
    if (type == "text"_L1) {
        const QString text = part.value("text"_L1).toString();
        return text.isEmpty() ? QJsonObject() : QJsonObject {{u"text"_s, text}};
    }
    if (type == "image_url"_L1) {
        return mediaPart(part.value("image_url"_L1).toObject().value("url"_L1).toString(),
            joinPath(joinPath(path, "image_url"_L1), "url"_L1));
    }
    if (type == "input_audio"_L1) {
        const QJsonObject audio = part.value("input_audio"_L1).toObject();
        return QJsonObject {{u"inlineData"_s,
            QJsonObject {{u"mimeType"_s, QString(u"audio/"_s + audio.value("format"_L1).toString())},
                {u"data"_s, audio.value("data"_L1)}}}};
    }
    if (type == "file"_L1) {
        const QJsonObject file = part.value("file"_L1).toObject();
        const QString data = file.value("file_data"_L1).toString();
        return mediaPart(data.isEmpty() ? file.value("file_id"_L1).toString() : data, joinPath(path, "file"_L1));
    }
    return failureAs<QJsonObject>(
        fieldFailure(joinPath(path, "type"_L1), Tr::tr("\"%1\" parts cannot be sent to Gemini").arg(type)));
}

Result<QJsonArray> encodeContent(const ChatMessage &message, const QString &path)
{
    QJsonArray parts;
    if (!message.hasParts()) {
        if (!message.text.isEmpty()) {
            parts.append(QJsonObject {{u"text"_s, message.text}});
        }
        return parts;
    }
    for (qsizetype i = 0; i < message.contentParts.size(); ++i) {
        Result<QJsonObject> part
            = encodePart(message.contentParts.at(i).toObject(), indexPath(joinPath(path, "content"_L1), i));
        if (!part) {
            return Result<QJsonArray>::failure(part.errorMessage());
        }
        if (!part->isEmpty()) {
            parts.append(part.value());
        }
    }
    return parts;
}

QString textOf(const ChatMessage &message)
{
    QString text = message.text;
    for (const QJsonValue &part : message.contentParts) {
        text += part.toObject().value("text"_L1).toString();
    }
    return text;
}

Result<QJsonArray> functionCallParts(const ChatMessage &message, const QString &path)
{
    QJsonArray parts;
    for (qsizetype i = 0; i < message.toolCalls.size(); ++i) {
        const QJsonObject call = message.toolCalls.at(i).toObject();
        const QJsonObject function = call.value("function"_L1).toObject();
        const QString arguments = function.value("arguments"_L1).toString();
        QJsonObject args;
        if (!arguments.trimmed().isEmpty()) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                return failureAs<QJsonArray>(fieldFailure(
                    joinPath(joinPath(indexPath(joinPath(path, "tool_calls"_L1), i), "function"_L1), "arguments"_L1),
                    Tr::tr("is not a JSON object; Gemini needs the call arguments as an object")));
            }
            args = doc.object();
        }
        QJsonObject part {{u"functionCall"_s, QJsonObject {{u"name"_s, function.value("name"_L1)}, {u"args"_s, args}}}};
        const QJsonValue signature
            = call.value("extra_content"_L1).toObject().value("google"_L1).toObject().value("thought_signature"_L1);
        if (signature.isString()) {
            part.insert("thoughtSignature"_L1, signature);
        }
        parts.append(part);
    }
    return parts;
}

QJsonObject functionResponsePart(const ChatMessage &message, const QString &name)
{
    const QString text = textOf(message);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    QJsonValue result = text;
    if (error.error == QJsonParseError::NoError) {
        result = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    }
    const QJsonObject response {{message.isError ? u"error"_s : u"output"_s, result}};
    return QJsonObject {{u"functionResponse"_s, QJsonObject {{u"name"_s, name}, {u"response"_s, response}}}};
}

Result<QJsonArray> encodeTools(const QJsonArray &tools)
{
    QJsonArray declarations;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        const QJsonObject function = tool.value("function"_L1).toObject();
        if (tool.value("type"_L1) != "function"_L1 || function.value("name"_L1).toString().isEmpty()) {
            return failureAs<QJsonArray>(fieldFailure(
                indexPath(u"tools"_s, i), Tr::tr("must be a function tool with a name; Gemini takes no other tools")));
        }
        QJsonObject declaration {{u"name"_s, function.value("name"_L1)}};
        if (function.value("description"_L1).isString()) {
            declaration.insert("description"_L1, function.value("description"_L1));
        }
        if (function.value("parameters"_L1).isObject()) {
            declaration.insert("parametersJsonSchema"_L1, cleanSchema(function.value("parameters"_L1)));
        }
        declarations.append(declaration);
    }
    return QJsonArray {QJsonObject {{u"functionDeclarations"_s, declarations}}};
}

Result<QJsonObject> encodeToolConfig(const QJsonValue &choice)
{
    QJsonObject config;
    if (choice == "auto"_L1) {
        config.insert("mode"_L1, "AUTO"_L1);
    } else if (choice == "none"_L1) {
        config.insert("mode"_L1, "NONE"_L1);
    } else if (choice == "required"_L1) {
        config.insert("mode"_L1, "ANY"_L1);
    } else if (choice.isObject() && choice.toObject().value("type"_L1) == "function"_L1) {
        const QString name = choice.toObject().value("function"_L1).toObject().value("name"_L1).toString();
        if (name.isEmpty()) {
            return failureAs<QJsonObject>(
                fieldFailure(u"tool_choice.function.name"_s, Tr::tr("must be a non-empty string")));
        }
        config.insert("mode"_L1, "ANY"_L1);
        config.insert("allowedFunctionNames"_L1, QJsonArray {name});
    } else {
        return failureAs<QJsonObject>(fieldFailure(u"tool_choice"_s,
            Tr::tr("must be \"auto\", \"none\", \"required\" or a function; Gemini has no equivalent for this one")));
    }
    return QJsonObject {{u"functionCallingConfig"_s, config}};
}

QJsonObject generationConfig(const ChatRequest &request)
{
    QJsonObject config;
    if (request.temperature) {
        config.insert("temperature"_L1, *request.temperature);
    }
    if (request.topP) {
        config.insert("topP"_L1, *request.topP);
    }
    if (request.maxTokens) {
        config.insert("maxOutputTokens"_L1, *request.maxTokens);
    }
    if (!request.stop.isEmpty()) {
        config.insert("stopSequences"_L1, request.stop);
    }
    for (const auto &[from, to] :
        {std::pair {"seed"_L1, "seed"_L1}, std::pair {"presence_penalty"_L1, "presencePenalty"_L1},
            std::pair {"frequency_penalty"_L1, "frequencyPenalty"_L1}}) {
        if (request.extra.value(from).isDouble()) {
            config.insert(to, request.extra.value(from));
        }
    }
    const QJsonObject format = request.extra.value("response_format"_L1).toObject();
    const QString formatType = format.value("type"_L1).toString();
    if (formatType == "json_object"_L1 || formatType == "json_schema"_L1) {
        config.insert("responseMimeType"_L1, "application/json"_L1);
        const QJsonValue schema = format.value("json_schema"_L1).toObject().value("schema"_L1);
        if (schema.isObject()) {
            config.insert("responseJsonSchema"_L1, cleanSchema(schema));
        }
    }
    return config;
}

struct Turn
{
    QString role;
    QJsonArray parts;
};

QJsonObject toolCall(const QString &id, const QJsonObject &functionCall, const QJsonValue &signature)
{
    const QJsonObject function {{u"name"_s, functionCall.value("name"_L1)},
        {u"arguments"_s, QString::fromUtf8(compactJson(functionCall.value("args"_L1).toObject()))}};
    QJsonObject call {{u"id"_s, id}, {u"type"_s, u"function"_s}, {u"function"_s, function}};
    if (signature.isString()) {
        call.insert("extra_content"_L1, QJsonObject {{u"google"_s, QJsonObject {{u"thought_signature"_s, signature}}}});
    }
    return call;
}
} // namespace

QString GeminiCodec::requestPath(const QString &model, bool stream)
{
    const QString name = model.startsWith("models/"_L1) ? model.sliced(7) : model;
    return u"/models/"_s + QString::fromUtf8(QUrl::toPercentEncoding(name, "-._~"))
        + (stream ? u":streamGenerateContent?alt=sse"_s : u":generateContent"_s);
}

Result<QByteArray> GeminiCodec::encodeRequest(const ChatRequest &request)
{
    QJsonArray systemParts;
    QList<Turn> turns;
    QHash<QString, QString> functionNames; // tool call id -> function name
    for (qsizetype i = 0; i < request.messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        const QString path = indexPath(u"messages"_s, i);
        Result<QJsonArray> parts = QJsonArray();
        if (message.role == "system"_L1 || message.role == "developer"_L1) {
            const QString text = textOf(message);
            if (!text.isEmpty()) {
                systemParts.append(QJsonObject {{u"text"_s, text}});
            }
            continue;
        }
        if (message.role == "tool"_L1) {
            const auto name = functionNames.constFind(message.toolCallId);
            if (name == functionNames.constEnd()) {
                return failureAs<QByteArray>(fieldFailure(joinPath(path, "tool_call_id"_L1),
                    Tr::tr("\"%1\" answers no earlier tool call; Gemini needs the function's name")
                        .arg(message.toolCallId)));
            }
            parts = QJsonArray {functionResponsePart(message, *name)};
        } else {
            parts = encodeContent(message, path);
            if (parts && message.role == "assistant"_L1) {
                Result<QJsonArray> calls = functionCallParts(message, path);
                if (!calls) {
                    return Result<QByteArray>::failure(calls.errorMessage());
                }
                for (const QJsonValue &call : calls.value()) {
                    parts->append(call);
                }
                for (const QJsonValue &call : message.toolCalls) {
                    functionNames.insert(call.toObject().value("id"_L1).toString(),
                        call.toObject().value("function"_L1).toObject().value("name"_L1).toString());
                }
            }
        }
        if (!parts) {
            return Result<QByteArray>::failure(parts.errorMessage());
        }
        if (parts->isEmpty()) {
            continue;
        }
        const QString role = message.role == "assistant"_L1 ? u"model"_s : u"user"_s;
        if (!turns.isEmpty() && turns.last().role == role) {
            for (const QJsonValue &part : parts.value()) {
                turns.last().parts.append(part);
            }
        } else {
            turns.append(Turn {role, parts.value()});
        }
    }
    if (turns.isEmpty()) {
        return failureAs<QByteArray>(
            fieldFailure(u"messages"_s, Tr::tr("must hold at least one user or assistant message with content")));
    }

    QJsonObject body;
    if (!systemParts.isEmpty()) {
        body.insert("systemInstruction"_L1, QJsonObject {{u"parts"_s, systemParts}});
    }
    QJsonArray contents;
    for (const Turn &turn : std::as_const(turns)) {
        contents.append(QJsonObject {{u"role"_s, turn.role}, {u"parts"_s, turn.parts}});
    }
    body.insert("contents"_L1, contents);
    if (!request.tools.isEmpty()) {
        Result<QJsonArray> tools = encodeTools(request.tools);
        if (!tools) {
            return Result<QByteArray>::failure(tools.errorMessage());
        }
        body.insert("tools"_L1, tools.value());
        if (!isAbsent(request.toolChoice)) {
            Result<QJsonObject> config = encodeToolConfig(request.toolChoice);
            if (!config) {
                return Result<QByteArray>::failure(config.errorMessage());
            }
            body.insert("toolConfig"_L1, config.value());
        }
    }
    const QJsonObject config = generationConfig(request);
    if (!config.isEmpty()) {
        body.insert("generationConfig"_L1, config);
    }
    return compactJson(body);
}

ChatResponse GeminiCodec::decodeResponseObject(const QJsonObject &body, int firstToolCallNumber)
{
    ChatResponse response;
    response.id = body.value("responseId"_L1).toString();
    response.model = body.value("modelVersion"_L1).toString();
    int toolCallNumber = firstToolCallNumber;
    const QJsonArray candidates = body.value("candidates"_L1).toArray();
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const QJsonObject candidate = candidates.at(i).toObject();
        ChatChoice choice;
        choice.index = int(candidate.value("index"_L1).toInteger(i));
        choice.message.role = u"assistant"_s;
        for (const QJsonValue &value : candidate.value("content"_L1).toObject().value("parts"_L1).toArray()) {
            const QJsonObject part = value.toObject();
            if (part.value("functionCall"_L1).isObject()) {
                const QJsonObject functionCall = part.value("functionCall"_L1).toObject();
                QString id = functionCall.value("id"_L1).toString();
                if (id.isEmpty()) {
                    id = u"call_%1_%2"_s.arg(response.id).arg(toolCallNumber);
                }
                ++toolCallNumber;
                choice.message.toolCalls.append(toolCall(id, functionCall, part.value("thoughtSignature"_L1)));
            } else if (part.value("thought"_L1).toBool()) {
                choice.message.reasoning += part.value("text"_L1).toString();
            } else {
                choice.message.text += part.value("text"_L1).toString();
            }
        }
        choice.finishReason
            = finishReasonFor(candidate.value("finishReason"_L1).toString(), !choice.message.toolCalls.isEmpty());
        response.choices.append(choice);
    }
    if (candidates.isEmpty() && body.value("promptFeedback"_L1).toObject().contains("blockReason"_L1)) {
        ChatChoice blocked;
        blocked.message.role = u"assistant"_s;
        blocked.finishReason = u"content_filter"_s;
        response.choices.append(blocked);
    }
    if (body.value("usageMetadata"_L1).isObject()) {
        response.usage = decodeUsage(body.value("usageMetadata"_L1).toObject());
    }
    return response;
}

Result<ChatResponse> GeminiCodec::decodeResponse(const QByteArray &json)
{
    const Result<QJsonObject> parsed = parseJsonObject(json, JsonDocumentKind::Response);
    if (!parsed) {
        return Result<ChatResponse>::failure(parsed.errorMessage());
    }
    if (parsed->value("error"_L1).isObject()) {
        const ProviderError error = decodeErrorObject(parsed->value("error"_L1).toObject(), 0);
        return Result<ChatResponse>::failure(
            Tr::tr("The provider answered with an error instead of content: %1").arg(error.message));
    }
    return decodeResponseObject(parsed.value());
}

Usage GeminiCodec::decodeUsage(const QJsonObject &usageMetadata)
{
    const qint64 prompt = usageMetadata.value("promptTokenCount"_L1).toInteger();
    const qint64 toolUsePrompt = usageMetadata.value("toolUsePromptTokenCount"_L1).toInteger();
    const qint64 candidates = usageMetadata.value("candidatesTokenCount"_L1).toInteger();
    const qint64 thoughts = usageMetadata.value("thoughtsTokenCount"_L1).toInteger();
    const qint64 total = usageMetadata.value("totalTokenCount"_L1).toInteger();
    Usage usage;
    usage.promptTokens = prompt + toolUsePrompt;
    usage.cachedTokens = usageMetadata.value("cachedContentTokenCount"_L1).toInteger();
    usage.reasoningTokens = thoughts;
    // Older responses counted thoughts inside candidatesTokenCount; the total tells which it is.
    const bool thoughtsInCandidates = thoughts > 0 && prompt + toolUsePrompt + candidates == total;
    usage.completionTokens = thoughtsInCandidates ? candidates : candidates + thoughts;
    usage.isReported = true;
    return usage;
}

QString GeminiCodec::finishReasonFor(const QString &finishReason, bool hasFunctionCalls)
{
    if (finishReason.isEmpty()) {
        return QString();
    }
    if (finishReason == "MAX_TOKENS"_L1) {
        return u"length"_s;
    }
    if (contains(filteredFinishReasons, finishReason)) {
        return u"content_filter"_s;
    }
    return hasFunctionCalls && finishReason == "STOP"_L1 ? u"tool_calls"_s : u"stop"_s;
}

ProviderError GeminiCodec::decodeErrorObject(const QJsonObject &error, int httpStatus)
{
    ProviderError result;
    const QJsonValue code = error.value("code"_L1);
    result.httpStatus = httpStatus != 0 ? httpStatus : int(code.toInteger());
    const QString status = error.value("status"_L1).toString();
    QString reason;
    for (const QJsonValue &detail : error.value("details"_L1).toArray()) {
        if (reason.isEmpty()) {
            reason = detail.toObject().value("reason"_L1).toString();
        }
    }
    result.message = error.value("message"_L1).toString();
    result.code = reason.isEmpty() ? status : reason;
    const auto kind = std::find_if(
        statusKinds.begin(), statusKinds.end(), [&status](const StatusKind &k) { return k.status == status; });
    if (reason == "API_KEY_INVALID"_L1) {
        result.type = u"authentication_error"_s;
    } else if (kind != statusKinds.end()) {
        result.type = QString(kind->type);
    } else {
        result.type = OpenAiCodec::errorTypeForStatus(result.httpStatus);
    }
    if (result.message.contains("input token count"_L1, Qt::CaseInsensitive)
        && result.message.contains("exceeds the maximum"_L1, Qt::CaseInsensitive)) {
        result.code = u"context_length_exceeded"_s;
    }
    if (result.message.isEmpty()) {
        result.message = Tr::tr("The provider reported an error (%1) without a message.").arg(result.type);
    }
    return result;
}

ProviderError GeminiCodec::decodeError(int httpStatus, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonValue error = doc.object().value("error"_L1);
    // A streamed (non-SSE) error comes as a one-element array.
    const QJsonValue arrayError = doc.array().at(0).toObject().value("error"_L1);
    if (parseError.error == QJsonParseError::NoError && (error.isObject() || arrayError.isObject())) {
        return decodeErrorObject(error.isObject() ? error.toObject() : arrayError.toObject(), httpStatus);
    }
    qCDebug(lcGemini) << "error body of HTTP" << httpStatus << "is not a Google error object";
    return OpenAiCodec::decodeError(httpStatus, body);
}

} // namespace Switchyard::Protocol
