#include "core/protocol/anthropiccodec.h"

#include "core/protocol/codecsupport.h"
#include "core/protocol/openaicodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QStringList>

#include <algorithm>
#include <initializer_list>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
Q_LOGGING_CATEGORY(lcAnthropic, "switchyard.protocol.anthropiccodec")

using Tr = CodecTr;

constexpr std::initializer_list<QLatin1StringView> anthropicImageTypes
    = {"image/jpeg"_L1, "image/png"_L1, "image/gif"_L1, "image/webp"_L1};
// Request fields decodeRequest maps onto ChatRequest members; all others go to `extra`.
constexpr std::initializer_list<QLatin1StringView> interpretedRequestFields
    = {"model"_L1, "max_tokens"_L1, "messages"_L1, "system"_L1, "temperature"_L1, "top_p"_L1, "stop_sequences"_L1,
        "stream"_L1, "tools"_L1, "tool_choice"_L1};
// Anthropic request fields encodeRequest takes from `extra` unchanged.
constexpr std::initializer_list<QLatin1StringView> passedThroughFields
    = {"thinking"_L1, "top_k"_L1, "output_config"_L1, "cache_control"_L1, "container"_L1, "inference_geo"_L1};

struct ErrorKind
{
    int status;
    QLatin1StringView type;
};
constexpr std::initializer_list<ErrorKind> errorKinds
    = {{400, "invalid_request_error"_L1}, {401, "authentication_error"_L1}, {402, "billing_error"_L1},
        {403, "permission_error"_L1}, {404, "not_found_error"_L1}, {413, "request_too_large"_L1},
        {429, "rate_limit_error"_L1}, {500, "api_error"_L1}, {504, "timeout_error"_L1}, {529, "overloaded_error"_L1}};

int statusForType(const QString &type)
{
    const auto it = std::find_if(
        errorKinds.begin(), errorKinds.end(), [&type](const ErrorKind &kind) { return kind.type == type; });
    return it == errorKinds.end() ? 0 : it->status;
}

bool contains(std::initializer_list<QLatin1StringView> list, const QString &value)
{
    return std::any_of(list.begin(), list.end(), [&value](QLatin1StringView item) { return item == value; });
}

// ---- canonical -> Anthropic ----------------------------------------------------------------

Result<QJsonObject> imageBlock(const QString &url, const QString &path)
{
    QJsonObject source;
    if (const std::optional<DataUrl> data = parseDataUrl(url)) {
        if (!contains(anthropicImageTypes, data->mimeType)) {
            return failureAs<QJsonObject>(fieldFailure(path,
                Tr::tr("is a %1 image; Anthropic accepts only image/jpeg, image/png, image/gif and image/webp")
                    .arg(data->mimeType)));
        }
        source.insert("type"_L1, "base64"_L1);
        source.insert("media_type"_L1, data->mimeType);
        source.insert("data"_L1, data->base64Data);
    } else if (url.startsWith("https://"_L1) || url.startsWith("http://"_L1)) {
        source.insert("type"_L1, "url"_L1);
        source.insert("url"_L1, url);
    } else {
        return failureAs<QJsonObject>(
            fieldFailure(path, Tr::tr("must be an http(s) URL or a data: URL with base64 image data")));
    }
    return QJsonObject {{u"type"_s, u"image"_s}, {u"source"_s, source}};
}

Result<QJsonObject> fileBlock(const QJsonObject &file, const QString &path)
{
    QJsonObject source;
    const QString fileId = file.value("file_id"_L1).toString();
    const std::optional<DataUrl> data = parseDataUrl(file.value("file_data"_L1).toString());
    if (!fileId.isEmpty()) {
        source.insert("type"_L1, "file"_L1);
        source.insert("file_id"_L1, fileId);
    } else if (data && data->mimeType == "application/pdf"_L1) {
        source.insert("type"_L1, "base64"_L1);
        source.insert("media_type"_L1, data->mimeType);
        source.insert("data"_L1, data->base64Data);
    } else {
        return failureAs<QJsonObject>(fieldFailure(joinPath(path, "file"_L1),
            Tr::tr("must hold a file_id or a PDF as a data: URL in file_data; Anthropic takes no other files")));
    }
    QJsonObject block {{u"type"_s, u"document"_s}, {u"source"_s, source}};
    if (file.value("filename"_L1).isString()) {
        block.insert("title"_L1, file.value("filename"_L1));
    }
    return block;
}

// An empty object means "nothing to send" (Anthropic rejects empty text blocks).
Result<QJsonObject> partToBlock(const QJsonObject &part, const QString &path)
{
    const QString type = part.value("type"_L1).toString();
    Result<QJsonObject> block = QJsonObject();
    if (type == "text"_L1) {
        if (part.value("text"_L1).toString().isEmpty()) {
            return QJsonObject();
        }
        block = QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, part.value("text"_L1)}};
    } else if (type == "image_url"_L1) {
        block = imageBlock(part.value("image_url"_L1).toObject().value("url"_L1).toString(),
            joinPath(joinPath(path, "image_url"_L1), "url"_L1));
    } else if (type == "file"_L1) {
        block = fileBlock(part.value("file"_L1).toObject(), path);
    } else if (type == "input_audio"_L1) {
        return failureAs<QJsonObject>(fieldFailure(path, Tr::tr("is audio, which Anthropic does not accept")));
    } else {
        // Anthropic-native blocks (document, search_result, ...) that arrived from an Anthropic client.
        return part;
    }
    if (block && part.contains("cache_control"_L1)) {
        block->insert("cache_control"_L1, part.value("cache_control"_L1));
    }
    return block;
}

