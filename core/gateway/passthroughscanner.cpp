#include "core/gateway/passthroughscanner.h"

#include "core/gateway/gatewaytr.h"

#include <simdjson.h>

#include <cstring>
#include <string_view>

using namespace Qt::StringLiterals;
namespace ondemand = simdjson::ondemand;

namespace Switchyard::Gateway {

namespace {

ondemand::parser &threadParser()
{
    thread_local ondemand::parser parser;
    return parser;
}

simdjson::padded_string_view paddedView(QByteArray &bytes)
{
    if (bytes.capacity() - bytes.size() < qsizetype(simdjson::SIMDJSON_PADDING)) {
        bytes.reserve(bytes.size() + qsizetype(simdjson::SIMDJSON_PADDING));
    }
    return simdjson::padded_string_view(bytes.constData(), size_t(bytes.size()), size_t(bytes.capacity()));
}

qint64 readCount(ondemand::value value)
{
    int64_t number = 0;
    return value.get_int64().get(number) == simdjson::SUCCESS ? qint64(number) : 0;
}

// OpenAI usage incl. its detail objects; DeepSeek's prompt_cache_hit_tokens as the cached count;
// OpenRouter's cost in USD.
std::optional<Usage> readUsage(ondemand::value value)
{
    ondemand::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
        return std::nullopt; // usage: null
    }
    Usage usage;
    usage.isReported = true;
    qint64 cacheHits = -1;
    for (auto field : object) {
        std::string_view key;
        ondemand::value fieldValue;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(fieldValue) != simdjson::SUCCESS) {
            return std::nullopt;
        }
        if (key == "prompt_tokens") {
            usage.promptTokens = readCount(fieldValue);
        } else if (key == "completion_tokens") {
            usage.completionTokens = readCount(fieldValue);
        } else if (key == "prompt_cache_hit_tokens") {
            cacheHits = readCount(fieldValue);
        } else if (key == "cost") {
            double usd = 0;
            if (fieldValue.get_double().get(usd) == simdjson::SUCCESS) {
                usage.reportedCost = Money::fromUsd(usd);
            }
        } else if (key == "prompt_tokens_details" || key == "completion_tokens_details") {
            ondemand::object details;
            if (fieldValue.get_object().get(details) != simdjson::SUCCESS) {
                continue;
            }
            for (auto detail : details) {
                std::string_view detailKey;
                ondemand::value detailValue;
                if (detail.unescaped_key().get(detailKey) != simdjson::SUCCESS
                    || detail.value().get(detailValue) != simdjson::SUCCESS) {
                    return std::nullopt;
                }
                if (detailKey == "cached_tokens") {
                    usage.cachedTokens = readCount(detailValue);
                } else if (detailKey == "cache_write_tokens") {
                    usage.cacheWriteTokens = readCount(detailValue);
                } else if (detailKey == "reasoning_tokens") {
                    usage.reasoningTokens = readCount(detailValue);
                }
            }
        }
    }
    if (usage.cachedTokens == 0 && cacheHits > 0) {
        usage.cachedTokens = cacheHits;
    }
    return usage;
}

// Whether `"key"` occurs followed (after optional whitespace and the colon) by `next`.
bool hasKeyFollowedBy(QByteArrayView data, QByteArrayView quotedKey, char next)
{
    qsizetype from = 0;
    while (true) {
        // glibc's memmem is several times faster than QByteArrayView::indexOf on short
        // needles, and this runs three times for every event of every stream.
        const void *hit
            = ::memmem(data.data() + from, size_t(data.size() - from), quotedKey.data(), size_t(quotedKey.size()));
        if (hit == nullptr) {
            return false;
        }
        const qsizetype at = static_cast<const char *>(hit) - data.data();
        qsizetype i = at + quotedKey.size();
        while (i < data.size() && (data[i] == ' ' || data[i] == '\t')) {
            ++i;
        }
        if (i < data.size() && data[i] == ':') {
            ++i;
            while (i < data.size() && (data[i] == ' ' || data[i] == '\t')) {
                ++i;
            }
            if (i < data.size() && data[i] == next) {
                return true;
            }
        }
        from = at + 1;
    }
}

QString readErrorMessage(ondemand::value value)
{
    ondemand::object error;
    if (value.get_object().get(error) != simdjson::SUCCESS) {
        return {};
    }
    std::string_view message;
    if (error["message"].get_string().get(message) != simdjson::SUCCESS) {
        return {};
    }
    return QString::fromUtf8(message.data(), qsizetype(message.size()));
}

} // namespace

