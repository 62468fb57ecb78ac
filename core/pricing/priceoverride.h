#pragma once

#include "core/model/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchyard::Pricing {

// A price the workspace sets for one model, in USD per million tokens as people quote them.
// It wins over the bundled catalog.
struct PriceOverride
{
    // "provider/model" (LiteLLM prefix, e.g. "groq/llama-3.3-70b-versatile") or a bare model id.
    QString model;
    double inputPerMillion = 0;
    double outputPerMillion = 0;
    std::optional<double> cachedInputPerMillion;

    // Reads {"model", "inputPerMillion", "outputPerMillion", "cachedInputPerMillion"?}.
    static Result<PriceOverride> fromJson(const QJsonObject &object);
    // The entries of a workspace's priceOverrides that parse; why each other one does not goes to
    // `problems` when given.
    static QList<PriceOverride> listFromJson(const QJsonArray &array, QStringList *problems = nullptr);
    QJsonObject toJson() const;

    friend bool operator==(const PriceOverride &, const PriceOverride &) = default;
};

} // namespace Switchyard::Pricing

Q_DECLARE_METATYPE(Switchyard::Pricing::PriceOverride)
