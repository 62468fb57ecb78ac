#include "core/catalog/modellistparser.h"

#include "core/catalog/catalogtr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

using Page = ModelListParser::Page;

Result<QJsonDocument> parseDocument(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        // The start of the body tells an HTML error page or a proxy's answer apart from a broken list.
        const QString start = QString::fromUtf8(body.left(80)).simplified();
        return Result<QJsonDocument>::failure(
            Tr::tr("The model list is not JSON (%1 at byte %2); the answer starts with “%3”.")
                .arg(error.errorString(), QString::number(error.offset), start));
    }
    return document;
}

// A token count the list states, or 0.
qint64 tokens(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() > 0 ? qint64(value.toDouble()) : 0;
}

qint64 firstTokens(const QJsonObject &object, std::initializer_list<QLatin1StringView> fields)
{
    for (QLatin1StringView field : fields) {
        if (const qint64 count = tokens(object.value(field))) {
            return count;
        }
    }
    return 0;
}

// OpenRouter's prices are decimal strings in USD per token; router pseudo-models state "-1".
std::optional<double> perTokenPrice(const QJsonValue &value)
{
    bool ok = value.isDouble();
    const double price = ok ? value.toDouble() : value.toString().toDouble(&ok);
    return ok && price >= 0 ? std::optional<double>(price) : std::nullopt;
}

std::optional<double> perMillionPrice(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() >= 0 ? std::optional<double>(value.toDouble() / 1e6) : std::nullopt;
}

bool contains(const QJsonValue &array, QLatin1StringView text)
{
    return array.toArray().contains(QJsonValue(text));
}

void readPricing(const QJsonObject &pricing, ModelInfo *info)
{
    if (pricing.contains("prompt"_L1) || pricing.contains("completion"_L1)) {
        info->inputPerToken = perTokenPrice(pricing.value("prompt"_L1));
        info->outputPerToken = perTokenPrice(pricing.value("completion"_L1));
        info->cachedInputPerToken = perTokenPrice(pricing.value("input_cache_read"_L1));
        info->cacheWritePerToken = perTokenPrice(pricing.value("input_cache_write"_L1));
        return;
    }
    // Together states USD per million tokens, and 0/0 for models it bills by the hour or image.
    const std::optional<double> input = perMillionPrice(pricing.value("input"_L1));
    const std::optional<double> output = perMillionPrice(pricing.value("output"_L1));
    if (input.value_or(0) > 0 || output.value_or(0) > 0) {
        info->inputPerToken = input;
        info->outputPerToken = output;
    }
}

Capabilities openAiCapabilities(const QJsonObject &entry)
{
    Capabilities capabilities;
    const QJsonValue parameters = entry.value("supported_parameters"_L1);
    if (contains(parameters, "tools"_L1)) {
        capabilities |= Capability::Tools;
    }
    if (contains(parameters, "reasoning"_L1) || contains(parameters, "include_reasoning"_L1)) {
        capabilities |= Capability::Reasoning;
    }
    const QJsonObject architecture = entry.value("architecture"_L1).toObject();
    if (contains(architecture.value("input_modalities"_L1), "image"_L1)) {
        capabilities |= Capability::Vision;
    }
    if (contains(architecture.value("output_modalities"_L1), "text"_L1)) {
        capabilities |= Capability::Chat;
    }
    if (contains(architecture.value("output_modalities"_L1), "embeddings"_L1)) {
        capabilities |= Capability::Embeddings;
    }
    const QJsonObject mistral = entry.value("capabilities"_L1).toObject();
    if (mistral.value("completion_chat"_L1).toBool()) {
        capabilities |= Capability::Chat;
    }
    if (mistral.value("function_calling"_L1).toBool()) {
        capabilities |= Capability::Tools;
    }
    if (mistral.value("vision"_L1).toBool()) {
        capabilities |= Capability::Vision;
    }
    const QString type = entry.value("type"_L1).toString();
    if (type == "chat"_L1 || type == "language"_L1 || type == "llm"_L1) {
        capabilities |= Capability::Chat;
    } else if (type == "vlm"_L1) {
        capabilities |= Capability::Chat | Capability::Vision;
    } else if (type == "embedding"_L1 || type == "embeddings"_L1) {
        capabilities |= Capability::Embeddings;
    }
    return capabilities;
}

Result<QJsonObject> entryAt(const QJsonArray &entries, qsizetype index)
{
    if (!entries.at(index).isObject()) {
        return Result<QJsonObject>::failure(
            Tr::tr("Entry %1 of the model list is not a JSON object: expected one model's description.").arg(index));
    }
    return entries.at(index).toObject();
}

Result<QString> idOf(const QJsonObject &entry, QLatin1StringView field, qsizetype index)
{
    const QString id = entry.value(field).toString();
    if (id.isEmpty()) {
        return Result<QString>::failure(
            Tr::tr("Entry %1 of the model list has no “%2”: expected the model's id as a string.")
                .arg(index)
                .arg(field));
    }
    return id;
}

} // namespace