Result<QJsonArray> contentBlocks(const ChatMessage &message, const QString &path)
{
    QJsonArray blocks;
    if (!message.hasParts()) {
        if (!message.text.isEmpty()) {
            blocks.append(QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, message.text}});
        }
        return blocks;
    }
    const QString partsPath = joinPath(path, "content"_L1);
    for (qsizetype i = 0; i < message.contentParts.size(); ++i) {
        Result<QJsonObject> block = partToBlock(message.contentParts.at(i).toObject(), indexPath(partsPath, i));
        if (!block) {
            return Result<QJsonArray>::failure(block.errorMessage());
        }
        if (!block->isEmpty()) {
            blocks.append(block.value());
        }
    }
    return blocks;
}

Result<QJsonObject> toolUseBlock(const QJsonObject &call, const QString &path)
{
    const QJsonObject function = call.value("function"_L1).toObject();
    const QString arguments = function.value("arguments"_L1).toString();
    QJsonObject input;
    // Models send "" for a call without parameters.
    if (!arguments.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            return failureAs<QJsonObject>(fieldFailure(joinPath(joinPath(path, "function"_L1), "arguments"_L1),
                Tr::tr("is not a JSON object; Anthropic needs the tool input as an object")));
        }
        input = doc.object();
    }
    return QJsonObject {{u"type"_s, u"tool_use"_s}, {u"id"_s, call.value("id"_L1)},
        {u"name"_s, function.value("name"_L1)}, {u"input"_s, input}};
}

Result<QJsonObject> toolResultBlock(const ChatMessage &message, const QString &path)
{
    QJsonObject block {{u"type"_s, u"tool_result"_s}, {u"tool_use_id"_s, message.toolCallId}};
    if (message.hasParts()) {
        Result<QJsonArray> blocks = contentBlocks(message, path);
        if (!blocks) {
            return Result<QJsonObject>::failure(blocks.errorMessage());
        }
        block.insert("content"_L1, blocks.value());
    } else {
        block.insert("content"_L1, message.text);
    }
    if (message.isError) {
        block.insert("is_error"_L1, true);
    }
    return block;
}

struct Turn
{
    QString role;
    QJsonArray blocks;
};

Result<QJsonArray> assistantBlocks(const ChatMessage &message, const QString &path)
{
    QJsonArray blocks;
    for (const QJsonValue &thinking : message.thinkingBlocks) {
        // A thinking block without its signature is rejected; it was never Anthropic's to begin with.
        const QJsonObject object = thinking.toObject();
        if (object.value("type"_L1) == "thinking"_L1 && object.value("signature"_L1).toString().isEmpty()) {
            continue;
        }
        blocks.append(object);
    }
    Result<QJsonArray> content = contentBlocks(message, path);
    if (!content) {
        return content;
    }
    for (const QJsonValue &block : content.value()) {
        blocks.append(block);
    }
    for (qsizetype i = 0; i < message.toolCalls.size(); ++i) {
        Result<QJsonObject> block
            = toolUseBlock(message.toolCalls.at(i).toObject(), indexPath(joinPath(path, "tool_calls"_L1), i));
        if (!block) {
            return Result<QJsonArray>::failure(block.errorMessage());
        }
        blocks.append(block.value());
    }
    return blocks;
}

// The API wants a user turn after tool_use to begin with the tool results, in call order.
void orderToolResults(QList<Turn> &turns)
{
    QStringList callOrder;
    for (Turn &turn : turns) {
        if (turn.role == "assistant"_L1) {
            callOrder.clear();
            for (const QJsonValue &block : std::as_const(turn.blocks)) {
                if (block.toObject().value("type"_L1) == "tool_use"_L1) {
                    callOrder.append(block.toObject().value("id"_L1).toString());
                }
            }
            continue;
        }
        QList<QJsonObject> results;
        QList<QJsonObject> others;
        for (const QJsonValue &block : std::as_const(turn.blocks)) {
            (block.toObject().value("type"_L1) == "tool_result"_L1 ? results : others).append(block.toObject());
        }
        const auto position = [&callOrder](const QJsonObject &result) {
            const qsizetype index = callOrder.indexOf(result.value("tool_use_id"_L1).toString());
            return index < 0 ? callOrder.size() : index;
        };
        std::stable_sort(results.begin(), results.end(),
            [&position](const QJsonObject &a, const QJsonObject &b) { return position(a) < position(b); });
        turn.blocks = QJsonArray();
        for (const QJsonObject &block : std::as_const(results) + std::as_const(others)) {
            turn.blocks.append(block);
        }
    }
}

QJsonValue turnContent(const QJsonArray &blocks)
{
    const QJsonObject first = blocks.first().toObject();
    if (blocks.size() == 1 && first.size() == 2 && first.value("type"_L1) == "text"_L1) {
        return first.value("text"_L1);
    }
    return blocks;
}