Result<ChatRequestSummary> PassThroughScanner::scanRequest(QByteArray &body)
{
    const auto malformed
        = [] { return Result<ChatRequestSummary>::failure(Tr::tr("The request body is not valid JSON.")); };
    ondemand::document document;
    if (threadParser().iterate(paddedView(body)).get(document) != simdjson::SUCCESS) {
        return malformed();
    }
    ondemand::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS) {
        return Result<ChatRequestSummary>::failure(Tr::tr("The request body must be a JSON object."));
    }
    ChatRequestSummary summary;
    bool hasModel = false;
    qsizetype messageCount = -1;
    for (auto field : object) {
        std::string_view key;
        ondemand::value value;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS) {
            return malformed();
        }
        if (key == "model") {
            std::string_view token = value.raw_json_token();
            std::string_view model;
            if (value.get_string().get(model) != simdjson::SUCCESS || model.empty()) {
                return Result<ChatRequestSummary>::failure(Tr::tr("\"model\" must be a non-empty string."));
            }
            while (!token.empty() && token.back() != '"') {
                token.remove_suffix(1); // raw tokens include the whitespace after them
            }
            summary.model = QString::fromUtf8(model.data(), qsizetype(model.size()));
            summary.modelOffset = token.data() - body.constData();
            summary.modelLength = qsizetype(token.size());
            hasModel = true;
        } else if (key == "stream") {
            bool stream = false;
            if (!value.is_null() && value.get_bool().get(stream) != simdjson::SUCCESS) {
                return Result<ChatRequestSummary>::failure(Tr::tr("\"stream\" must be true or false."));
            }
            summary.stream = stream;
        } else if (key == "max_completion_tokens" || (key == "max_tokens" && summary.maxTokens == 0)) {
            int64_t maxTokens = 0;
            if (value.get_int64().get(maxTokens) == simdjson::SUCCESS && maxTokens > 0) {
                summary.maxTokens = maxTokens;
            }
        } else if (key == "stream_options") {
            ondemand::object options;
            if (value.get_object().get(options) == simdjson::SUCCESS) {
                summary.hasStreamOptions = true;
                bool includeUsage = false;
                if (options["include_usage"].get_bool().get(includeUsage) == simdjson::SUCCESS) {
                    summary.includeUsage = includeUsage;
                }
            }
        } else if (key == "messages") {
            ondemand::array messages;
            if (value.get_array().get(messages) != simdjson::SUCCESS) {
                return Result<ChatRequestSummary>::failure(Tr::tr("\"messages\" must be an array of message objects."));
            }
            messageCount = 0;
            for (auto message : messages) {
                ondemand::object messageObject;
                if (message.get_object().get(messageObject) != simdjson::SUCCESS) {
                    return Result<ChatRequestSummary>::failure(
                        Tr::tr("\"messages[%1]\" must be a message object.").arg(messageCount));
                }
                ++messageCount;
            }
        }
    }
    if (!hasModel) {
        return Result<ChatRequestSummary>::failure(Tr::tr("The request has no \"model\"."));
    }
    if (messageCount <= 0) {
        return Result<ChatRequestSummary>::failure(Tr::tr("The request needs a non-empty \"messages\" array."));
    }
    return summary;
}

QByteArray PassThroughScanner::rewriteRequest(
    const QByteArray &body, const ChatRequestSummary &summary, const QString &model, bool addUsageOption)
{
    const QByteArray modelToken = jsonString(model);
    QByteArray out;
    out.reserve(body.size() + modelToken.size() + 48);
    out.append(body.constData(), summary.modelOffset);
    out.append(modelToken);
    out.append(body.constData() + summary.modelOffset + summary.modelLength,
        body.size() - summary.modelOffset - summary.modelLength);
    if (addUsageOption && !summary.hasStreamOptions) {
        const qsizetype open = out.indexOf('{');
        out.insert(open + 1, R"("stream_options":{"include_usage":true},)"_ba);
    }
    return out;
}

std::optional<std::optional<Usage>> PassThroughScanner::scanResponseUsage(QByteArray &body)
{
    ondemand::document document;
    if (threadParser().iterate(paddedView(body)).get(document) != simdjson::SUCCESS) {
        return std::nullopt;
    }
    ondemand::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS) {
        return std::nullopt;
    }
    std::optional<Usage> usage;
    for (auto field : object) {
        std::string_view key;
        ondemand::value value;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS) {
            return std::nullopt;
        }
        if (key == "usage") {
            usage = readUsage(value);
        }
    }
    return usage;
}

StreamEventSummary PassThroughScanner::scanStreamEvent(QByteArrayView data)
{
    StreamEventSummary summary;
    if (data == "[DONE]") {
        summary.isDone = true;
        return summary;
    }
    summary.hasFinish = hasKeyFollowedBy(data, R"("finish_reason")", '"');
    const bool mayHaveUsage = hasKeyFollowedBy(data, R"("usage")", '{');
    const bool mayBeError = hasKeyFollowedBy(data, R"("error")", '{');
    if (!mayHaveUsage && !mayBeError) {
        return summary; // the common content delta: no parse needed
    }
    QByteArray copy = data.toByteArray();
    ondemand::document document;
    ondemand::object object;
    if (threadParser().iterate(paddedView(copy)).get(document) != simdjson::SUCCESS
        || document.get_object().get(object) != simdjson::SUCCESS) {
        return summary;
    }
    bool choicesEmpty = false;
    for (auto field : object) {
        std::string_view key;
        ondemand::value value;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS) {
            return summary;
        }
        if (key == "usage") {
            summary.usage = readUsage(value);
        } else if (key == "error") {
            summary.isError = true;
            summary.errorMessage = readErrorMessage(value);
        } else if (key == "choices") {
            ondemand::array choices;
            bool empty = false;
            choicesEmpty = value.get_array().get(choices) == simdjson::SUCCESS
                && choices.is_empty().get(empty) == simdjson::SUCCESS && empty;
        }
    }
    summary.isUsageOnly = choicesEmpty && summary.usage.has_value();
    return summary;
}

QByteArray PassThroughScanner::jsonString(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out.append('"');
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out.append("\\u00");
                out.append("0123456789abcdef"[(c >> 4) & 0xf]);
                out.append("0123456789abcdef"[c & 0xf]);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
    return out;
}

} // namespace Switchyard::Gateway
