#pragma once

#include "core/model/money.h"
#include "core/model/usage.h"

#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace Switchyard::Gateway {
class GatewayRuntime;
class GatewayTables;
} // namespace Switchyard::Gateway

namespace Switchyard::Workbench {

// How the window reaches the local gateway as a client: address, key, and the gateway's own
// price tables so a cost shown in the window is the cost the ledger records.
struct GatewayAccess
{
    QUrl baseUrl; // e.g. http://127.0.0.1:4000/v1
    QString key;
    std::shared_ptr<const Gateway::GatewayTables> tables; // null: costs unknown

    bool isValid() const { return baseUrl.isValid() && !key.isEmpty(); }
    QUrl chatCompletionsUrl() const;
    // The cost of `usage` on "provider/model", priced as the gateway prices it; nullopt when the
    // usage was not reported or the price is unknown.
    std::optional<Money> costOf(const QString &servedTarget, const Usage &usage) const;

    // The runtime's gateway with its workbench key; invalid while the gateway is stopped. A gateway
    // listening on every address is reached over loopback.
    static GatewayAccess of(const Gateway::GatewayRuntime &runtime);
};

} // namespace Switchyard::Workbench
