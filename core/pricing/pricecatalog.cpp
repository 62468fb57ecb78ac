#include "core/pricing/pricecatalog.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Pricing {

namespace {

Q_LOGGING_CATEGORY(lcPriceCatalog, "switchyard.pricing.pricecatalog")

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Pricing)
};

const QString bundledPath = u":/prices/model-prices.json"_s;

bool isDigits(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit(); });
}

// "claude-sonnet-4-5-20250929" → "claude-sonnet-4-5", "gpt-4o-mini-2024-07-18" → "gpt-4o-mini";
// empty when the name carries no date.
QString withoutDateSuffix(const QString &name)
{
    const QStringView view(name);
    const qsizetype size = view.size();
    if (size > 9 && view[size - 9] == u'-' && view.sliced(size - 8, 2) == u"20" && isDigits(view.last(8))) {
        return name.left(size - 9);
    }
    if (size > 11 && view[size - 11] == u'-' && view[size - 6] == u'-' && view[size - 3] == u'-'
        && view.sliced(size - 10, 2) == u"20" && isDigits(view.sliced(size - 10, 4))
        && isDigits(view.sliced(size - 5, 2)) && isDigits(view.last(2))) {
        return name.left(size - 11);
    }
    return {};
}

std::optional<double> optionalNumber(const QJsonObject &entry, QLatin1StringView field)
{
    const QJsonValue value = entry.value(field);
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

Result<ModelPrice> parseEntry(const QString &key, const QJsonValue &value, const QString &source)
{
    const auto invalid = [&key](QLatin1StringView field) {
        return Result<ModelPrice>::failure(
            Tr::tr("The price catalog entry “%1” has an invalid “%2”: expected a number of US dollars per token.")
                .arg(key, field));
    };
    if (!value.isObject()) {
        return Result<ModelPrice>::failure(
            Tr::tr("The price catalog entry “%1” is not a JSON object: expected the model's prices and limits.")
                .arg(key));
    }
    const QJsonObject entry = value.toObject();
    ModelPrice price;
    price.mode = entry.value("mode"_L1).toString();
    price.provider = entry.value("litellm_provider"_L1).toString();
    price.source = source;

    const QJsonValue input = entry.value("input_cost_per_token"_L1);
    if (!input.isDouble()) {
        return invalid("input_cost_per_token"_L1);
    }
    price.inputPerToken = input.toDouble();
    const QJsonValue output = entry.value("output_cost_per_token"_L1);
    // Embedding models have no output tokens; for anything else a missing output price would
    // silently price answers at $0.
    if (output.isDouble()) {
        price.outputPerToken = output.toDouble();
    } else if (!output.isUndefined() || price.mode != "embedding"_L1) {
        return invalid("output_cost_per_token"_L1);
    }
    const std::pair<QLatin1StringView, std::optional<double> ModelPrice::*> optionalPrices[] = {
        {"cache_read_input_token_cost"_L1, &ModelPrice::cachedInputPerToken},
        {"cache_creation_input_token_cost"_L1, &ModelPrice::cacheWritePerToken},
        {"output_cost_per_reasoning_token"_L1, &ModelPrice::reasoningPerToken},
    };
    for (const auto &[field, member] : optionalPrices) {
        const QJsonValue fieldValue = entry.value(field);
        if (!fieldValue.isUndefined() && !fieldValue.isDouble()) {
            return invalid(field);
        }
        price.*member = optionalNumber(entry, field);
    }
    price.maxInputTokens = qint64(entry.value("max_input_tokens"_L1).toDouble());
    price.maxOutputTokens = qint64(entry.value("max_output_tokens"_L1).toDouble());
    price.supportsFunctionCalling = entry.value("supports_function_calling"_L1).toBool();
    price.supportsVision = entry.value("supports_vision"_L1).toBool();
    price.supportsReasoning = entry.value("supports_reasoning"_L1).toBool();
    price.supportsPromptCaching = entry.value("supports_prompt_caching"_L1).toBool();
    return price;
}

} // namespace

Result<PriceCatalog> PriceCatalog::loadBundled()
{
    QFile file(bundledPath);
    if (!file.open(QIODevice::ReadOnly)) {
        return Result<PriceCatalog>::failure(
            Tr::tr("The bundled price catalog %1 is missing from this build (%2): rebuild Switchyard with "
                   "resources/prices/model-prices.json.")
                .arg(bundledPath, file.errorString()));
    }
    auto catalog = fromJson(file.readAll());
    if (catalog) {
        qCDebug(lcPriceCatalog) << "bundled catalog" << catalog->sourceLabel() << "with" << catalog->size() << "models";
    }
    return catalog;
}

Result<PriceCatalog> PriceCatalog::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        return Result<PriceCatalog>::failure(
            Tr::tr("The price catalog is not valid JSON (%1 at byte %2).").arg(error.errorString()).arg(error.offset));
    }
    const QJsonObject root = document.object();
    const QJsonValue models = root.value("models"_L1);
    if (!document.isObject() || !models.isObject()) {
        return Result<PriceCatalog>::failure(
            Tr::tr("The price catalog has no “models” object: expected {\"source\": …, \"models\": {…}}."));
    }

    PriceCatalog catalog;
    catalog.m_sourceLabel
        = QStringList {root.value("source"_L1).toString(), root.value("sourceDate"_L1).toString()}.join(u' ').trimmed();
    catalog.m_sourceCommit = root.value("sourceCommit"_L1).toString();
    const QJsonObject entries = models.toObject();
    catalog.m_prices.reserve(entries.size());
    for (auto it = entries.constBegin(); it != entries.constEnd(); ++it) {
        auto price = parseEntry(it.key(), it.value(), catalog.m_sourceLabel);
        if (!price) {
            return Failure {price.errorMessage()};
        }
        catalog.m_prices.insert(it.key(), std::move(price).value());
    }
    return catalog;
}

