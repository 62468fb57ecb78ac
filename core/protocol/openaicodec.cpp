#include "core/protocol/openaicodec.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcCodec, "switchyard.protocol.openaicodec")

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Protocol)
};

constexpr qsizetype maxTextErrorLength = 500;
constexpr std::initializer_list<QLatin1StringView> validRoles
    = {"system"_L1, "developer"_L1, "user"_L1, "assistant"_L1, "tool"_L1};
// Request fields decodeRequest maps onto ChatRequest members; all others go to `extra`.
constexpr std::initializer_list<QLatin1StringView> interpretedRequestFields
    = {"model"_L1, "messages"_L1, "max_completion_tokens"_L1, "max_tokens"_L1, "temperature"_L1, "top_p"_L1, "stop"_L1,
        "tools"_L1, "tool_choice"_L1, "stream"_L1, "stream_options"_L1};

QString joinPath(const QString &prefix, QLatin1StringView key)
{
    if (prefix.isEmpty()) {
        return QString(key);
    }
    return prefix + u'.' + key;
}

QString indexPath(const QString &prefix, int index)
{
    return u"%1[%2]"_s.arg(prefix).arg(index);
}

Status fieldFailure(const QString &path, const QString &problem)
{
    return Status::failure(Tr::tr("%1: %2").arg(path, problem));
}

template <typename T> Result<T> failureAs(const Status &status)
{
    return Result<T>::failure(status.errorMessage());
}

bool isAbsent(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

// Whole sentences per document kind, so that translators never assemble fragments.
struct DocumentMessages
{
    const char *notJson; // %1 parser message, %2 byte offset
    const char *notObject;
};

constexpr DocumentMessages requestMessages {
    QT_TRANSLATE_NOOP("Switchyard::Protocol", "The request body is not valid JSON: %1 at byte %2."),
    QT_TRANSLATE_NOOP("Switchyard::Protocol", "The request body must be a JSON object.")};
constexpr DocumentMessages responseMessages {
    QT_TRANSLATE_NOOP("Switchyard::Protocol", "The response body is not valid JSON: %1 at byte %2."),
    QT_TRANSLATE_NOOP("Switchyard::Protocol", "The response body must be a JSON object.")};
constexpr DocumentMessages streamEventMessages {
    QT_TRANSLATE_NOOP("Switchyard::Protocol", "The stream event is not valid JSON: %1 at byte %2."),
    QT_TRANSLATE_NOOP("Switchyard::Protocol", "The stream event must be a JSON object.")};

Result<QJsonObject> parseObject(QByteArrayView json, const DocumentMessages &messages)
{
    QJsonParseError parseError;
    // The parser only reads the bytes during the call, so they need not be copied.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), json.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Result<QJsonObject>::failure(
            Tr::tr(messages.notJson).arg(parseError.errorString()).arg(parseError.offset));
    }
    if (!doc.isObject()) {
        return Result<QJsonObject>::failure(Tr::tr(messages.notObject));
    }
    return doc.object();
}

// Absent and null leave `out` untouched.
Status readString(const QJsonObject &object, QLatin1StringView key, const QString &prefix, QString &out)
{
    const QJsonValue value = object.value(key);
    if (isAbsent(value)) {
        return success();
    }
    if (!value.isString()) {
        return fieldFailure(joinPath(prefix, key), Tr::tr("must be a string"));
    }
    out = value.toString();
    return success();
}

Status requireNonEmptyString(const QJsonObject &object, QLatin1StringView key, const QString &prefix, QString &out)
{
    const QJsonValue value = object.value(key);
    if (!value.isString() || value.toString().isEmpty()) {
        return fieldFailure(joinPath(prefix, key), Tr::tr("must be a non-empty string"));
    }
    out = value.toString();
    return success();
}

Status readNumber(const QJsonObject &object, QLatin1StringView key, std::optional<double> &out)
{
    const QJsonValue value = object.value(key);
    if (isAbsent(value)) {
        return success();
    }
    if (!value.isDouble()) {
        return fieldFailure(QString(key), Tr::tr("must be a number"));
    }
    out = value.toDouble();
    return success();
}

