#include "core/routing/strategyorder.h"

#include "core/routing/randomsource.h"
#include "core/routing/routerstate.h"
#include "core/routing/routingtr.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

QList<qsizetype> writtenOrder(const Route &route)
{
    QList<qsizetype> indexes(route.targets.size());
    std::iota(indexes.begin(), indexes.end(), 0);
    return indexes;
}

} // namespace

StrategyOrder::StrategyOrder(const RouterState &state, RandomSource &random, const CostEstimator &cost,
    qint64 estimatedPromptTokens, qint64 estimatedOutputTokens, double explorationRate)
    : m_state(state)
    , m_random(random)
    , m_cost(cost)
    , m_promptTokens(estimatedPromptTokens)
    , m_outputTokens(estimatedOutputTokens)
    , m_explorationRate(explorationRate)
{
}

QList<StrategyOrder::Entry> StrategyOrder::order(const Route &route) const
{
    switch (route.strategy) {
    case Strategy::Fallback:
        return fallback(route);
    case Strategy::Weighted:
        return weighted(route);
    case Strategy::LowestLatency:
        return lowestLatency(route);
    case Strategy::LowestCost:
        return lowestCost(route);
    case Strategy::LeastBusy:
        return leastBusy(route);
    }
    return fallback(route);
}

QList<StrategyOrder::Entry> StrategyOrder::fallback(const Route &route)
{
    QList<Entry> entries;
    const qsizetype count = route.targets.size();
    for (qsizetype i = 0; i < count; ++i) {
        entries.append({i, Tr::tr("position %1 of %2").arg(i + 1).arg(count)});
    }
    return entries;
}

// Weighted random without replacement: each pick is by weight among the targets not picked yet.
// One random draw per pick while more than one weighted target remains.
QList<StrategyOrder::Entry> StrategyOrder::weighted(const Route &route) const
{
    QList<qsizetype> pool;
    QList<qsizetype> unweighted;
    for (qsizetype i = 0; i < route.targets.size(); ++i) {
        (route.targets.at(i).weight > 0 ? pool : unweighted).append(i);
    }
    QList<Entry> entries;
    while (!pool.isEmpty()) {
        qint64 total = 0;
        for (const qsizetype i : std::as_const(pool)) {
            total += route.targets.at(i).weight;
        }
        qsizetype picked = pool.size() - 1;
        if (pool.size() > 1) {
            const double draw = m_random.uniform() * double(total);
            qint64 cumulative = 0;
            for (qsizetype p = 0; p < pool.size(); ++p) {
                cumulative += route.targets.at(pool.at(p)).weight;
                if (draw < double(cumulative)) {
                    picked = p;
                    break;
                }
            }
        }
        const qsizetype index = pool.takeAt(picked);
        entries.append(
            {index, Tr::tr("weighted pick (weight %1 of %2)").arg(route.targets.at(index).weight).arg(total)});
    }
    for (const qsizetype i : std::as_const(unweighted)) {
        entries.append({i, Tr::tr("weight 0: only after the weighted targets")});
    }
    return entries;
}

QList<StrategyOrder::Entry> StrategyOrder::lowestLatency(const Route &route) const
{
    QList<double> latency(route.targets.size(), 0.0);
    QList<bool> measured(route.targets.size(), false);
    for (qsizetype i = 0; i < route.targets.size(); ++i) {
        const RouteTarget &target = route.targets.at(i);
        if (!target.isNested()) {
            const TargetStats stats = m_state.stats(target.toString());
            latency[i] = stats.ewmaLatencyMs();
            measured[i] = stats.hasLatency();
        }
    }
    // Unmeasured targets count as 0 ms so that they get tried and measured.
    QList<qsizetype> order = writtenOrder(route);
    std::stable_sort(
        order.begin(), order.end(), [&latency](qsizetype a, qsizetype b) { return latency[a] < latency[b]; });

    QList<Entry> entries;
    for (const qsizetype i : std::as_const(order)) {
        QString reason;
        if (!measured[i]) {
            reason = Tr::tr("no latency measured yet");
        } else if (entries.isEmpty()) {
            reason = Tr::tr("lowest latency %1 ms").arg(std::llround(latency[i]));
        } else {
            reason = Tr::tr("latency %1 ms").arg(std::llround(latency[i]));
        }
        entries.append({i, reason});
    }
    // Exploration lets a target that was slow (or broken) once prove it has recovered.
    if (entries.size() > 1 && m_explorationRate > 0 && m_random.uniform() < m_explorationRate) {
        const qsizetype others = entries.size() - 1;
        const qsizetype pick = 1 + std::min(others - 1, qsizetype(std::floor(m_random.uniform() * double(others))));
        Entry explored = entries.takeAt(pick);
        explored.reason = Tr::tr("exploration (%1% of requests try another target first)")
                              .arg(std::llround(m_explorationRate * 100));
        entries.prepend(explored);
    }
    return entries;
}

QList<StrategyOrder::Entry> StrategyOrder::lowestCost(const Route &route) const
{
    QList<std::optional<double>> cost(route.targets.size());
    for (qsizetype i = 0; i < route.targets.size(); ++i) {
        const RouteTarget &target = route.targets.at(i);
        if (!target.isNested() && m_cost) {
            cost[i] = m_cost(target, m_promptTokens, m_outputTokens);
        }
    }
    QList<qsizetype> order = writtenOrder(route);
    std::stable_sort(order.begin(), order.end(), [&cost](qsizetype a, qsizetype b) {
        if (!cost[a] || !cost[b]) {
            return cost[a].has_value() && !cost[b].has_value();
        }
        return *cost[a] < *cost[b];
    });
    QList<Entry> entries;
    for (const qsizetype i : std::as_const(order)) {
        QString reason;
        if (!cost[i]) {
            reason = Tr::tr("cost unknown: after the priced targets");
        } else if (entries.isEmpty()) {
            reason = Tr::tr("lowest estimated cost $%1").arg(*cost[i], 0, 'f', 6);
        } else {
            reason = Tr::tr("estimated cost $%1").arg(*cost[i], 0, 'f', 6);
        }
        entries.append({i, reason});
    }
    return entries;
}

QList<StrategyOrder::Entry> StrategyOrder::leastBusy(const Route &route) const
{
    QList<int> inFlight(route.targets.size(), 0);
    for (qsizetype i = 0; i < route.targets.size(); ++i) {
        const RouteTarget &target = route.targets.at(i);
        if (!target.isNested()) {
            inFlight[i] = m_state.stats(target.toString()).inFlight();
        }
    }
    QList<qsizetype> order = writtenOrder(route);
    std::stable_sort(
        order.begin(), order.end(), [&inFlight](qsizetype a, qsizetype b) { return inFlight[a] < inFlight[b]; });
    QList<Entry> entries;
    for (const qsizetype i : std::as_const(order)) {
        entries.append({i, Tr::tr("%n request(s) in flight", nullptr, inFlight[i])});
    }
    return entries;
}

} // namespace Switchyard::Routing
