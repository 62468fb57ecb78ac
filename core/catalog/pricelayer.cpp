#include "core/catalog/pricelayer.h"

#include "core/catalog/catalogtr.h"
#include "core/catalog/modellistparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QSaveFile>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

Q_LOGGING_CATEGORY(lcPriceLayer, "switchyard.catalog.pricelayer")

const QString openRouterPrefix = u"openrouter/"_s;

// How the bundled catalog keys a vendor's own models, for OpenRouter's "<vendor>/<model>" ids.
struct VendorKey
{
    QLatin1StringView openRouterVendor;
    QLatin1StringView catalogPrefix; // empty: the catalog's unprefixed keys
    QLatin1StringView litellmProvider;
    QLatin1StringView modelStart; // only models whose id starts so, e.g. Google's Gemini (not Gemma)
    bool dotsToDashes = false; // "claude-sonnet-4.6" is Anthropic's "claude-sonnet-4-6"
};

const std::array<VendorKey, 6> vendorKeys = {{
    {"openai"_L1, {}, "openai"_L1, {}, false},
    {"anthropic"_L1, {}, "anthropic"_L1, {}, true},
    {"google"_L1, "gemini/"_L1, "gemini"_L1, "gemini-"_L1, false},
    {"mistralai"_L1, "mistral/"_L1, "mistral"_L1, {}, false},
    {"x-ai"_L1, "xai/"_L1, "xai"_L1, {}, false},
    {"deepseek"_L1, "deepseek/"_L1, "deepseek"_L1, {}, false},
}};

// The vendor's own catalog key for an OpenRouter id, or an empty key.
std::pair<QString, QLatin1StringView> vendorKeyOf(const QString &openRouterId)
{
    const qsizetype slash = openRouterId.indexOf(u'/');
    // Variants (":free", ":beta", ":thinking") are priced unlike the vendor's model.
    if (slash <= 0 || openRouterId.contains(u':')) {
        return {};
    }
    const QStringView vendor = QStringView(openRouterId).left(slash);
    QString model = openRouterId.mid(slash + 1);
    for (const VendorKey &key : vendorKeys) {
        if (vendor != key.openRouterVendor || !model.startsWith(key.modelStart)) {
            continue;
        }
        if (key.dotsToDashes) {
            model.replace(u'.', u'-');
        }
        return {key.catalogPrefix + model, key.litellmProvider};
    }
    return {};
}

QJsonObject entryJson(const Pricing::ModelPrice &price, const QString &sourceUrl, const QString &fetchedAt)
{
    QJsonObject entry {
        {u"input_cost_per_token"_s, price.inputPerToken},
        {u"output_cost_per_token"_s, price.outputPerToken},
        {u"mode"_s, price.mode},
        {u"litellm_provider"_s, price.provider},
        {u"sourceUrl"_s, sourceUrl},
        {u"fetchedAt"_s, fetchedAt},
    };
    if (price.cachedInputPerToken) {
        entry.insert(u"cache_read_input_token_cost"_s, *price.cachedInputPerToken);
    }
    if (price.cacheWritePerToken) {
        entry.insert(u"cache_creation_input_token_cost"_s, *price.cacheWritePerToken);
    }
    if (price.maxInputTokens > 0) {
        entry.insert(u"max_input_tokens"_s, price.maxInputTokens);
    }
    if (price.maxOutputTokens > 0) {
        entry.insert(u"max_output_tokens"_s, price.maxOutputTokens);
    }
    const std::pair<QString, bool> flags[] = {
        {u"supports_function_calling"_s, price.supportsFunctionCalling},
        {u"supports_vision"_s, price.supportsVision},
        {u"supports_reasoning"_s, price.supportsReasoning},
        {u"supports_prompt_caching"_s, price.supportsPromptCaching},
    };
    for (const auto &[field, value] : flags) {
        if (value) {
            entry.insert(field, true);
        }
    }
    return entry;
}

} // namespace

QString PriceLayer::filePathIn(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"price-layer.json"_s);
}