Status encodeSystem(const QList<const ChatMessage *> &systemMessages, QJsonObject &body)
{
    if (systemMessages.isEmpty()) {
        return success();
    }
    const bool allPlain = std::none_of(
        systemMessages.begin(), systemMessages.end(), [](const ChatMessage *message) { return message->hasParts(); });
    if (allPlain) {
        QStringList texts;
        for (const ChatMessage *message : systemMessages) {
            texts.append(message->text);
        }
        body.insert("system"_L1, texts.join("\n\n"_L1));
        return success();
    }
    QJsonArray blocks;
    for (const ChatMessage *message : systemMessages) {
        if (!message->hasParts()) {
            if (!message->text.isEmpty()) {
                blocks.append(QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, message->text}});
            }
            continue;
        }
        for (const QJsonValue &part : message->contentParts) {
            if (part.toObject().value("type"_L1) != "text"_L1) {
                return fieldFailure(
                    u"messages"_s, Tr::tr("a %1 message may hold only text parts for Anthropic").arg(message->role));
            }
            if (!part.toObject().value("text"_L1).toString().isEmpty()) {
                blocks.append(part);
            }
        }
    }
    body.insert("system"_L1, blocks);
    return success();
}

Result<QJsonArray> encodeTools(const QJsonArray &tools)
{
    QJsonArray result;
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QJsonObject tool = tools.at(i).toObject();
        const QString type = tool.value("type"_L1).toString();
        if (type != "function"_L1) {
            if (type == "custom"_L1 && tool.value("custom"_L1).isObject()) {
                return failureAs<QJsonArray>(fieldFailure(
                    indexPath(u"tools"_s, i), Tr::tr("is an OpenAI custom tool, which Anthropic does not offer")));
            }
            // Server tools (web search, code execution, ...) from an Anthropic client.
            result.append(tool);
            continue;
        }
        const QJsonObject function = tool.value("function"_L1).toObject();
        if (function.value("name"_L1).toString().isEmpty()) {
            return failureAs<QJsonArray>(
                fieldFailure(joinPath(joinPath(indexPath(u"tools"_s, i), "function"_L1), "name"_L1),
                    Tr::tr("must be a non-empty string")));
        }
        QJsonObject anthropic;
        anthropic.insert("name"_L1, function.value("name"_L1));
        if (function.value("description"_L1).isString()) {
            anthropic.insert("description"_L1, function.value("description"_L1));
        }
        const QJsonValue parameters = function.value("parameters"_L1);
        anthropic.insert("input_schema"_L1,
            parameters.isObject() ? parameters.toObject()
                                  : QJsonObject {{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject()}});
        if (function.value("strict"_L1).toBool()) {
            anthropic.insert("strict"_L1, true);
        }
        if (tool.contains("cache_control"_L1)) {
            anthropic.insert("cache_control"_L1, tool.value("cache_control"_L1));
        }
        result.append(anthropic);
    }
    return result;
}

Result<QJsonObject> encodeToolChoice(const ChatRequest &request)
{
    const QJsonValue choice = request.toolChoice;
    QJsonObject result;
    if (isAbsent(choice) || choice == "auto"_L1) {
        result.insert("type"_L1, "auto"_L1);
    } else if (choice == "none"_L1) {
        result.insert("type"_L1, "none"_L1);
    } else if (choice == "required"_L1) {
        result.insert("type"_L1, "any"_L1);
    } else if (choice.isObject() && choice.toObject().value("type"_L1) == "function"_L1) {
        const QString name = choice.toObject().value("function"_L1).toObject().value("name"_L1).toString();
        if (name.isEmpty()) {
            return failureAs<QJsonObject>(
                fieldFailure(u"tool_choice.function.name"_s, Tr::tr("must be a non-empty string")));
        }
        result.insert("type"_L1, "tool"_L1);
        result.insert("name"_L1, name);
    } else {
        return failureAs<QJsonObject>(fieldFailure(u"tool_choice"_s,
            Tr::tr(
                "must be \"auto\", \"none\", \"required\" or a function; Anthropic has no equivalent for this one")));
    }
    const QString thinking = request.extra.value("thinking"_L1).toObject().value("type"_L1).toString();
    const QString type = result.value("type"_L1).toString();
    if ((thinking == "enabled"_L1 || thinking == "adaptive"_L1) && (type == "any"_L1 || type == "tool"_L1)) {
        qCDebug(lcAnthropic) << "forced tool choice downgraded to auto because thinking is on";
        result = QJsonObject {{u"type"_s, u"auto"_s}};
    }
    if (request.extra.value("parallel_tool_calls"_L1) == QJsonValue(false) && result.value("type"_L1) != "none"_L1) {
        result.insert("disable_parallel_tool_use"_L1, true);
    }
    return result;
}

void encodeExtra(const QJsonObject &extra, QJsonObject &body)
{
    for (QLatin1StringView field : passedThroughFields) {
        if (extra.contains(field)) {
            body.insert(field, extra.value(field));
        }
    }
    QString userId = extra.value("metadata"_L1).toObject().value("user_id"_L1).toString();
    for (QLatin1StringView field : {"safety_identifier"_L1, "user"_L1}) {
        if (userId.isEmpty()) {
            userId = extra.value(field).toString();
        }
    }
    if (!userId.isEmpty()) {
        body.insert("metadata"_L1, QJsonObject {{u"user_id"_s, userId}});
    }
    const QString tier = extra.value("service_tier"_L1).toString();
    if (tier == "auto"_L1 || tier == "standard_only"_L1) {
        body.insert("service_tier"_L1, tier);
    }
}