Status readTokenLimit(const QJsonObject &object, QLatin1StringView key, std::optional<qint64> &out)
{
    const QJsonValue value = object.value(key);
    if (isAbsent(value)) {
        return success();
    }
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 1 || number != std::floor(number)) {
        return fieldFailure(QString(key), Tr::tr("must be a positive whole number"));
    }
    out = value.toInteger();
    return success();
}

Status validateObjectArray(const QJsonValue &value, const QString &path)
{
    if (!value.isArray()) {
        return fieldFailure(path, Tr::tr("must be an array"));
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            return fieldFailure(indexPath(path, int(i)), Tr::tr("must be an object"));
        }
    }
    return success();
}

Status validateContentPart(const QJsonObject &part, const QString &path)
{
    QString type;
    if (Status status = requireNonEmptyString(part, "type"_L1, path, type); !status) {
        return status;
    }
    if (type == "text"_L1) {
        if (!part.value("text"_L1).isString()) {
            return fieldFailure(joinPath(path, "text"_L1), Tr::tr("must be a string"));
        }
    } else if (type == "image_url"_L1) {
        QString url;
        return requireNonEmptyString(
            part.value("image_url"_L1).toObject(), "url"_L1, joinPath(path, "image_url"_L1), url);
    }
    return success();
}

Status readContent(const QJsonObject &message, const QString &prefix, ChatMessage &out)
{
    const QJsonValue content = message.value("content"_L1);
    const QString path = joinPath(prefix, "content"_L1);
    if (isAbsent(content)) {
        // Only an assistant turn may come without content (it carries tool calls or a refusal).
        if (out.role == "assistant"_L1) {
            return success();
        }
        return fieldFailure(path, Tr::tr("is required for %1 messages").arg(out.role));
    }
    if (content.isString()) {
        out.text = content.toString();
        return success();
    }
    if (!content.isArray()) {
        return fieldFailure(path, Tr::tr("must be a string or an array of content parts"));
    }
    if (Status status = validateObjectArray(content, path); !status) {
        return status;
    }
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (Status status = validateContentPart(parts.at(i).toObject(), indexPath(path, int(i))); !status) {
            return status;
        }
    }
    // A lone plain text part is just text; anything richer (several parts, images, extra keys
    // such as cache_control) stays as parts so that nothing is lost.
    const QJsonObject first = parts.isEmpty() ? QJsonObject() : parts.first().toObject();
    if (parts.size() == 1 && first.size() == 2 && first.value("type"_L1) == "text"_L1) {
        out.text = first.value("text"_L1).toString();
    } else {
        out.contentParts = parts;
    }
    return success();
}

Status validateToolCalls(const QJsonValue &value, const QString &path)
{
    if (Status status = validateObjectArray(value, path); !status) {
        return status;
    }
    const QJsonArray calls = value.toArray();
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject call = calls.at(i).toObject();
        const QString callPath = indexPath(path, int(i));
        QString scratch;
        if (Status status = requireNonEmptyString(call, "id"_L1, callPath, scratch); !status) {
            return status;
        }
        const QString functionPath = joinPath(callPath, "function"_L1);
        const QJsonObject function = call.value("function"_L1).toObject();
        if (Status status = requireNonEmptyString(function, "name"_L1, functionPath, scratch); !status) {
            return status;
        }
        if (!function.value("arguments"_L1).isString()) {
            return fieldFailure(
                joinPath(functionPath, "arguments"_L1), Tr::tr("must be a string holding the JSON-encoded arguments"));
        }
    }
    return success();
}

