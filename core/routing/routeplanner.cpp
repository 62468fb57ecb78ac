#include "core/routing/routeplanner.h"

#include "core/routing/clock.h"
#include "core/routing/randomsource.h"
#include "core/routing/routerstate.h"
#include "core/routing/routingtr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVarLengthArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

struct RoutePlanner::Expansion
{
    const RequestFacts &facts;
    const RouterState &state;
    const StrategyOrder *order; // null for a direct provider/model
    QVarLengthArray<QString, MaxNestingDepth> path; // the routes being expanded, outermost first
    RoutePlan &plan;
};

RoutePlanner::RoutePlanner(QList<Route> routes, const QStringList &providerIds, ContextWindowLookup contextWindow,
    CostEstimator cost, RandomSource &random)
    : m_routes(std::move(routes))
    , m_providerIds(providerIds.cbegin(), providerIds.cend())
    , m_contextWindow(std::move(contextWindow))
    , m_cost(std::move(cost))
    , m_random(&random)
    , m_namedDirectly(Tr::tr("named directly"))
{
    m_facts.reserve(m_routes.size());
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes.at(i);
        m_routeIndex.insert(route.name, i);
        RouteFacts facts;
        for (const RouteTarget &target : route.targets) {
            if (target.isNested()) {
                facts.targets.append(TargetFacts());
                continue;
            }
            facts.targets.append({target.toString(), m_contextWindow ? m_contextWindow(target) : 0});
        }
        if (route.strategy == Strategy::Fallback) {
            facts.writtenOrder = StrategyOrder::fallback(route);
        }
        m_facts.append(facts);
    }
}

void RoutePlanner::setExplorationRate(double rate)
{
    m_explorationRate = std::clamp(rate, 0.0, 1.0);
}

const Route *RoutePlanner::route(const QString &name) const
{
    const auto it = m_routeIndex.constFind(name);
    return it == m_routeIndex.cend() ? nullptr : &m_routes.at(*it);
}

Result<RoutePlan> RoutePlanner::plan(
    const QString &requestedModel, const RequestFacts &facts, const RouterState &state) const
{
    RoutePlan plan;
    if (const auto index = m_routeIndex.constFind(requestedModel); index != m_routeIndex.cend()) {
        const Route &route = m_routes.at(*index);
        plan.routeName = route.name;
        plan.strategy = route.strategy;
        plan.fallbackOn = route.fallbackOn;
        plan.retry = route.retry;
        plan.deadlineMs = route.deadlineMs;
        plan.targets.reserve(route.targets.size());
        const StrategyOrder order(
            state, *m_random, m_cost, facts.estimatedPromptTokens, facts.estimatedOutputTokens, m_explorationRate);
        Expansion expansion {facts, state, &order, {}, plan};
        expand(*index, QString(), expansion);
        return plan;
    }
    if (auto target = RouteTarget::parse(requestedModel); target && m_providerIds.contains(target->provider)) {
        Expansion expansion {facts, state, nullptr, {}, plan};
        const TargetFacts direct {target->toString(), m_contextWindow ? m_contextWindow(target.value()) : 0};
        admit(target.value(), direct, Route(), m_namedDirectly, expansion);
        return plan;
    }
    QStringList routeNames;
    for (const Route &route : m_routes) {
        routeNames.append(route.name);
    }
    QStringList providers(m_providerIds.cbegin(), m_providerIds.cend());
    providers.sort();
    return Result<RoutePlan>::failure(
        Tr::tr("The model \"%1\" does not exist. Use a route (%2) or provider/model with one of "
               "the providers (%3).")
            .arg(requestedModel, routeNames.isEmpty() ? Tr::tr("none defined") : routeNames.join(u", "_s),
                providers.isEmpty() ? Tr::tr("none defined") : providers.join(u", "_s)));
}