Result<PriceLayer> PriceLayer::fromOpenRouterModels(
    const QByteArray &body, const QUrl &sourceUrl, const QDateTime &fetchedAt)
{
    const auto page = ModelListParser::parseOpenAi(body);
    if (!page) {
        return Result<PriceLayer>::failure(Tr::tr("The OpenRouter model list from %1 could not be read: %2")
                                               .arg(sourceUrl.toDisplayString(), page.errorMessage()));
    }
    PriceLayer layer;
    layer.m_sourceUrl = sourceUrl;
    // Whole seconds, as the file keeps it.
    layer.m_fetchedAt = QDateTime::fromSecsSinceEpoch(fetchedAt.toSecsSinceEpoch(), Qt::UTC);
    const QString source = layer.sourceLabel();
    for (const ModelInfo &model : page->models) {
        if (!model.inputPerToken || !model.outputPerToken) {
            continue;
        }
        Pricing::ModelPrice price;
        price.inputPerToken = *model.inputPerToken;
        price.outputPerToken = *model.outputPerToken;
        price.cachedInputPerToken = model.cachedInputPerToken;
        price.cacheWritePerToken = model.cacheWritePerToken;
        price.maxInputTokens = model.contextWindow;
        price.maxOutputTokens = model.maxOutputTokens;
        const bool embeddingOnly
            = model.capabilities.testFlag(Capability::Embeddings) && !model.capabilities.testFlag(Capability::Chat);
        price.mode = embeddingOnly ? u"embedding"_s : u"chat"_s;
        price.provider = u"openrouter"_s;
        price.supportsFunctionCalling = model.capabilities.testFlag(Capability::Tools);
        price.supportsVision = model.capabilities.testFlag(Capability::Vision);
        price.supportsReasoning = model.capabilities.testFlag(Capability::Reasoning);
        price.supportsPromptCaching = model.cachedInputPerToken.has_value();
        price.source = source;
        layer.m_prices.append({openRouterPrefix + model.id, price});
    }
    if (layer.m_prices.isEmpty()) {
        return Result<PriceLayer>::failure(
            Tr::tr("The OpenRouter model list from %1 states no model's price: check that the URL points at "
                   "OpenRouter's GET /api/v1/models.")
                .arg(sourceUrl.toDisplayString()));
    }
    std::sort(
        layer.m_prices.begin(), layer.m_prices.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    layer.m_prices.erase(std::unique(layer.m_prices.begin(), layer.m_prices.end(),
                             [](const auto &a, const auto &b) { return a.first == b.first; }),
        layer.m_prices.end());
    return layer;
}

Result<PriceLayer> PriceLayer::fromJson(const QByteArray &json)
{
    auto catalog = Pricing::PriceCatalog::fromJson(json);
    if (!catalog) {
        return Failure {catalog.errorMessage()};
    }
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    PriceLayer layer;
    layer.m_sourceUrl = QUrl(root.value("sourceUrl"_L1).toString());
    layer.m_fetchedAt = QDateTime::fromString(root.value("fetchedAt"_L1).toString(), Qt::ISODate);
    if (!layer.m_sourceUrl.isValid() || layer.m_sourceUrl.isEmpty() || !layer.m_fetchedAt.isValid()) {
        return Result<PriceLayer>::failure(
            Tr::tr("The price layer has no valid “sourceUrl” or “fetchedAt”: expected where and when its prices "
                   "were fetched."));
    }
    layer.m_prices = catalog->entries();
    return layer;
}

QByteArray PriceLayer::toJson() const
{
    const QString url = m_sourceUrl.toString();
    const QString fetched = m_fetchedAt.toUTC().toString(Qt::ISODate);
    QJsonObject models;
    for (const auto &[key, price] : m_prices) {
        models.insert(key, entryJson(price, url, fetched));
    }
    const QJsonObject root {
        {u"source"_s, u"openrouter"_s},
        {u"sourceDate"_s, m_fetchedAt.toUTC().date().toString(Qt::ISODate)},
        {u"sourceUrl"_s, url},
        {u"fetchedAt"_s, fetched},
        {u"models"_s, models},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<PriceLayer> PriceLayer::load(const QString &filePath)
{
    QFile file(filePath);
    if (!file.exists()) {
        return PriceLayer();
    }
    const auto unusable = [&filePath](const QString &reason) {
        return Result<PriceLayer>::failure(
            Tr::tr("The price layer %1 cannot be used (%2). Run “switchyard prices refresh” to fetch it again, or "
                   "delete the file to price with the bundled catalog only.")
                .arg(filePath, reason));
    };
    if (!file.open(QIODevice::ReadOnly)) {
        return unusable(file.errorString());
    }
    auto layer = fromJson(file.readAll());
    if (!layer) {
        return unusable(layer.errorMessage());
    }
    qCDebug(lcPriceLayer) << "price layer" << layer->sourceLabel() << "with" << layer->size() << "prices";
    return layer;
}

Status PriceLayer::save(const QString &filePath) const
{
    const QString folder = QFileInfo(filePath).absolutePath();
    if (!QDir().mkpath(folder)) {
        return Status::failure(
            Tr::tr("Could not create the folder %1 for the price layer: check its permissions.").arg(folder));
    }
    QSaveFile file(filePath);
    const QByteArray json = toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        return Status::failure(Tr::tr("Could not save the price layer %1: %2. The previous prices stay in use.")
                                   .arg(filePath, file.errorString()));
    }
    return success();
}

void PriceLayer::applyTo(Pricing::PriceCatalog &catalog) const
{
    QList<std::pair<QString, Pricing::ModelPrice>> vendorPrices;
    for (const auto &[key, price] : m_prices) {
        if (!key.startsWith(openRouterPrefix)) {
            continue;
        }
        const auto [vendorKey, provider] = vendorKeyOf(key.mid(openRouterPrefix.size()));
        if (!vendorKey.isEmpty()) {
            Pricing::ModelPrice vendorPrice = price;
            vendorPrice.provider = provider;
            vendorPrices.append({vendorKey, vendorPrice});
        }
    }
    catalog.addLayer(m_prices, vendorPrices);
}

QString PriceLayer::sourceLabel() const
{
    return u"openrouter "_s + m_fetchedAt.toUTC().date().toString(Qt::ISODate);
}

Pricing::PriceCatalog PriceLayer::bundledWithLayer(const QString &dataDir, QStringList *problems)
{
    Pricing::PriceCatalog catalog;
    if (auto bundled = Pricing::PriceCatalog::loadBundled()) {
        catalog = std::move(bundled).value();
    } else {
        problems->append(bundled.errorMessage());
    }
    if (const auto layer = load(filePathIn(dataDir))) {
        layer->applyTo(catalog);
    } else {
        problems->append(layer.errorMessage());
    }
    return catalog;
}

} // namespace Switchyard::Catalog