// ---- Anthropic -> canonical ----------------------------------------------------------------

void setContent(ChatMessage &message, const QJsonArray &parts)
{
    const QJsonObject first = parts.isEmpty() ? QJsonObject() : parts.first().toObject();
    if (parts.size() == 1 && first.size() == 2 && first.value("type"_L1) == "text"_L1) {
        message.text = first.value("text"_L1).toString();
    } else {
        message.contentParts = parts;
    }
}

QJsonObject blockToPart(const QJsonObject &block)
{
    const QString type = block.value("type"_L1).toString();
    const QJsonObject source = block.value("source"_L1).toObject();
    const QString sourceType = source.value("type"_L1).toString();
    QJsonObject part;
    if (type == "text"_L1) {
        part = QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, block.value("text"_L1)}};
    } else if (type == "image"_L1 && (sourceType == "base64"_L1 || sourceType == "url"_L1)) {
        const QString url = sourceType == "url"_L1
            ? source.value("url"_L1).toString()
            : makeDataUrl(source.value("media_type"_L1).toString(), source.value("data"_L1).toString());
        part = QJsonObject {{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject {{u"url"_s, url}}}};
    } else if (type == "document"_L1 && sourceType == "base64"_L1
        && source.value("media_type"_L1) == "application/pdf"_L1) {
        QJsonObject file {{u"file_data"_s, makeDataUrl(u"application/pdf"_s, source.value("data"_L1).toString())}};
        if (block.value("title"_L1).isString()) {
            file.insert("filename"_L1, block.value("title"_L1));
        }
        part = QJsonObject {{u"type"_s, u"file"_s}, {u"file"_s, file}};
    } else {
        return block;
    }
    if (block.contains("cache_control"_L1)) {
        part.insert("cache_control"_L1, block.value("cache_control"_L1));
    }
    return part;
}

Status validateBlocks(const QJsonValue &content, const QString &path)
{
    const QJsonArray blocks = content.toArray();
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QString blockPath = indexPath(path, i);
        if (!blocks.at(i).isObject()) {
            return fieldFailure(blockPath, Tr::tr("must be an object"));
        }
        const QJsonObject block = blocks.at(i).toObject();
        const QString type = block.value("type"_L1).toString();
        if (type.isEmpty()) {
            return fieldFailure(joinPath(blockPath, "type"_L1), Tr::tr("must be a non-empty string"));
        }
        if (type == "text"_L1 && !block.value("text"_L1).isString()) {
            return fieldFailure(joinPath(blockPath, "text"_L1), Tr::tr("must be a string"));
        }
        if ((type == "tool_use"_L1 && block.value("id"_L1).toString().isEmpty())
            || (type == "tool_result"_L1 && block.value("tool_use_id"_L1).toString().isEmpty())) {
            const QLatin1StringView key = type == "tool_use"_L1 ? "id"_L1 : "tool_use_id"_L1;
            return fieldFailure(joinPath(blockPath, key), Tr::tr("must be a non-empty string"));
        }
        if (type == "tool_use"_L1 && block.value("name"_L1).toString().isEmpty()) {
            return fieldFailure(joinPath(blockPath, "name"_L1), Tr::tr("must be a non-empty string"));
        }
    }
    return success();
}

QJsonArray partsOf(const QJsonArray &blocks)
{
    QJsonArray parts;
    for (const QJsonValue &block : blocks) {
        parts.append(blockToPart(block.toObject()));
    }
    return parts;
}

// A user turn may hold tool results and ordinary content; each tool result becomes its own
// `tool` message, in place, as OpenAI has it.
void appendUserTurn(const QJsonArray &blocks, QList<ChatMessage> &out)
{
    QJsonArray pending;
    const auto flush = [&pending, &out] {
        if (!pending.isEmpty()) {
            ChatMessage message;
            message.role = u"user"_s;
            setContent(message, pending);
            out.append(message);
            pending = QJsonArray();
        }
    };
    for (const QJsonValue &value : blocks) {
        const QJsonObject block = value.toObject();
        if (block.value("type"_L1) != "tool_result"_L1) {
            pending.append(blockToPart(block));
            continue;
        }
        flush();
        ChatMessage message;
        message.role = u"tool"_s;
        message.toolCallId = block.value("tool_use_id"_L1).toString();
        message.isError = block.value("is_error"_L1).toBool();
        const QJsonValue content = block.value("content"_L1);
        if (content.isArray()) {
            setContent(message, partsOf(content.toArray()));
        } else {
            message.text = content.toString();
        }
        out.append(message);
    }
    flush();
}

QJsonObject toolCallFromBlock(const QJsonObject &block)
{
    const QJsonObject function {{u"name"_s, block.value("name"_L1)},
        {u"arguments"_s, QString::fromUtf8(compactJson(block.value("input"_L1).toObject()))}};
    return QJsonObject {{u"id"_s, block.value("id"_L1)}, {u"type"_s, u"function"_s}, {u"function"_s, function}};
}