void PriceCatalog::addLayer(
    const QList<std::pair<QString, ModelPrice>> &replacing, const QList<std::pair<QString, ModelPrice>> &filling)
{
    for (const auto &[key, price] : replacing) {
        m_prices.insert(key, price);
    }
    for (const auto &[key, price] : filling) {
        if (!m_prices.contains(key)) {
            m_prices.insert(key, price);
        }
    }
    // Overrides take their limits and capabilities from the catalog entries just replaced.
    setOverrides(m_overrideList);
}

void PriceCatalog::setOverrides(const QList<PriceOverride> &overrides)
{
    m_overrideList = overrides;
    m_overrides.clear();
    for (const PriceOverride &priceOverride : overrides) {
        // Limits and capabilities still come from the catalog; only the prices are replaced, and
        // cache-write and reasoning tokens fall back to the overridden input/output prices.
        ModelPrice price = findInCatalog(QString(), priceOverride.model).value_or(ModelPrice());
        price.inputPerToken = priceOverride.inputPerMillion / 1e6;
        price.outputPerToken = priceOverride.outputPerMillion / 1e6;
        price.cachedInputPerToken = priceOverride.cachedInputPerMillion
            ? std::optional<double>(*priceOverride.cachedInputPerMillion / 1e6)
            : std::nullopt;
        price.cacheWritePerToken.reset();
        price.reasoningPerToken.reset();
        price.source = u"workspace override"_s;
        m_overrides.insert(priceOverride.model, price);
    }
}

std::optional<ModelPrice> PriceCatalog::find(const QString &pricingPrefix, const QString &model) const
{
    if (model.isEmpty()) {
        return std::nullopt;
    }
    if (!m_overrides.isEmpty()) {
        if (!pricingPrefix.isEmpty()) {
            const auto it = m_overrides.constFind(pricingPrefix + u'/' + model);
            if (it != m_overrides.constEnd()) {
                return *it;
            }
        }
        const auto it = m_overrides.constFind(model);
        if (it != m_overrides.constEnd()) {
            return *it;
        }
    }
    return findInCatalog(pricingPrefix, model);
}

std::optional<ModelPrice> PriceCatalog::findInCatalog(const QString &pricingPrefix, const QString &model) const
{
    const auto lookup = [this, &pricingPrefix](const QString &name) -> const ModelPrice * {
        // The provider's own key first: a bare key belongs to the model's vendor (e.g. the bare
        // "gemini-2.5-pro" is Vertex AI's price, "gemini/gemini-2.5-pro" the Gemini API's).
        if (!pricingPrefix.isEmpty()) {
            const auto it = m_prices.constFind(pricingPrefix + u'/' + name);
            if (it != m_prices.constEnd()) {
                return &*it;
            }
        }
        const auto it = m_prices.constFind(name);
        return it != m_prices.constEnd() ? &*it : nullptr;
    };

    QString candidates[4] = {model, withoutDateSuffix(model)};
    const qsizetype slash = model.indexOf(u'/');
    if (slash > 0) {
        candidates[2] = model.mid(slash + 1);
        candidates[3] = withoutDateSuffix(candidates[2]);
    }
    for (const QString &candidate : candidates) {
        if (candidate.isEmpty()) {
            continue;
        }
        if (const ModelPrice *price = lookup(candidate)) {
            return *price;
        }
    }
    return std::nullopt;
}

Money PriceCatalog::cost(const ModelPrice &price, const Usage &usage)
{
    const qint64 cached = qMax<qint64>(0, usage.cachedTokens);
    const qint64 cacheWrite = qMax<qint64>(0, usage.cacheWriteTokens);
    const qint64 uncached = qMax<qint64>(0, usage.promptTokens - cached - cacheWrite);
    const qint64 completion = qMax<qint64>(0, usage.completionTokens);

    double usd = uncached * price.inputPerToken + cached * price.cachedInputPerToken.value_or(price.inputPerToken)
        + cacheWrite * price.cacheWritePerToken.value_or(price.inputPerToken);
    if (price.reasoningPerToken) {
        const qint64 reasoning = qBound<qint64>(0, usage.reasoningTokens, completion);
        usd += (completion - reasoning) * price.outputPerToken + reasoning * *price.reasoningPerToken;
    } else {
        usd += completion * price.outputPerToken;
    }
    return Money::fromUsd(usd);
}

QList<std::pair<QString, ModelPrice>> PriceCatalog::entries() const
{
    QList<std::pair<QString, ModelPrice>> result;
    result.reserve(m_prices.size());
    for (auto it = m_prices.constBegin(); it != m_prices.constEnd(); ++it) {
        result.append({it.key(), m_overrides.value(it.key(), it.value())});
    }
    std::sort(result.begin(), result.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return result;
}

} // namespace Switchyard::Pricing