void RoutePlanner::expand(qsizetype routeIndex, const QString &reasonPrefix, Expansion &expansion) const
{
    const Route &route = m_routes.at(routeIndex);
    const RouteFacts &routeFacts = m_facts.at(routeIndex);
    expansion.path.append(route.name);
    const QList<StrategyOrder::Entry> entries
        = route.strategy == Strategy::Fallback ? routeFacts.writtenOrder : expansion.order->order(route);
    for (const StrategyOrder::Entry &entry : entries) {
        const RouteTarget &target = route.targets.at(entry.index);
        const QString reason
            = reasonPrefix.isEmpty() ? entry.reason : Tr::tr("%1 › %2").arg(reasonPrefix, entry.reason);
        if (!target.isNested()) {
            admit(target, routeFacts.targets.at(entry.index), route, reason, expansion);
            continue;
        }
        // Validation rejects cycles; these guards keep a bad workspace from looping regardless.
        QString problem;
        const auto inner = m_routeIndex.constFind(target.route);
        if (inner == m_routeIndex.cend()) {
            problem = Tr::tr("route \"%1\" is not defined").arg(target.route);
        } else if (expansion.path.contains(target.route)) {
            QStringList cycle(expansion.path.cbegin(), expansion.path.cend());
            cycle.append(target.route);
            problem = Tr::tr("route \"%1\" would contain itself (%2)").arg(target.route, cycle.join(u" → "_s));
        } else if (expansion.path.size() >= MaxNestingDepth) {
            problem = Tr::tr("routes nest more than %1 levels deep").arg(MaxNestingDepth);
        }
        if (!problem.isEmpty()) {
            expansion.plan.skipped.append({target, route.name, SkippedTarget::Why::NestedRoute, problem});
            continue;
        }
        expand(*inner, reason, expansion);
    }
    expansion.path.removeLast();
}

void RoutePlanner::admit(const RouteTarget &target, const TargetFacts &facts, const Route &route, const QString &reason,
    Expansion &expansion) const
{
    const qint64 window = facts.contextWindow;
    if (window > 0 && expansion.facts.estimatedPromptTokens > window) {
        expansion.plan.skipped.append({target, route.name, SkippedTarget::Why::ContextWindow,
            Tr::tr("context window %1 < estimated prompt %2 tokens")
                .arg(window)
                .arg(expansion.facts.estimatedPromptTokens)});
        return;
    }
    const QString &key = facts.key;
    switch (expansion.state.breakerState(key)) {
    case BreakerState::Open: {
        const qint64 remainingMs = expansion.state.breakerOpenUntilMs(key) - expansion.state.clock().nowMs();
        expansion.plan.skipped.append({target, route.name, SkippedTarget::Why::BreakerOpen,
            Tr::tr("circuit breaker open, next probe in %1 ms").arg(remainingMs)});
        return;
    }
    case BreakerState::HalfOpen:
        expansion.plan.targets.append({target, route.name, route.breaker,
            Tr::tr("%1; circuit breaker half-open: this is its probe").arg(reason)});
        return;
    case BreakerState::Closed:
        expansion.plan.targets.append({target, route.name, route.breaker, reason});
        return;
    }
}

qint64 RoutePlanner::estimateTokens(QByteArrayView requestBody)
{
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromRawData(requestBody.data(), requestBody.size()));
    if (!document.isObject()) {
        return 0;
    }
    const QJsonObject request = document.object();
    qint64 bytes = 0;
    const auto addText = [&bytes](const QJsonValue &value) {
        if (value.isString()) {
            bytes += value.toString().toUtf8().size();
        }
    };
    const QJsonArray messages = request.value("messages"_L1).toArray();
    for (const QJsonValue &messageValue : messages) {
        const QJsonObject message = messageValue.toObject();
        const QJsonValue content = message.value("content"_L1);
        addText(content);
        for (const QJsonValue &part : content.toArray()) {
            addText(part.toObject().value("text"_L1));
        }
        for (const QJsonValue &call : message.value("tool_calls"_L1).toArray()) {
            addText(call.toObject().value("function"_L1).toObject().value("arguments"_L1));
        }
    }
    if (const QJsonValue tools = request.value("tools"_L1); tools.isArray()) {
        bytes += QJsonDocument(tools.toArray()).toJson(QJsonDocument::Compact).size();
    }
    return (bytes + 3) / 4 + 4 * messages.size();
}

} // namespace Switchyard::Routing