ChatMessage assistantMessage(const QJsonArray &blocks)
{
    ChatMessage message;
    message.role = u"assistant"_s;
    QJsonArray parts;
    for (const QJsonValue &value : blocks) {
        const QJsonObject block = value.toObject();
        const QString type = block.value("type"_L1).toString();
        if (type == "tool_use"_L1) {
            message.toolCalls.append(toolCallFromBlock(block));
        } else if (type == "thinking"_L1 || type == "redacted_thinking"_L1) {
            message.thinkingBlocks.append(block);
            message.reasoning += block.value("thinking"_L1).toString();
        } else {
            parts.append(blockToPart(block));
        }
    }
    setContent(message, parts);
    return message;
}

Result<QJsonArray> decodeTools(const QJsonValue &value)
{
    if (!value.isArray()) {
        return failureAs<QJsonArray>(fieldFailure(u"tools"_s, Tr::tr("must be an array")));
    }
    QJsonArray tools;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject tool = array.at(i).toObject();
        const QString type = tool.value("type"_L1).toString();
        if (!array.at(i).isObject() || tool.value("name"_L1).toString().isEmpty()) {
            return failureAs<QJsonArray>(
                fieldFailure(indexPath(u"tools"_s, i), Tr::tr("must be an object with a non-empty name")));
        }
        if (!type.isEmpty() && type != "custom"_L1) {
            tools.append(tool);
            continue;
        }
        QJsonObject function {{u"name"_s, tool.value("name"_L1)}};
        if (tool.value("description"_L1).isString()) {
            function.insert("description"_L1, tool.value("description"_L1));
        }
        if (tool.value("input_schema"_L1).isObject()) {
            function.insert("parameters"_L1, tool.value("input_schema"_L1));
        }
        if (tool.value("strict"_L1).isBool()) {
            function.insert("strict"_L1, tool.value("strict"_L1));
        }
        QJsonObject openAi {{u"type"_s, u"function"_s}, {u"function"_s, function}};
        if (tool.contains("cache_control"_L1)) {
            openAi.insert("cache_control"_L1, tool.value("cache_control"_L1));
        }
        tools.append(openAi);
    }
    return tools;
}

Status decodeToolChoice(const QJsonValue &value, ChatRequest &request)
{
    if (isAbsent(value)) {
        return success();
    }
    const QJsonObject choice = value.toObject();
    const QString type = choice.value("type"_L1).toString();
    if (type == "auto"_L1 || type == "none"_L1) {
        request.toolChoice = type;
    } else if (type == "any"_L1) {
        request.toolChoice = u"required"_s;
    } else if (type == "tool"_L1 && !choice.value("name"_L1).toString().isEmpty()) {
        request.toolChoice = QJsonObject {
            {u"type"_s, u"function"_s}, {u"function"_s, QJsonObject {{u"name"_s, choice.value("name"_L1)}}}};
    } else {
        return fieldFailure(u"tool_choice"_s, Tr::tr("must be an object of type auto, any, none, or tool with a name"));
    }
    if (choice.value("disable_parallel_tool_use"_L1).toBool()) {
        request.extra.insert("parallel_tool_calls"_L1, false);
    }
    return success();
}

Status readOptionalNumber(const QJsonObject &body, QLatin1StringView key, std::optional<double> &out)
{
    const QJsonValue value = body.value(key);
    if (isAbsent(value)) {
        return success();
    }
    if (!value.isDouble()) {
        return fieldFailure(QString(key), Tr::tr("must be a number"));
    }
    out = value.toDouble();
    return success();
}

Status decodeMessages(const QJsonValue &value, QList<ChatMessage> &out)
{
    if (!value.isArray() || value.toArray().isEmpty()) {
        return fieldFailure(u"messages"_s, Tr::tr("must be a non-empty array of messages"));
    }
    const QJsonArray messages = value.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString path = indexPath(u"messages"_s, i);
        if (!messages.at(i).isObject()) {
            return fieldFailure(path, Tr::tr("must be an object"));
        }
        const QJsonObject message = messages.at(i).toObject();
        const QJsonValue role = message.value("role"_L1);
        if (role != "user"_L1 && role != "assistant"_L1) {
            return fieldFailure(joinPath(path, "role"_L1),
                role.isString() ? Tr::tr("\"%1\" is not one of user, assistant").arg(role.toString())
                                : Tr::tr("must be one of user, assistant"));
        }
        const QJsonValue content = message.value("content"_L1);
        const QString contentPath = joinPath(path, "content"_L1);
        QJsonArray blocks;
        if (content.isString()) {
            blocks.append(QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, content}});
        } else if (content.isArray()) {
            if (Status status = validateBlocks(content, contentPath); !status) {
                return status;
            }
            blocks = content.toArray();
        } else {
            return fieldFailure(contentPath, Tr::tr("must be a string or an array of content blocks"));
        }
        if (role == "user"_L1) {
            appendUserTurn(blocks, out);
        } else {
            out.append(assistantMessage(blocks));
        }
    }
    return success();
}

Status decodeSystem(const QJsonValue &system, QList<ChatMessage> &out)
{
    if (isAbsent(system)) {
        return success();
    }
    ChatMessage message;
    message.role = u"system"_s;
    if (system.isString()) {
        message.text = system.toString();
    } else if (system.isArray()) {
        const QJsonArray blocks = system.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i) {
            const QJsonObject block = blocks.at(i).toObject();
            if (block.value("type"_L1) != "text"_L1 || !block.value("text"_L1).isString()) {
                return fieldFailure(indexPath(u"system"_s, i), Tr::tr("must be a text block"));
            }
        }
        setContent(message, blocks);
    } else {
        return fieldFailure(u"system"_s, Tr::tr("must be a string or an array of text blocks"));
    }
    out.append(message);
    return success();
}

