#pragma once

#include "core/config/gatewaysettings.h"
#include "core/config/localkey.h"
#include "core/providers/providerprofile.h"
#include "core/routing/budget.h"
#include "core/routing/route.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Switchyard::Config {

// The user's domain configuration, as stored in workspace.json (see WorkspaceCodec).
struct Workspace
{
    int version = 2; // WorkspaceCodec::CurrentVersion
    QList<Providers::ProviderProfile> providers;
    QList<Routing::Route> routes;
    QList<LocalKey> localKeys;
    QList<Routing::Budget> budgets;
    QList<Routing::RateLimit> limits;
    // US dollars per million tokens (prompt + completion) charged to budgets for a request whose
    // price is unknown, so that it never counts as free.
    double unpricedCostPerMillionTokens = 10.0;
    GatewaySettings gateway;
    QJsonArray priceOverrides; // raw JSON objects, interpreted by core/pricing
    QStringList secretNames; // keychain entries created by "switchyard keys set" (a keychain cannot be listed)
    // Top-level members this build does not know, kept so that saving does not drop them.
    QJsonObject unknownFields;

    // nullptr when absent; valid until the workspace is modified.
    const Providers::ProviderProfile *provider(const QString &id) const;
    const Routing::Route *route(const QString &name) const;

    friend bool operator==(const Workspace &, const Workspace &) = default;
};

} // namespace Switchyard::Config

Q_DECLARE_METATYPE(Switchyard::Config::Workspace)
