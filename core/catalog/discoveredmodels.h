#pragma once

#include "core/catalog/modelinfo.h"
#include "core/model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace Switchyard::Catalog {

// One provider's live model list as last fetched: what ModelDiscovery caches in memory and on disk.
struct DiscoveredModels
{
    QString providerId;
    QUrl baseUrl; // where the list came from; a profile pointing elsewhere since makes it stale
    QDateTime fetchedAt; // UTC
    QList<ModelInfo> models; // in the provider's order

    // {"providerId", "baseUrl", "fetchedAt", "models": [ModelInfo::toJson()…]}; the message of a
    // failure names what is missing, not the file.
    QByteArray toJson() const;
    static Result<DiscoveredModels> fromJson(const QByteArray &json);

    friend bool operator==(const DiscoveredModels &, const DiscoveredModels &) = default;
};

} // namespace Switchyard::Catalog

Q_DECLARE_METATYPE(Switchyard::Catalog::DiscoveredModels)