QString textOf(const QJsonArray &blocks)
{
    QString text;
    for (const QJsonValue &block : blocks) {
        if (block.toObject().value("type"_L1) == "text"_L1) {
            text += block.toObject().value("text"_L1).toString();
        }
    }
    return text;
}

QJsonObject errorBody(const QString &type, const QString &message)
{
    return QJsonObject {
        {u"type"_s, u"error"_s}, {u"error"_s, QJsonObject {{u"type"_s, type}, {u"message"_s, message}}}};
}
} // namespace

Result<QByteArray> AnthropicCodec::encodeRequest(const ChatRequest &request)
{
    QJsonObject body;
    body.insert("model"_L1, request.model);
    body.insert("max_tokens"_L1, request.maxTokens.value_or(defaultMaxTokens));

    QList<const ChatMessage *> systemMessages;
    QList<Turn> turns;
    for (qsizetype i = 0; i < request.messages.size(); ++i) {
        const ChatMessage &message = request.messages.at(i);
        const QString path = indexPath(u"messages"_s, i);
        if (message.role == "system"_L1 || message.role == "developer"_L1) {
            systemMessages.append(&message);
            continue;
        }
        Result<QJsonArray> blocks = QJsonArray();
        if (message.role == "assistant"_L1) {
            blocks = assistantBlocks(message, path);
        } else if (message.role == "tool"_L1) {
            Result<QJsonObject> result = toolResultBlock(message, path);
            blocks = result ? Result<QJsonArray>(QJsonArray {result.value()})
                            : Result<QJsonArray>::failure(result.errorMessage());
        } else {
            blocks = contentBlocks(message, path);
        }
        if (!blocks) {
            return Result<QByteArray>::failure(blocks.errorMessage());
        }
        if (blocks->isEmpty()) {
            continue;
        }
        const QString role = message.role == "assistant"_L1 ? u"assistant"_s : u"user"_s;
        if (!turns.isEmpty() && turns.last().role == role) {
            for (const QJsonValue &block : blocks.value()) {
                turns.last().blocks.append(block);
            }
        } else {
            turns.append(Turn {role, blocks.value()});
        }
    }
    if (turns.isEmpty()) {
        return failureAs<QByteArray>(
            fieldFailure(u"messages"_s, Tr::tr("must hold at least one user or assistant message with content")));
    }
    if (turns.first().role == "assistant"_L1) {
        turns.prepend(
            Turn {u"user"_s, QJsonArray {QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u"(continue)"_s}}}});
    }
    orderToolResults(turns);
    QJsonArray messages;
    for (const Turn &turn : std::as_const(turns)) {
        messages.append(QJsonObject {{u"role"_s, turn.role}, {u"content"_s, turnContent(turn.blocks)}});
    }
    body.insert("messages"_L1, messages);
    if (Status status = encodeSystem(systemMessages, body); !status) {
        return failureAs<QByteArray>(status);
    }

    if (request.temperature) {
        // OpenAI's range is 0-2, Anthropic's 0-1.
        body.insert("temperature"_L1, std::min(*request.temperature, 1.0));
    }
    if (request.topP) {
        body.insert("top_p"_L1, *request.topP);
    }
    if (!request.stop.isEmpty()) {
        body.insert("stop_sequences"_L1, request.stop);
    }
    if (!request.tools.isEmpty()) {
        Result<QJsonArray> tools = encodeTools(request.tools);
        if (!tools) {
            return Result<QByteArray>::failure(tools.errorMessage());
        }
        body.insert("tools"_L1, tools.value());
        Result<QJsonObject> choice = encodeToolChoice(request);
        if (!choice) {
            return Result<QByteArray>::failure(choice.errorMessage());
        }
        body.insert("tool_choice"_L1, choice.value());
    }
    encodeExtra(request.extra, body);
    if (request.stream) {
        body.insert("stream"_L1, true);
    }
    return compactJson(body);
}

