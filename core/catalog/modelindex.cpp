#include "core/catalog/modelindex.h"

#include "core/catalog/catalogtr.h"
#include "core/providers/providerpresets.h"

#include <QMap>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

// Catalog prices are binary fractions of per-token figures; rounding to a millionth of a dollar
// per million tokens turns 2.5e-06 back into 2.5 instead of 2.5000000000000004.
double perMillion(double perToken)
{
    return std::round(perToken * 1e12) / 1e6;
}

std::optional<double> perMillion(const std::optional<double> &perToken)
{
    return perToken ? std::optional<double>(perMillion(*perToken)) : std::nullopt;
}

Capabilities capabilitiesOf(const Pricing::ModelPrice &price)
{
    Capabilities capabilities;
    if (price.mode == "chat"_L1 || price.mode == "responses"_L1) {
        capabilities |= Capability::Chat;
    } else if (price.mode == "embedding"_L1) {
        capabilities |= Capability::Embeddings;
    }
    if (price.supportsFunctionCalling) {
        capabilities |= Capability::Tools;
    }
    if (price.supportsVision) {
        capabilities |= Capability::Vision;
    }
    if (price.supportsReasoning) {
        capabilities |= Capability::Reasoning;
    }
    return capabilities;
}

bool sameBaseUrl(const QUrl &a, const QUrl &b)
{
    return a.adjusted(QUrl::StripTrailingSlash) == b.adjusted(QUrl::StripTrailingSlash);
}

void completeRow(
    ModelIndexRow &row, const ModelInfo *live, const Pricing::PriceCatalog &catalog, const QString &pricingPrefix)
{
    const std::optional<Pricing::ModelPrice> price = catalog.find(pricingPrefix, row.modelId);
    if (price) {
        if (row.contextWindow == 0) {
            row.contextWindow = price->maxInputTokens;
        }
        if (row.maxOutputTokens == 0) {
            row.maxOutputTokens = price->maxOutputTokens;
        }
        row.capabilities |= capabilitiesOf(*price);
        row.inputPerMillion = perMillion(price->inputPerToken);
        row.outputPerMillion = perMillion(price->outputPerToken);
        row.cachedInputPerMillion = perMillion(price->cachedInputPerToken);
        row.priceSource = price->source;
        return;
    }
    if (live == nullptr) {
        return;
    }
    row.inputPerMillion = perMillion(live->inputPerToken);
    row.outputPerMillion = perMillion(live->outputPerToken);
    row.cachedInputPerMillion = perMillion(live->cachedInputPerToken);
    if (row.inputPerMillion || row.outputPerMillion) {
        //: %1 is a provider id, %2 the date its model list was fetched.
        row.priceSource
            = Tr::tr("%1 model list %2").arg(row.providerId, row.listedAt.toUTC().date().toString(Qt::ISODate));
    }
}

} // namespace

ModelIndex ModelIndex::build(const QList<Providers::ProviderProfile> &providers,
    const QHash<QString, DiscoveredModels> &discovered, const Pricing::PriceCatalog &catalog)
{
    ModelIndex index;
    for (const Providers::ProviderProfile &profile : providers) {
        const auto preset = Providers::ProviderPresets::find(profile.preset);
        const QString pricingPrefix = preset ? preset->pricingPrefix : QString();
        const auto list = discovered.constFind(profile.id);
        const bool hasLiveList = list != discovered.constEnd() && sameBaseUrl(list->baseUrl, profile.baseUrl);

        QMap<QString, std::pair<ModelIndexRow, const ModelInfo *>> rows; // sorted by model id
        if (hasLiveList) {
            for (const ModelInfo &model : list->models) {
                if (rows.contains(model.id)) {
                    continue;
                }
                ModelIndexRow row;
                row.displayName = model.displayName;
                row.contextWindow = model.contextWindow;
                row.maxOutputTokens = model.maxOutputTokens;
                row.capabilities = model.capabilities;
                row.seenLive = true;
                row.listedAt = list->fetchedAt;
                rows.insert(model.id, {row, &model});
            }
        }
        for (const QString &model : profile.models) {
            rows[model].first.configured = true;
        }
        for (auto it = rows.begin(); it != rows.end(); ++it) {
            ModelIndexRow &row = it->first;
            row.providerId = profile.id;
            row.modelId = it.key();
            completeRow(row, it->second, catalog, pricingPrefix);
            index.m_rowByKey.insert({row.providerId, row.modelId}, index.m_rows.size());
            index.m_rows.append(std::move(row));
        }
    }
    return index;
}

const ModelIndexRow *ModelIndex::find(const QString &providerId, const QString &modelId) const
{
    const auto it = m_rowByKey.constFind({providerId, modelId});
    return it != m_rowByKey.constEnd() ? &m_rows.at(*it) : nullptr;
}

} // namespace Switchyard::Catalog