Result<ChatMessage> readMessage(const QJsonValue &value, const QString &prefix)
{
    if (!value.isObject()) {
        return failureAs<ChatMessage>(fieldFailure(prefix, Tr::tr("must be an object")));
    }
    const QJsonObject object = value.toObject();
    ChatMessage message;
    const QJsonValue role = object.value("role"_L1);
    const auto isValidRole = [&role](QLatin1StringView valid) { return role.toString() == valid; };
    if (!role.isString() || std::none_of(validRoles.begin(), validRoles.end(), isValidRole)) {
        QStringList names;
        for (QLatin1StringView valid : validRoles) {
            names.append(QString(valid));
        }
        const QString problem = role.isString()
            ? Tr::tr("\"%1\" is not one of %2").arg(role.toString(), names.join(", "_L1))
            : Tr::tr("must be one of %1").arg(names.join(", "_L1));
        return failureAs<ChatMessage>(fieldFailure(joinPath(prefix, "role"_L1), problem));
    }
    message.role = role.toString();

    if (Status status = readContent(object, prefix, message); !status) {
        return failureAs<ChatMessage>(status);
    }
    for (const auto &[key, target] : {std::pair {"name"_L1, &message.name}, std::pair {"refusal"_L1, &message.refusal},
             std::pair {"reasoning_content"_L1, &message.reasoning}}) {
        if (Status status = readString(object, key, prefix, *target); !status) {
            return failureAs<ChatMessage>(status);
        }
    }
    const QJsonValue toolCalls = object.value("tool_calls"_L1);
    if (!isAbsent(toolCalls)) {
        if (Status status = validateToolCalls(toolCalls, joinPath(prefix, "tool_calls"_L1)); !status) {
            return failureAs<ChatMessage>(status);
        }
        message.toolCalls = toolCalls.toArray();
    }
    if (message.role == "tool"_L1) {
        if (Status status = requireNonEmptyString(object, "tool_call_id"_L1, prefix, message.toolCallId); !status) {
            return failureAs<ChatMessage>(status);
        }
    }
    return message;
}

QJsonObject encodeMessage(const ChatMessage &message)
{
    QJsonObject object;
    object.insert("role"_L1, message.role);
    if (message.hasParts()) {
        object.insert("content"_L1, message.contentParts);
    } else if (message.text.isEmpty() && message.role == "assistant"_L1
        && (!message.toolCalls.isEmpty() || !message.refusal.isEmpty())) {
        object.insert("content"_L1, QJsonValue::Null);
    } else {
        object.insert("content"_L1, message.text);
    }
    if (!message.name.isEmpty()) {
        object.insert("name"_L1, message.name);
    }
    if (!message.toolCalls.isEmpty()) {
        object.insert("tool_calls"_L1, message.toolCalls);
    }
    if (!message.toolCallId.isEmpty()) {
        object.insert("tool_call_id"_L1, message.toolCallId);
    }
    if (!message.refusal.isEmpty()) {
        object.insert("refusal"_L1, message.refusal);
    }
    if (!message.reasoning.isEmpty()) {
        object.insert("reasoning_content"_L1, message.reasoning);
    }
    return object;
}