Result<ChatRequest> AnthropicCodec::decodeRequest(const QByteArray &json)
{
    const Result<QJsonObject> parsed = parseJsonObject(json, JsonDocumentKind::Request);
    if (!parsed) {
        return Result<ChatRequest>::failure(parsed.errorMessage());
    }
    const QJsonObject &body = parsed.value();
    ChatRequest request;
    request.model = body.value("model"_L1).toString();
    if (request.model.isEmpty()) {
        return failureAs<ChatRequest>(fieldFailure(u"model"_s, Tr::tr("must be a non-empty string")));
    }
    const QJsonValue maxTokens = body.value("max_tokens"_L1);
    if (!maxTokens.isDouble() || maxTokens.toDouble() < 0 || maxTokens.toDouble() != double(maxTokens.toInteger())) {
        return failureAs<ChatRequest>(
            fieldFailure(u"max_tokens"_s, Tr::tr("is required and must be a whole number of 0 or more")));
    }
    request.maxTokens = maxTokens.toInteger();

    if (Status status = decodeSystem(body.value("system"_L1), request.messages); !status) {
        return failureAs<ChatRequest>(status);
    }
    if (Status status = decodeMessages(body.value("messages"_L1), request.messages); !status) {
        return failureAs<ChatRequest>(status);
    }
    for (const auto &[key, target] :
        {std::pair {"temperature"_L1, &request.temperature}, std::pair {"top_p"_L1, &request.topP}}) {
        if (Status status = readOptionalNumber(body, key, *target); !status) {
            return failureAs<ChatRequest>(status);
        }
    }
    const QJsonValue stop = body.value("stop_sequences"_L1);
    if (!isAbsent(stop)) {
        const QJsonArray sequences = stop.toArray();
        if (!stop.isArray()
            || std::any_of(sequences.begin(), sequences.end(), [](const QJsonValue &s) { return !s.isString(); })) {
            return failureAs<ChatRequest>(fieldFailure(u"stop_sequences"_s, Tr::tr("must be an array of strings")));
        }
        request.stop = sequences;
    }
    if (!isAbsent(body.value("tools"_L1))) {
        Result<QJsonArray> tools = decodeTools(body.value("tools"_L1));
        if (!tools) {
            return Result<ChatRequest>::failure(tools.errorMessage());
        }
        request.tools = tools.value();
    }
    request.toolChoice = QJsonValue(QJsonValue::Undefined);
    if (Status status = decodeToolChoice(body.value("tool_choice"_L1), request); !status) {
        return failureAs<ChatRequest>(status);
    }
    const QJsonValue stream = body.value("stream"_L1);
    if (!stream.isBool() && !isAbsent(stream)) {
        return failureAs<ChatRequest>(fieldFailure(u"stream"_s, Tr::tr("must be true or false")));
    }
    request.stream = stream.toBool();
    request.includeUsage = request.stream;
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (!contains(interpretedRequestFields, it.key())) {
            request.extra.insert(it.key(), it.value());
        }
    }
    return request;
}

Result<ChatResponse> AnthropicCodec::decodeResponse(const QByteArray &json)
{
    const Result<QJsonObject> parsed = parseJsonObject(json, JsonDocumentKind::Response);
    if (!parsed) {
        return Result<ChatResponse>::failure(parsed.errorMessage());
    }
    const QJsonObject &body = parsed.value();
    if (body.value("type"_L1) == "error"_L1) {
        const ProviderError error = decodeErrorObject(body.value("error"_L1).toObject(), 0);
        return Result<ChatResponse>::failure(
            Tr::tr("The provider answered with an error instead of a message: %1").arg(error.message));
    }
    const QJsonValue content = body.value("content"_L1);
    if (!content.isArray()) {
        return failureAs<ChatResponse>(fieldFailure(u"content"_s, Tr::tr("must be an array of content blocks")));
    }
    if (Status status = validateBlocks(content, u"content"_s); !status) {
        return failureAs<ChatResponse>(status);
    }
    const QJsonArray blocks = content.toArray();
    ChatResponse response;
    response.id = body.value("id"_L1).toString();
    response.model = body.value("model"_L1).toString();
    ChatChoice choice;
    choice.message = assistantMessage(blocks);
    // Clients in OpenAI's dialect expect one content string, whatever the block split.
    choice.message.contentParts = QJsonArray();
    choice.message.text = textOf(blocks);
    choice.finishReason = finishReasonFor(body.value("stop_reason"_L1).toString());
    choice.stopSequence = body.value("stop_sequence"_L1).toString();
    response.choices.append(choice);
    if (body.value("usage"_L1).isObject()) {
        response.usage = decodeUsage(body.value("usage"_L1).toObject());
    }
    return response;
}

QByteArray AnthropicCodec::encodeResponse(const ChatResponse &response)
{
    const ChatChoice choice = response.choices.value(0);
    const ChatMessage &message = choice.message;
    QJsonArray content = message.thinkingBlocks;
    if (content.isEmpty() && !message.reasoning.isEmpty()) {
        content.append(
            QJsonObject {{u"type"_s, u"thinking"_s}, {u"thinking"_s, message.reasoning}, {u"signature"_s, QString()}});
    }
    QString text = message.text;
    for (const QJsonValue &part : message.contentParts) {
        text += part.toObject().value("text"_L1).toString();
    }
    if (!text.isEmpty()) {
        content.append(QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, text}});
    }
    for (const QJsonValue &value : message.toolCalls) {
        const QJsonObject call = value.toObject();
        const QString arguments = call.value("function"_L1).toObject().value("arguments"_L1).toString();
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &error);
        QJsonObject input;
        if (error.error == QJsonParseError::NoError && doc.isObject()) {
            input = doc.object();
        } else if (!arguments.trimmed().isEmpty()) {
            input.insert("_raw"_L1, arguments);
        }
        content.append(QJsonObject {{u"type"_s, u"tool_use"_s}, {u"id"_s, call.value("id"_L1)},
            {u"name"_s, call.value("function"_L1).toObject().value("name"_L1)}, {u"input"_s, input}});
    }
    QJsonObject body;
    body.insert("id"_L1, response.id);
    body.insert("type"_L1, "message"_L1);
    body.insert("role"_L1, "assistant"_L1);
    body.insert("model"_L1, response.model);
    body.insert("content"_L1, content);
    body.insert("stop_reason"_L1,
        stringOrNull(stopReasonFor(choice.finishReason, choice.stopSequence, !message.toolCalls.isEmpty())));
    body.insert("stop_sequence"_L1, stringOrNull(choice.stopSequence));
    body.insert("usage"_L1, encodeUsage(response.usage));
    return compactJson(body);
}

