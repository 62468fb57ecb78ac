#pragma once

#include "core/catalog/discoveredmodels.h"
#include "core/catalog/modelindexrow.h"
#include "core/pricing/pricecatalog.h"
#include "core/providers/providerprofile.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Switchyard::Catalog {

// Every model of every configured provider in one list, one row per provider and model: the
// models of the provider's last live list plus those its profile names. Per field:
// - display name, context window, max output: the live list, else the price catalog's limits;
// - prices: the price catalog as the gateway prices with it (looked up with the preset's pricing
//   prefix; so workspace overrides > user price layer > bundled catalog), else prices the live
//   list states (OpenRouter, Together), else unknown;
// - capabilities: what the live list and the catalog state, together.
// A live list fetched from another base URL than the profile's current one is ignored.
class ModelIndex
{
public:
    ModelIndex() = default;

    static ModelIndex build(const QList<Providers::ProviderProfile> &providers,
        const QHash<QString, DiscoveredModels> &discovered, const Pricing::PriceCatalog &catalog);

    // In workspace provider order, then by model id.
    const QList<ModelIndexRow> &rows() const { return m_rows; }
    // nullptr when the provider has no such model; valid while the index lives.
    const ModelIndexRow *find(const QString &providerId, const QString &modelId) const;

private:
    QList<ModelIndexRow> m_rows;
    QHash<std::pair<QString, QString>, qsizetype> m_rowByKey;
};

} // namespace Switchyard::Catalog

Q_DECLARE_METATYPE(Switchyard::Catalog::ModelIndex)