Result<Page> ModelListParser::parseOpenAi(const QByteArray &body)
{
    const auto document = parseDocument(body);
    if (!document) {
        return Failure {document.errorMessage()};
    }
    const QJsonValue data = document->isArray() ? QJsonValue(document->array()) : document->object().value("data"_L1);
    if (!data.isArray()) {
        return Result<Page>::failure(
            Tr::tr("The model list has no “data” array: expected {\"data\": [{\"id\": …}]}, as OpenAI-compatible "
                   "servers answer GET /models."));
    }
    const QJsonArray entries = data.toArray();
    Page page;
    page.models.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const auto entry = entryAt(entries, i);
        if (!entry) {
            return Failure {entry.errorMessage()};
        }
        const auto id = idOf(entry.value(), "id"_L1, i);
        if (!id) {
            return Failure {id.errorMessage()};
        }
        ModelInfo info;
        info.id = id.value();
        info.displayName = entry->value("name"_L1).toString();
        if (info.displayName.isEmpty()) {
            info.displayName = entry->value("display_name"_L1).toString();
        }
        const QJsonObject topProvider = entry->value("top_provider"_L1).toObject();
        info.contextWindow = firstTokens(entry.value(), {"context_length"_L1, "context_window"_L1, "max_context_length"_L1});
        if (info.contextWindow == 0) {
            info.contextWindow = tokens(topProvider.value("context_length"_L1));
        }
        info.maxOutputTokens = tokens(topProvider.value("max_completion_tokens"_L1));
        if (info.maxOutputTokens == 0) {
            info.maxOutputTokens = tokens(entry->value("max_completion_tokens"_L1));
        }
        info.capabilities = openAiCapabilities(entry.value());
        readPricing(entry->value("pricing"_L1).toObject(), &info);
        page.models.append(std::move(info));
    }
    return page;
}

Result<Page> ModelListParser::parseAnthropic(const QByteArray &body)
{
    const auto document = parseDocument(body);
    if (!document) {
        return Failure {document.errorMessage()};
    }
    const QJsonObject root = document->object();
    if (!root.value("data"_L1).isArray()) {
        return Result<Page>::failure(
            Tr::tr("The model list has no “data” array: expected {\"data\": [{\"id\": …}], \"has_more\": …}, as "
                   "Anthropic answers GET /v1/models."));
    }
    const QJsonArray entries = root.value("data"_L1).toArray();
    Page page;
    page.models.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const auto entry = entryAt(entries, i);
        if (!entry) {
            return Failure {entry.errorMessage()};
        }
        const auto id = idOf(entry.value(), "id"_L1, i);
        if (!id) {
            return Failure {id.errorMessage()};
        }
        ModelInfo info;
        info.id = id.value();
        info.displayName = entry->value("display_name"_L1).toString();
        info.contextWindow = tokens(entry->value("max_input_tokens"_L1));
        info.maxOutputTokens = tokens(entry->value("max_tokens"_L1));
        // Everything the Messages API lists is a chat model.
        info.capabilities = Capability::Chat;
        const QJsonObject capabilities = entry->value("capabilities"_L1).toObject();
        const auto supported = [&capabilities](QLatin1StringView name) {
            return capabilities.value(name).toObject().value("supported"_L1).toBool();
        };
        if (supported("image_input"_L1)) {
            info.capabilities |= Capability::Vision;
        }
        if (supported("thinking"_L1)) {
            info.capabilities |= Capability::Reasoning;
        }
        page.models.append(std::move(info));
    }
    if (root.value("has_more"_L1).toBool()) {
        page.nextCursor = root.value("last_id"_L1).toString();
        if (page.nextCursor.isEmpty()) {
            return Result<Page>::failure(
                Tr::tr("The model list says it has more pages (“has_more”) but gives no “last_id” to continue from."));
        }
    }
    return page;
}

Result<Page> ModelListParser::parseGemini(const QByteArray &body)
{
    const auto document = parseDocument(body);
    if (!document) {
        return Failure {document.errorMessage()};
    }
    const QJsonObject root = document->object();
    const QJsonValue models = root.value("models"_L1);
    // Protobuf JSON leaves an empty list out, so only a present non-array is wrong.
    if (!document->isObject() || !(models.isArray() || models.isUndefined())) {
        return Result<Page>::failure(
            Tr::tr("The model list has no “models” array: expected {\"models\": [{\"name\": \"models/…\"}]}, as the "
                   "Gemini API answers GET /v1beta/models."));
    }
    const QJsonArray entries = models.toArray();
    Page page;
    page.models.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const auto entry = entryAt(entries, i);
        if (!entry) {
            return Failure {entry.errorMessage()};
        }
        const auto name = idOf(entry.value(), "name"_L1, i);
        if (!name) {
            return Failure {name.errorMessage()};
        }
        ModelInfo info;
        info.id = name->startsWith("models/"_L1) ? name->mid(7) : name.value();
        info.displayName = entry->value("displayName"_L1).toString();
        info.contextWindow = tokens(entry->value("inputTokenLimit"_L1));
        info.maxOutputTokens = tokens(entry->value("outputTokenLimit"_L1));
        const QJsonValue methods = entry->value("supportedGenerationMethods"_L1);
        if (contains(methods, "generateContent"_L1) || contains(methods, "streamGenerateContent"_L1)) {
            info.capabilities |= Capability::Chat;
        }
        if (contains(methods, "embedContent"_L1) || contains(methods, "batchEmbedContents"_L1)
            || contains(methods, "embedText"_L1)) {
            info.capabilities |= Capability::Embeddings;
        }
        if (entry->value("thinking"_L1).toBool()) {
            info.capabilities |= Capability::Reasoning;
        }
        page.models.append(std::move(info));
    }
    page.nextCursor = root.value("nextPageToken"_L1).toString();
    return page;
}

Result<Page> ModelListParser::parse(Providers::WireFormat format, const QByteArray &body)
{
    switch (format) {
    case Providers::WireFormat::AnthropicMessages:
        return parseAnthropic(body);
    case Providers::WireFormat::GeminiGenerate:
        return parseGemini(body);
    case Providers::WireFormat::OpenAiChat:
        break;
    }
    return parseOpenAi(body);
}

} // namespace Switchyard::Catalog