Usage AnthropicCodec::decodeUsage(const QJsonObject &usage)
{
    Usage result;
    result.cachedTokens = usage.value("cache_read_input_tokens"_L1).toInteger();
    result.cacheWriteTokens = usage.value("cache_creation_input_tokens"_L1).toInteger();
    result.promptTokens = usage.value("input_tokens"_L1).toInteger() + result.cachedTokens + result.cacheWriteTokens;
    result.completionTokens = usage.value("output_tokens"_L1).toInteger();
    result.reasoningTokens = usage.value("output_tokens_details"_L1).toObject().value("thinking_tokens"_L1).toInteger();
    result.isReported = true;
    return result;
}

QJsonObject AnthropicCodec::encodeUsage(const Usage &usage)
{
    QJsonObject object;
    object.insert(
        "input_tokens"_L1, std::max<qint64>(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens));
    object.insert("cache_creation_input_tokens"_L1, usage.cacheWriteTokens);
    object.insert("cache_read_input_tokens"_L1, usage.cachedTokens);
    object.insert("output_tokens"_L1, usage.completionTokens);
    // Only newer API versions report the thinking share; older clients never saw the field.
    if (usage.reasoningTokens != 0) {
        object.insert("output_tokens_details"_L1, QJsonObject {{u"thinking_tokens"_s, usage.reasoningTokens}});
    }
    return object;
}

QString AnthropicCodec::finishReasonFor(const QString &stopReason)
{
    if (stopReason.isEmpty()) {
        return QString();
    }
    if (stopReason == "max_tokens"_L1 || stopReason == "model_context_window_exceeded"_L1) {
        return u"length"_s;
    }
    if (stopReason == "tool_use"_L1) {
        return u"tool_calls"_s;
    }
    if (stopReason == "refusal"_L1) {
        return u"content_filter"_s;
    }
    return u"stop"_s;
}

QString AnthropicCodec::stopReasonFor(const QString &finishReason, const QString &stopSequence, bool hasToolCalls)
{
    if (finishReason.isEmpty()) {
        return QString();
    }
    if (finishReason == "length"_L1) {
        return u"max_tokens"_s;
    }
    if (finishReason == "content_filter"_L1) {
        return u"refusal"_s;
    }
    if (finishReason == "tool_calls"_L1 || finishReason == "function_call"_L1 || hasToolCalls) {
        return u"tool_use"_s;
    }
    return stopSequence.isEmpty() ? u"end_turn"_s : u"stop_sequence"_s;
}

ProviderError AnthropicCodec::decodeErrorObject(const QJsonObject &error, int httpStatus)
{
    ProviderError result;
    result.type = error.value("type"_L1).toString();
    result.httpStatus = httpStatus != 0 ? httpStatus : statusForType(result.type);
    if (result.type.isEmpty()) {
        result.type = errorTypeForStatus(result.httpStatus);
    }
    result.message = error.value("message"_L1).toString();
    result.code = error.value("details"_L1).toObject().value("error_code"_L1).toString();
    if (result.code.isEmpty() && result.message.contains("prompt is too long"_L1, Qt::CaseInsensitive)) {
        result.code = u"context_length_exceeded"_s;
    }
    if (result.message.isEmpty()) {
        result.message = Tr::tr("The provider reported an error (%1) without a message.").arg(result.type);
    }
    return result;
}

ProviderError AnthropicCodec::decodeError(int httpStatus, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject error = doc.object().value("error"_L1).toObject();
    if (parseError.error == QJsonParseError::NoError && doc.object().value("type"_L1) == "error"_L1) {
        return decodeErrorObject(error, httpStatus);
    }
    // Proxies and Anthropic-compatible local servers answer in other shapes.
    ProviderError result = OpenAiCodec::decodeError(httpStatus, body);
    if (statusForType(result.type) == 0) {
        result.type = errorTypeForStatus(httpStatus);
    }
    return result;
}

QByteArray AnthropicCodec::encodeError(const ProviderError &error)
{
    return compactJson(errorBody(errorTypeForStatus(clientStatus(error)), error.message));
}

int AnthropicCodec::clientStatus(const ProviderError &error)
{
    const int status = error.httpStatus;
    const int typeStatus = statusForType(error.type);
    if (error.code == "insufficient_quota"_L1 || status == 402 || error.type == "billing_error"_L1) {
        return 402;
    }
    if (status == 503 || status == 529 || error.type == "overloaded_error"_L1) {
        return 529;
    }
    if (status == 504 || status == 408) {
        return 504;
    }
    if (status >= 500) {
        return 500;
    }
    if ((status == 0 || status == 400) && typeStatus != 0) {
        return typeStatus;
    }
    return status >= 400 ? status : 500;
}

QString AnthropicCodec::errorTypeForStatus(int status)
{
    for (const ErrorKind &kind : errorKinds) {
        if (kind.status == status) {
            return QString(kind.type);
        }
    }
    return status >= 400 && status < 500 ? u"invalid_request_error"_s : u"api_error"_s;
}

} // namespace Switchyard::Protocol