QJsonValue stringOrNull(const QString &value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

// Codes are strings at OpenAI but numbers at vLLM and OpenRouter.
QString codeText(const QJsonValue &code)
{
    return code.isDouble() ? QString::number(code.toInteger()) : code.toString();
}

ProviderError readErrorObject(const QJsonObject &object, int httpStatus)
{
    ProviderError error;
    error.httpStatus = httpStatus;
    error.message = object.value("message"_L1).toString();
    error.type = object.value("type"_L1).toString();
    error.param = object.value("param"_L1).toString();
    const QJsonValue code = object.value("code"_L1);
    error.code = codeText(code);
    // An in-stream error has no HTTP status of its own; OpenRouter puts one in `code`.
    if (error.httpStatus == 0 && code.isDouble() && code.toInteger() >= 400 && code.toInteger() <= 599) {
        error.httpStatus = int(code.toInteger());
    }
    if (error.type.isEmpty()) {
        error.type = OpenAiCodec::errorTypeForStatus(error.httpStatus);
    }
    if (error.message.isEmpty()) {
        error.message = Tr::tr("The provider reported an error (%1) without a message.").arg(error.type);
    }
    return error;
}

QJsonObject errorBody(const ProviderError &error)
{
    QJsonObject inner;
    inner.insert("message"_L1, error.message);
    inner.insert("type"_L1, error.type);
    inner.insert("param"_L1, stringOrNull(error.param));
    inner.insert("code"_L1, stringOrNull(error.code));
    QJsonObject body;
    body.insert("error"_L1, inner);
    return body;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray sseFrame(const QByteArray &payload)
{
    return "data: "_ba + payload + "\n\n"_ba;
}
} // namespace

Result<ChatRequest> OpenAiCodec::decodeRequest(const QByteArray &json)
{
    const Result<QJsonObject> parsed = parseObject(json, requestMessages);
    if (!parsed) {
        return Result<ChatRequest>::failure(parsed.errorMessage());
    }
    const QJsonObject &body = parsed.value();
    ChatRequest request;

    if (Status status = requireNonEmptyString(body, "model"_L1, {}, request.model); !status) {
        return failureAs<ChatRequest>(status);
    }
    const QJsonValue messages = body.value("messages"_L1);
    if (!messages.isArray() || messages.toArray().isEmpty()) {
        return failureAs<ChatRequest>(fieldFailure(u"messages"_s, Tr::tr("must be a non-empty array of messages")));
    }
    const QJsonArray messageArray = messages.toArray();
    request.messages.reserve(messageArray.size());
    for (qsizetype i = 0; i < messageArray.size(); ++i) {
        Result<ChatMessage> message = readMessage(messageArray.at(i), indexPath(u"messages"_s, int(i)));
        if (!message) {
            return Result<ChatRequest>::failure(message.errorMessage());
        }
        request.messages.append(std::move(message).value());
    }

    if (Status status = readTokenLimit(body, "max_completion_tokens"_L1, request.maxTokens); !status) {
        return failureAs<ChatRequest>(status);
    }
    if (!request.maxTokens) {
        if (Status status = readTokenLimit(body, "max_tokens"_L1, request.maxTokens); !status) {
            return failureAs<ChatRequest>(status);
        }
    }
    if (Status status = readNumber(body, "temperature"_L1, request.temperature); !status) {
        return failureAs<ChatRequest>(status);
    }
    if (Status status = readNumber(body, "top_p"_L1, request.topP); !status) {
        return failureAs<ChatRequest>(status);
    }

    const QJsonValue stop = body.value("stop"_L1);
    if (stop.isString()) {
        request.stop = QJsonArray {stop};
    } else if (stop.isArray()) {
        const QJsonArray sequences = stop.toArray();
        for (qsizetype i = 0; i < sequences.size(); ++i) {
            if (!sequences.at(i).isString()) {
                return failureAs<ChatRequest>(fieldFailure(indexPath(u"stop"_s, int(i)), Tr::tr("must be a string")));
            }
        }
        request.stop = sequences;
    } else if (!isAbsent(stop)) {
        return failureAs<ChatRequest>(fieldFailure(u"stop"_s, Tr::tr("must be a string or an array of strings")));
    }

    const QJsonValue tools = body.value("tools"_L1);
    if (!isAbsent(tools)) {
        if (Status status = validateObjectArray(tools, u"tools"_s); !status) {
            return failureAs<ChatRequest>(status);
        }
        request.tools = tools.toArray();
    }
    const QJsonValue toolChoice = body.value("tool_choice"_L1);
    if (toolChoice.isString() || toolChoice.isObject()) {
        request.toolChoice = toolChoice;
    } else if (isAbsent(toolChoice)) {
        // ChatRequest documents absence as undefined; a default-constructed QJsonValue is null.
        request.toolChoice = QJsonValue(QJsonValue::Undefined);
    } else {
        return failureAs<ChatRequest>(
            fieldFailure(u"tool_choice"_s, Tr::tr("must be \"none\", \"auto\", \"required\" or an object")));
    }

    const QJsonValue stream = body.value("stream"_L1);
    if (!stream.isBool() && !isAbsent(stream)) {
        return failureAs<ChatRequest>(fieldFailure(u"stream"_s, Tr::tr("must be true or false")));
    }
    request.stream = stream.toBool();

    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        const auto isInterpreted = [&it](QLatin1StringView field) { return it.key() == field; };
        if (std::none_of(interpretedRequestFields.begin(), interpretedRequestFields.end(), isInterpreted)) {
            request.extra.insert(it.key(), it.value());
        }
    }

    // stream_options is only meaningful with stream:true, so it is dropped otherwise.
    const QJsonValue streamOptions = body.value("stream_options"_L1);
    if (!streamOptions.isObject() && !isAbsent(streamOptions)) {
        return failureAs<ChatRequest>(fieldFailure(u"stream_options"_s, Tr::tr("must be an object")));
    }
    if (request.stream && streamOptions.isObject()) {
        QJsonObject options = streamOptions.toObject();
        const QJsonValue includeUsage = options.take("include_usage"_L1);
        if (!includeUsage.isBool() && !isAbsent(includeUsage)) {
            return failureAs<ChatRequest>(
                fieldFailure(u"stream_options.include_usage"_s, Tr::tr("must be true or false")));
        }
        request.includeUsage = includeUsage.toBool();
        if (!options.isEmpty()) {
            request.extra.insert("stream_options"_L1, options);
        }
    }
    return request;
}

