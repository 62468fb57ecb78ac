#pragma once

#include "core/model/money.h"
#include "core/model/result.h"
#include "core/model/usage.h"
#include "core/pricing/modelprice.h"
#include "core/pricing/priceoverride.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Switchyard::Pricing {

// Model prices by LiteLLM model key, plus the workspace's overrides. Copies are cheap (implicitly
// shared hashes) and const lookups are safe from any thread, so the gateway keeps its own copy.
class PriceCatalog
{
public:
    PriceCatalog() = default;

    // The catalog compiled into the binary (resources/prices/model-prices.json).
    static Result<PriceCatalog> loadBundled();
    // {"source", "sourceDate", "sourceCommit", "models": {key: {litellm fields}}}.
    static Result<PriceCatalog> fromJson(const QByteArray &json);

    // Prices fetched after this catalog was built (the user price layer of core/catalog): every
    // `replacing` entry takes the place of the entry with the same key, every `filling` entry is
    // added only under a key the catalog has no entry for. Overrides keep winning over both.
    void addLayer(
        const QList<std::pair<QString, ModelPrice>> &replacing, const QList<std::pair<QString, ModelPrice>> &filling);

    // Replaces all overrides; a later entry for the same model wins.
    void setOverrides(const QList<PriceOverride> &overrides);
    QList<PriceOverride> overrides() const { return m_overrideList; }

    // pricingPrefix is the provider preset's LiteLLM prefix ("groq", "gemini", "openrouter", …;
    // empty for OpenAI and Anthropic). Tries, first match wins: an override for
    // "prefix/model" or "model"; then for model, model without a date suffix ("-20250929",
    // "-2024-07-18") and model without an OpenRouter-style vendor ("openai/gpt-4o" → "gpt-4o"),
    // each as "prefix/name" before the bare "name". Nullopt when the price is unknown.
    std::optional<ModelPrice> find(const QString &pricingPrefix, const QString &model) const;

    // OpenAI accounting (cached and cache-write tokens inside prompt, reasoning inside completion);
    // rounded to the nano-dollar once, at the end.
    static Money cost(const ModelPrice &price, const Usage &usage);

    // Every catalog entry by key, sorted by key, with overrides applied (for the models explorer).
    QList<std::pair<QString, ModelPrice>> entries() const;
    qsizetype size() const { return m_prices.size(); }
    bool isEmpty() const { return m_prices.isEmpty(); }
    // "litellm 2025-11-21"; empty for a default-constructed catalog.
    QString sourceLabel() const { return m_sourceLabel; }
    QString sourceCommit() const { return m_sourceCommit; }

private:
    std::optional<ModelPrice> findInCatalog(const QString &pricingPrefix, const QString &model) const;

    QHash<QString, ModelPrice> m_prices;
    QHash<QString, ModelPrice> m_overrides; // by PriceOverride::model, already merged with the catalog entry
    QList<PriceOverride> m_overrideList;
    QString m_sourceLabel;
    QString m_sourceCommit;
};

} // namespace Switchyard::Pricing

Q_DECLARE_METATYPE(Switchyard::Pricing::PriceCatalog)
