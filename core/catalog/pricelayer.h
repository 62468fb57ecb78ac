#pragma once

#include "core/model/result.h"
#include "core/pricing/modelprice.h"
#include "core/pricing/pricecatalog.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace Switchyard::Catalog {

// The user price layer: prices fetched on request from OpenRouter's public model list, kept in
// <data dir>/price-layer.json and laid over the bundled LiteLLM catalog. Precedence, first wins:
//   1. a workspace PriceOverride;
//   2. this layer under OpenRouter's own keys ("openrouter/anthropic/claude-sonnet-4.6"), which
//      replace the bundled "openrouter/…" entries: it is what OpenRouter charges today;
//   3. the bundled catalog;
//   4. this layer under the vendor's own key ("claude-sonnet-4-6", "gpt-5", "gemini/…",
//      "mistral/…", "xai/…", "deepseek/…"), only where the bundled catalog has no entry:
//      OpenRouter's figure is the lowest across the hosts it routes to, not the vendor's list
//      price, so it only stands in for models released after the bundled snapshot.
// The file is the bundled catalog's format ({"source", "sourceDate", "models": {key: LiteLLM
// fields}}) plus "sourceUrl" and "fetchedAt", repeated on every entry.
class PriceLayer
{
public:
    PriceLayer() = default;

    // <dataDir>/price-layer.json
    static QString filePathIn(const QString &dataDir);

    // Converts OpenRouter's GET /api/v1/models answer: per-token decimal strings become the
    // catalog's per-token numbers; a model whose prompt or completion price is missing, not a
    // number or negative (router pseudo-models such as openrouter/auto) is left out, so that its
    // price stays unknown. Fails when the body is not such a list or lists no priced model.
    static Result<PriceLayer> fromOpenRouterModels(
        const QByteArray &body, const QUrl &sourceUrl, const QDateTime &fetchedAt);

    static Result<PriceLayer> fromJson(const QByteArray &json);
    QByteArray toJson() const;

    // A missing file is an empty layer; a file that cannot be read or parsed fails, naming it.
    static Result<PriceLayer> load(const QString &filePath);
    // Writes atomically: a failed save leaves the previous file as it was.
    Status save(const QString &filePath) const;

    // Call before PriceCatalog::setOverrides() or after: overrides win either way.
    void applyTo(Pricing::PriceCatalog &catalog) const;
    // What the gateway prices with: the bundled catalog with the layer in `dataDir` laid over it.
    // What cannot be read is appended to `problems` (prices then stay unknown, never 0).
    static Pricing::PriceCatalog bundledWithLayer(const QString &dataDir, QStringList *problems);

    bool isEmpty() const { return m_prices.isEmpty(); }
    qsizetype size() const { return m_prices.size(); }
    // By key ("openrouter/<vendor>/<model>"), sorted.
    const QList<std::pair<QString, Pricing::ModelPrice>> &prices() const { return m_prices; }
    QUrl sourceUrl() const { return m_sourceUrl; }
    QDateTime fetchedAt() const { return m_fetchedAt; }
    // "openrouter 2026-11-23": the ModelPrice::source of every price of this layer.
    QString sourceLabel() const;

private:
    QList<std::pair<QString, Pricing::ModelPrice>> m_prices;
    QUrl m_sourceUrl;
    QDateTime m_fetchedAt;
};

} // namespace Switchyard::Catalog

Q_DECLARE_METATYPE(Switchyard::Catalog::PriceLayer)
