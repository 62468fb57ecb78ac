#include "core/gateway/gatewaytables.h"

#include "core/config/workspace.h"
#include "core/gateway/gatewaytr.h"
#include "core/protocol/openaicompatquirks.h"
#include "core/providers/credentialref.h"
#include "core/providers/providerpresets.h"
#include "core/routing/randomsource.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Routing::RandomSource &plannerRandom()
{
    static Routing::SystemRandom random;
    return random;
}

HttpHeader authHeaderFor(Providers::WireFormat wireFormat, const QString &secret)
{
    switch (wireFormat) {
    case Providers::WireFormat::OpenAiChat:
        break;
    case Providers::WireFormat::AnthropicMessages:
        return {"x-api-key"_ba, secret.toUtf8()};
    case Providers::WireFormat::GeminiGenerate:
        return {"x-goog-api-key"_ba, secret.toUtf8()};
    }
    return {"Authorization"_ba, "Bearer "_ba + secret.toUtf8()};
}
} // namespace

std::shared_ptr<const GatewayTables> GatewayTables::build(const Config::Workspace &workspace,
    const QHash<QString, QString> &secretByProviderId, const Pricing::PriceCatalog &catalog,
    Routing::RandomSource *random, const std::optional<Config::LocalKey> &internalKey)
{
    auto tables = std::make_shared<GatewayTables>();
    tables->m_settings = workspace.gateway;
    tables->m_localKeys = workspace.localKeys;
    tables->m_userKeyCount = workspace.localKeys.size();
    if (internalKey) {
        tables->m_localKeys.append(*internalKey);
    }
    tables->m_budgets = workspace.budgets;
    tables->m_limits = workspace.limits;
    tables->m_unpricedCostPerMillionTokens = workspace.unpricedCostPerMillionTokens;
    tables->m_catalog = catalog;
    tables->m_catalog.setOverrides(Pricing::PriceOverride::listFromJson(workspace.priceOverrides));

    QStringList providerIds;
    for (const Providers::ProviderProfile &profile : workspace.providers) {
        const auto preset = Providers::ProviderPresets::find(profile.preset);
        ProviderEndpoint endpoint;
        endpoint.id = profile.id;
        endpoint.presetId = profile.preset;
        endpoint.wireFormat = preset ? preset->wireFormat : Providers::WireFormat::OpenAiChat;
        endpoint.baseUrl = profile.baseUrl.toString(QUrl::StripTrailingSlash);
        endpoint.chatCompletionsUrl = QUrl(endpoint.baseUrl + u"/chat/completions"_s);
        endpoint.acceptsOpenAiBodies = endpoint.wireFormat == Providers::WireFormat::OpenAiChat
            && !Protocol::OpenAiCompatQuirks::rewritesRequests(profile.preset);
        endpoint.extraHeaders = profile.extraHeaders;
        endpoint.pricingPrefix = preset ? preset->pricingPrefix : QString();
        endpoint.supportsStreamUsage = preset ? preset->supportsStreamUsage : false;
        endpoint.models = profile.models;
        const QString secret = secretByProviderId.value(profile.id);
        if (!secret.isEmpty()) {
            endpoint.authHeader = authHeaderFor(endpoint.wireFormat, secret);
        } else if (!profile.credentialRef.isEmpty()) {
            endpoint.credentialProblem = Tr::tr("Provider \"%1\" has no usable credential (%2 could not be read).")
                                             .arg(profile.id, profile.credentialRef);
        }
        tables->m_providerIndex.insert(profile.id, tables->m_providers.size());
        tables->m_providers.append(endpoint);
        providerIds.append(profile.id);
    }
    const GatewayTables *self = tables.get(); // the planner lives inside the tables it points into
    const auto contextWindow = [self](const Routing::RouteTarget &target) -> qint64 {
        const auto price = self->priceOf(target.provider, target.model);
        return price ? price->maxInputTokens : 0;
    };
    const auto cost = [self](const Routing::RouteTarget &target, qint64 promptTokens,
                          qint64 outputTokens) -> std::optional<double> {
        const auto price = self->priceOf(target.provider, target.model);
        if (!price) {
            return std::nullopt;
        }
        return price->inputPerToken * double(promptTokens) + price->outputPerToken * double(outputTokens);
    };
    tables->m_planner = Routing::RoutePlanner(
        workspace.routes, providerIds, contextWindow, cost, random != nullptr ? *random : plannerRandom());
    return tables;
}

QStringList GatewayTables::targetKeys() const
{
    QStringList keys;
    for (const Routing::Route &route : m_planner.routes()) {
        for (const Routing::RouteTarget &target : route.targets) {
            if (!target.isNested() && !keys.contains(target.toString())) {
                keys.append(target.toString());
            }
        }
    }
    return keys;
}

std::optional<Pricing::ModelPrice> GatewayTables::priceOf(const QString &providerId, const QString &model) const
{
    const ProviderEndpoint *endpoint = provider(providerId);
    return m_catalog.find(endpoint != nullptr ? endpoint->pricingPrefix : QString(), model);
}

void GatewayTables::priceRecord(Ledger::UsageRecord &record) const
{
    if (!record.usage.isReported) {
        return;
    }
    if (const auto price = priceOf(record.provider, record.model)) {
        record.cost = Pricing::PriceCatalog::cost(*price, record.usage);
        record.priceSource = price->source;
    }
}

Money GatewayTables::chargeFor(const Ledger::UsageRecord &record) const
{
    if (const auto cost = record.effectiveCost()) {
        return *cost;
    }
    return Money::fromUsd(double(record.usage.totalTokens()) * m_unpricedCostPerMillionTokens / 1e6);
}

Money GatewayTables::estimateCost(const Routing::RoutePlan &plan, qint64 promptTokens, qint64 outputTokens) const
{
    // The dearest target the request may reach, so a reservation never underestimates.
    double highestUsd = 0;
    for (const Routing::PlannedTarget &planned : plan.targets) {
        const auto price = priceOf(planned.target.provider, planned.target.model);
        const double usd = price
            ? price->inputPerToken * double(promptTokens) + price->outputPerToken * double(outputTokens)
            : double(promptTokens + outputTokens) * m_unpricedCostPerMillionTokens / 1e6;
        highestUsd = qMax(highestUsd, usd);
    }
    return Money::fromUsd(highestUsd);
}

const ProviderEndpoint *GatewayTables::provider(const QString &id) const
{
    const auto it = m_providerIndex.constFind(id);
    return it == m_providerIndex.cend() ? nullptr : &m_providers.at(*it);
}

QString GatewayTables::authenticate(QByteArrayView presented) const
{
    // Every key is compared (each in constant time) so the timing does not tell which matched.
    QString name;
    for (const Config::LocalKey &key : m_localKeys) {
        if (key.matches(presented) && name.isEmpty()) {
            name = key.name;
        }
    }
    return name;
}

} // namespace Switchyard::Gateway
