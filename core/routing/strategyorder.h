#pragma once

#include "core/routing/route.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Switchyard::Routing {

class RandomSource;
class RouterState;

// Estimated USD cost of sending a request of this size to the target; nullopt when unknown.
using CostEstimator = std::function<std::optional<double>(
    const RouteTarget &target, qint64 estimatedPromptTokens, qint64 estimatedOutputTokens)>;

// Orders one route's own targets (nested routes stay single entries) by its strategy.
// Nested targets have no statistics of their own: they count as unsampled (latency 0),
// idle (0 in flight) and of unknown cost.
class StrategyOrder
{
public:
    struct Entry
    {
        qsizetype index = 0; // into Route::targets
        QString reason; // translated
        friend bool operator==(const Entry &, const Entry &) = default;
    };

    StrategyOrder(const RouterState &state, RandomSource &random, const CostEstimator &cost,
        qint64 estimatedPromptTokens, qint64 estimatedOutputTokens, double explorationRate);

    QList<Entry> order(const Route &route) const;
    // Strategy::Fallback's order, which depends on nothing but the route.
    static QList<Entry> fallback(const Route &route);

private:
    QList<Entry> weighted(const Route &route) const;
    QList<Entry> lowestLatency(const Route &route) const;
    QList<Entry> lowestCost(const Route &route) const;
    QList<Entry> leastBusy(const Route &route) const;

    const RouterState &m_state;
    RandomSource &m_random;
    const CostEstimator &m_cost;
    qint64 m_promptTokens = 0;
    qint64 m_outputTokens = 0;
    double m_explorationRate = 0;
};

} // namespace Switchyard::Routing
