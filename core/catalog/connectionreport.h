#pragma once

#include "core/catalog/modeldiscovery.h"

#include <QMetaType>
#include <QString>

namespace Switchyard::Catalog {

// The outcome of a ConnectionTest: whether the provider listed its models with the key given,
// how long that took and, on failure, what went wrong.
struct ConnectionReport
{
    QString providerId;
    bool succeeded = false;
    ModelDiscovery::FailureKind failure = ModelDiscovery::FailureKind::NoKey; // when !succeeded
    qint64 latencyMs = -1; // from the request to the complete list or the failure; -1 when none was sent
    int modelCount = 0;
    QString message; // on failure: translated, naming the provider, what went wrong and what to do

    friend bool operator==(const ConnectionReport &, const ConnectionReport &) = default;
};

} // namespace Switchyard::Catalog

Q_DECLARE_METATYPE(Switchyard::Catalog::ConnectionReport)
