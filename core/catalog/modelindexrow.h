#pragma once

#include "core/catalog/modelinfo.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Switchyard::Catalog {

// One model of one configured provider, with everything known about it from the live list, the
// workspace and the price catalog (see ModelIndex for which source wins).
struct ModelIndexRow
{
    QString providerId;
    QString modelId;
    QString displayName; // empty when no source names it
    qint64 contextWindow = 0; // tokens; 0 = unknown
    qint64 maxOutputTokens = 0; // tokens; 0 = unknown
    // USD per million tokens; nullopt = unknown, which is never shown or summed as 0.
    std::optional<double> inputPerMillion;
    std::optional<double> cachedInputPerMillion;
    std::optional<double> outputPerMillion;
    Capabilities capabilities;
    // Where the prices come from, with their date where they have one: "litellm 2025-11-21",
    // "openrouter 2026-11-23", "workspace override", "openrouter model list 2026-11-23".
    // Empty when the price is unknown.
    QString priceSource;
    bool seenLive = false; // in the provider's last fetched model list
    bool configured = false; // in the provider profile's own models list
    QDateTime listedAt; // when that list was fetched; invalid when it never was

    // {"provider", "model", "displayName", "contextWindow", "maxOutputTokens", "inputPerMillion",
    //  "cachedInputPerMillion", "outputPerMillion", "capabilities", "priceSource", "seenLive",
    //  "configured", "listedAt"}; unknown values are null.
    QJsonObject toJson() const;

    friend bool operator==(const ModelIndexRow &, const ModelIndexRow &) = default;
};

} // namespace Switchyard::Catalog

Q_DECLARE_METATYPE(Switchyard::Catalog::ModelIndexRow)