QByteArray OpenAiCodec::encodeRequest(const ChatRequest &request)
{
    QJsonObject body = request.extra;
    body.insert("model"_L1, request.model);
    QJsonArray messages;
    for (const ChatMessage &message : request.messages) {
        messages.append(encodeMessage(message));
    }
    body.insert("messages"_L1, messages);
    if (request.maxTokens) {
        body.insert("max_completion_tokens"_L1, *request.maxTokens);
    }
    if (request.temperature) {
        body.insert("temperature"_L1, *request.temperature);
    }
    if (request.topP) {
        body.insert("top_p"_L1, *request.topP);
    }
    if (!request.stop.isEmpty()) {
        body.insert("stop"_L1, request.stop);
    }
    if (!request.tools.isEmpty()) {
        body.insert("tools"_L1, request.tools);
    }
    if (!isAbsent(request.toolChoice)) {
        body.insert("tool_choice"_L1, request.toolChoice);
    }
    if (request.stream) {
        body.insert("stream"_L1, true);
        if (request.includeUsage) {
            QJsonObject options = body.value("stream_options"_L1).toObject();
            options.insert("include_usage"_L1, true);
            body.insert("stream_options"_L1, options);
        }
    } else {
        body.remove("stream_options"_L1);
    }
    return compact(body);
}

Result<ChatResponse> OpenAiCodec::decodeResponse(const QByteArray &json)
{
    const Result<QJsonObject> parsed = parseObject(json, responseMessages);
    if (!parsed) {
        return Result<ChatResponse>::failure(parsed.errorMessage());
    }
    const QJsonObject &body = parsed.value();
    if (body.value("error"_L1).isObject()) {
        const ProviderError error = readErrorObject(body.value("error"_L1).toObject(), 0);
        return Result<ChatResponse>::failure(
            Tr::tr("The provider answered with an error instead of a completion: %1").arg(error.message));
    }
    const QJsonValue choices = body.value("choices"_L1);
    if (Status status = validateObjectArray(choices, u"choices"_s); !status) {
        return failureAs<ChatResponse>(status);
    }

    ChatResponse response;
    response.id = body.value("id"_L1).toString();
    response.model = body.value("model"_L1).toString();
    response.created = body.value("created"_L1).toInteger();
    const QJsonArray choiceArray = choices.toArray();
    for (qsizetype i = 0; i < choiceArray.size(); ++i) {
        const QJsonObject object = choiceArray.at(i).toObject();
        const QString path = indexPath(u"choices"_s, int(i));
        ChatChoice choice;
        choice.index = int(object.value("index"_L1).toInteger(i));
        Result<ChatMessage> message = readMessage(object.value("message"_L1), joinPath(path, "message"_L1));
        if (!message) {
            return Result<ChatResponse>::failure(message.errorMessage());
        }
        choice.message = std::move(message).value();
        if (Status status = readString(object, "finish_reason"_L1, path, choice.finishReason); !status) {
            return failureAs<ChatResponse>(status);
        }
        response.choices.append(choice);
    }
    if (body.value("usage"_L1).isObject()) {
        response.usage = decodeUsage(body.value("usage"_L1).toObject());
    }
    return response;
}

QByteArray OpenAiCodec::encodeResponse(const ChatResponse &response)
{
    QJsonArray choices;
    for (const ChatChoice &choice : response.choices) {
        QJsonObject object;
        object.insert("index"_L1, choice.index);
        object.insert("message"_L1, encodeMessage(choice.message));
        object.insert("finish_reason"_L1, stringOrNull(choice.finishReason));
        choices.append(object);
    }
    QJsonObject body;
    body.insert("id"_L1, response.id);
    body.insert("object"_L1, "chat.completion"_L1);
    body.insert("created"_L1, response.created);
    body.insert("model"_L1, response.model);
    body.insert("choices"_L1, choices);
    if (response.usage.isReported) {
        body.insert("usage"_L1, encodeUsage(response.usage));
    }
    return compact(body);
}

