#pragma once

#include "core/config/gatewaysettings.h"
#include "core/config/localkey.h"
#include "core/gateway/httpheaders.h"
#include "core/ledger/usagerecord.h"
#include "core/pricing/pricecatalog.h"
#include "core/providers/providerpreset.h"
#include "core/routing/budget.h"
#include "core/routing/routeplan.h"
#include "core/routing/routeplanner.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace Switchyard::Config {
struct Workspace;
}
namespace Switchyard::Routing {
class RandomSource;
}

namespace Switchyard::Gateway {

// A provider as the request path needs it: URLs resolved, credential already read.
struct ProviderEndpoint
{
    QString id;
    QString presetId;
    Providers::WireFormat wireFormat = Providers::WireFormat::OpenAiChat;
    QString baseUrl; // without a trailing '/'
    QUrl chatCompletionsUrl; // for OpenAI-format providers
    HttpHeader authHeader; // the credential in the provider's header; empty name for keyless servers
    QString credentialProblem; // why a required credential is missing; empty when usable
    // An OpenAI client's request body can go to this provider as it is (model spliced): the
    // provider speaks OpenAI's format and has no quirk that needs the body rewritten.
    bool acceptsOpenAiBodies = false;
    HttpHeaders extraHeaders;
    QString pricingPrefix;
    bool supportsStreamUsage = false;
    QStringList models;
};

// An immutable snapshot of everything the gateway consults per request, built when the
// workspace or its secrets change, so the request path never touches config, disk or keychain.
// Calls in flight keep the snapshot they started with.
class GatewayTables
{
public:
    // `random` drives the planner's weighted picks and exploration; the system source when null.
    // `internalKey` authenticates the application's own requests beside the workspace's keys.
    static std::shared_ptr<const GatewayTables> build(const Config::Workspace &workspace,
        const QHash<QString, QString> &secretByProviderId, const Pricing::PriceCatalog &catalog,
        Routing::RandomSource *random = nullptr, const std::optional<Config::LocalKey> &internalKey = std::nullopt);

    const Config::GatewaySettings &settings() const { return m_settings; }
    const ProviderEndpoint *provider(const QString &id) const;
    const QList<ProviderEndpoint> &providers() const { return m_providers; }
    const Routing::RoutePlanner &planner() const { return m_planner; }
    // "provider/model" of every target the routes name (for per-target metrics).
    QStringList targetKeys() const;
    const Pricing::PriceCatalog &catalog() const { return m_catalog; }
    // The catalog price of a provider's model, looked up with the provider's pricing prefix.
    std::optional<Pricing::ModelPrice> priceOf(const QString &providerId, const QString &model) const;
    // Sets the record's cost and price source from the catalog when its usage is known.
    void priceRecord(Ledger::UsageRecord &record) const;
    // What budgets are charged for an attempt: its cost, or for an unknown price its tokens at
    // the workspace's unpriced rate, never free (a budget must not stop counting because a model
    // is missing from the catalog).
    Money chargeFor(const Ledger::UsageRecord &record) const;
    // What a request may cost at most on the targets of its plan (unknown prices at the unpriced rate).
    Money estimateCost(const Routing::RoutePlan &plan, qint64 promptTokens, qint64 outputTokens) const;
    // Whether the workspace has keys for clients (the internal key does not count: a client cannot know it).
    bool hasLocalKeys() const { return m_userKeyCount > 0; }
    const QList<Routing::Budget> &budgets() const { return m_budgets; }
    const QList<Routing::RateLimit> &limits() const { return m_limits; }
    // The charge per million tokens of a request whose price is unknown (never free).
    double unpricedCostPerMillionTokens() const { return m_unpricedCostPerMillionTokens; }
    // The name of the local key `presented` matches, or an empty string.
    QString authenticate(QByteArrayView presented) const;

private:
    Config::GatewaySettings m_settings;
    QList<ProviderEndpoint> m_providers;
    QHash<QString, qsizetype> m_providerIndex;
    Routing::RoutePlanner m_planner;
    Pricing::PriceCatalog m_catalog;
    QList<Config::LocalKey> m_localKeys; // the workspace's, then the internal one
    qsizetype m_userKeyCount = 0;
    QList<Routing::Budget> m_budgets;
    QList<Routing::RateLimit> m_limits;
    double m_unpricedCostPerMillionTokens = 10.0;
};

} // namespace Switchyard::Gateway