Usage OpenAiCodec::decodeUsage(const QJsonObject &usage)
{
    const QJsonObject promptDetails = usage.value("prompt_tokens_details"_L1).toObject();
    const QJsonObject completionDetails = usage.value("completion_tokens_details"_L1).toObject();
    Usage result;
    result.promptTokens = usage.value("prompt_tokens"_L1).toInteger();
    result.completionTokens = usage.value("completion_tokens"_L1).toInteger();
    const QJsonValue cached = promptDetails.value("cached_tokens"_L1);
    result.cachedTokens
        = cached.isDouble() ? cached.toInteger() : usage.value("prompt_cache_hit_tokens"_L1).toInteger();
    result.cacheWriteTokens = promptDetails.value("cache_write_tokens"_L1).toInteger();
    result.reasoningTokens = completionDetails.value("reasoning_tokens"_L1).toInteger();
    // OpenRouter bills in the answer (USD).
    if (const QJsonValue cost = usage.value("cost"_L1); cost.isDouble()) {
        result.reportedCost = Money::fromUsd(cost.toDouble());
    }
    result.isReported = true;
    return result;
}

QJsonObject OpenAiCodec::encodeUsage(const Usage &usage)
{
    QJsonObject promptDetails;
    promptDetails.insert("cached_tokens"_L1, usage.cachedTokens);
    // Only newer models report cache writes; older clients never saw the field.
    if (usage.cacheWriteTokens != 0) {
        promptDetails.insert("cache_write_tokens"_L1, usage.cacheWriteTokens);
    }
    QJsonObject completionDetails;
    completionDetails.insert("reasoning_tokens"_L1, usage.reasoningTokens);
    QJsonObject object;
    object.insert("prompt_tokens"_L1, usage.promptTokens);
    object.insert("completion_tokens"_L1, usage.completionTokens);
    object.insert("total_tokens"_L1, usage.totalTokens());
    object.insert("prompt_tokens_details"_L1, promptDetails);
    object.insert("completion_tokens_details"_L1, completionDetails);
    if (usage.reportedCost) {
        object.insert("cost"_L1, usage.reportedCost->usd());
    }
    return object;
}

Result<StreamEvent> OpenAiCodec::decodeStreamData(QByteArrayView data)
{
    StreamEvent event;
    if (data.trimmed() == QByteArrayView("[DONE]")) {
        event.kind = StreamEvent::Kind::Done;
        return event;
    }
    const Result<QJsonObject> parsed = parseObject(data, streamEventMessages);
    if (!parsed) {
        qCWarning(lcCodec) << "undecodable stream event of" << data.size() << "bytes";
        return Result<StreamEvent>::failure(parsed.errorMessage());
    }
    const QJsonObject &chunk = parsed.value();
    event.id = chunk.value("id"_L1).toString();
    event.model = chunk.value("model"_L1).toString();
    event.created = chunk.value("created"_L1).toInteger();

    if (chunk.value("error"_L1).isObject()) {
        event.kind = StreamEvent::Kind::Error;
        event.error = readErrorObject(chunk.value("error"_L1).toObject(), 0);
        return event;
    }

    // xAI and Groq attach usage to a chunk that also has choices; Groq's legacy place is x_groq.
    const QJsonValue usage = chunk.value("usage"_L1);
    const QJsonValue groqUsage = chunk.value("x_groq"_L1).toObject().value("usage"_L1);
    if (usage.isObject()) {
        event.usage = decodeUsage(usage.toObject());
    } else if (groqUsage.isObject()) {
        event.usage = decodeUsage(groqUsage.toObject());
    }

    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    if (choices.isEmpty()) {
        if (event.usage) {
            event.kind = StreamEvent::Kind::Usage;
        }
        return event;
    }
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value("delta"_L1).toObject();
    event.choiceIndex = int(choice.value("index"_L1).toInteger());
    event.role = delta.value("role"_L1).toString();
    event.contentDelta = delta.value("content"_L1).toString();
    // DeepSeek, xAI and Groq say reasoning_content; OpenRouter and newer vLLM say reasoning.
    const QJsonValue reasoning = delta.value("reasoning_content"_L1);
    event.reasoningDelta = reasoning.isString() ? reasoning.toString() : delta.value("reasoning"_L1).toString();
    event.toolCallDeltas = delta.value("tool_calls"_L1).toArray();
    event.finishReason = choice.value("finish_reason"_L1).toString();
    return event;
}

QByteArray OpenAiCodec::encodeStreamEvent(const StreamEvent &event)
{
    switch (event.kind) {
    case StreamEvent::Kind::Done:
        return "data: [DONE]\n\n"_ba;
    case StreamEvent::Kind::Error:
        return sseFrame(compact(errorBody(event.error.value_or(ProviderError {}))));
    case StreamEvent::Kind::Usage:
    case StreamEvent::Kind::Delta:
        break;
    }

    QJsonObject chunk;
    chunk.insert("id"_L1, event.id);
    chunk.insert("object"_L1, "chat.completion.chunk"_L1);
    chunk.insert("created"_L1, event.created);
    chunk.insert("model"_L1, event.model);
    QJsonArray choices;
    if (event.kind == StreamEvent::Kind::Delta) {
        QJsonObject delta;
        if (!event.role.isEmpty()) {
            delta.insert("role"_L1, event.role);
        }
        // OpenAI's first chunk carries role with content "", which some clients rely on.
        if (!event.contentDelta.isEmpty() || !event.role.isEmpty()) {
            delta.insert("content"_L1, event.contentDelta);
        }
        if (!event.reasoningDelta.isEmpty()) {
            delta.insert("reasoning_content"_L1, event.reasoningDelta);
        }
        if (!event.toolCallDeltas.isEmpty()) {
            delta.insert("tool_calls"_L1, event.toolCallDeltas);
        }
        QJsonObject choice;
        choice.insert("index"_L1, event.choiceIndex);
        choice.insert("delta"_L1, delta);
        choice.insert("finish_reason"_L1, stringOrNull(event.finishReason));
        choices.append(choice);
    }
    chunk.insert("choices"_L1, choices);
    const bool hasUsage = event.usage.has_value() || event.kind == StreamEvent::Kind::Usage;
    chunk.insert("usage"_L1, hasUsage ? QJsonValue(encodeUsage(event.usage.value_or(Usage {}))) : QJsonValue());
    return sseFrame(compact(chunk));
}

ProviderError OpenAiCodec::decodeError(int httpStatus, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject object = doc.object();
        const QJsonValue error = object.value("error"_L1);
        if (error.isObject()) {
            return readErrorObject(error.toObject(), httpStatus);
        }
        if (error.isString()) {
            return readErrorObject(QJsonObject {{u"message"_s, error}}, httpStatus);
        }
        if (object.value("message"_L1).isString()) {
            return readErrorObject(object, httpStatus);
        }
    }

    qCDebug(lcCodec) << "error body of HTTP" << httpStatus << "is not an OpenAI error object";
    ProviderError result;
    result.httpStatus = httpStatus;
    result.type = errorTypeForStatus(httpStatus);
    QString text = QString::fromUtf8(body).simplified();
    if (text.size() > maxTextErrorLength) {
        // Never cut a surrogate pair in half.
        text.truncate(text.at(maxTextErrorLength - 1).isHighSurrogate() ? maxTextErrorLength - 1 : maxTextErrorLength);
    }
    result.message
        = text.isEmpty() ? Tr::tr("The provider answered HTTP %1 with an empty body.").arg(httpStatus) : text;
    return result;
}

QByteArray OpenAiCodec::encodeError(const ProviderError &error)
{
    return compact(errorBody(error));
}

QString OpenAiCodec::errorTypeForStatus(int status)
{
    switch (status) {
    case 401:
        return u"authentication_error"_s;
    case 402:
        return u"billing_error"_s;
    case 403:
        return u"permission_error"_s;
    case 404:
        return u"not_found_error"_s;
    case 408:
    case 504:
        return u"timeout_error"_s;
    case 413:
        return u"request_too_large"_s;
    case 429:
        return u"rate_limit_error"_s;
    case 502:
        return u"upstream_error"_s;
    case 503:
    case 529:
        return u"overloaded_error"_s;
    default:
        return status >= 400 && status < 500 ? u"invalid_request_error"_s : u"api_error"_s;
    }
}

} // namespace Switchyard::Protocol
