#pragma once

#include "core/model/result.h"
#include "core/routing/route.h"
#include "core/routing/routeplan.h"
#include "core/routing/strategyorder.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

#include <functional>

namespace Switchyard::Routing {

class RandomSource;
class RouterState;

// What the planner needs to know about one request besides the model it asked for.
struct RequestFacts
{
    qint64 estimatedPromptTokens = 0; // e.g. RoutePlanner::estimateTokens(body); 0: unknown
    qint64 estimatedOutputTokens = 0; // max_tokens, or the gateway's default when absent
};

// The largest prompt (input tokens) the target's model accepts; 0 when unknown.
using ContextWindowLookup = std::function<qint64(const RouteTarget &target)>;

// Turns the model name a client asked for into a plan: a route alias gives its targets ordered by
// its strategy (nested routes expanded in place), "provider/model" gives that single target.
// Targets whose breaker is open, or whose context window is smaller than the estimated prompt,
// are skipped with a reason. Copyable; the random source must outlive every copy. What does not
// change between requests (target keys, context windows, the reasons of written-order routes) is
// worked out once, when the planner is built.
class RoutePlanner
{
public:
    static constexpr int MaxNestingDepth = 8;
    static constexpr double DefaultExplorationRate = 0.1;

    RoutePlanner() = default;
    RoutePlanner(QList<Route> routes, const QStringList &providerIds, ContextWindowLookup contextWindow,
        CostEstimator cost, RandomSource &random);

    // Share of lowest-latency requests that try another target first, in [0, 1].
    void setExplorationRate(double rate);
    double explorationRate() const { return m_explorationRate; }

    Result<RoutePlan> plan(const QString &requestedModel, const RequestFacts &facts, const RouterState &state) const;

    const QList<Route> &routes() const { return m_routes; }
    const Route *route(const QString &name) const;

    // A rough prompt size for planning: UTF-8 bytes of the messages' text (string contents, text
    // parts, tool-call arguments) and of the tool definitions, divided by 4 and rounded up, plus 4
    // tokens of framing per message. English averages about 4 bytes per token; code and
    // non-Latin scripts differ. 0 for a body that is not a JSON object.
    static qint64 estimateTokens(QByteArrayView requestBody);

private:
    struct Expansion;
    struct TargetFacts
    {
        QString key; // RouteTarget::toString()
        qint64 contextWindow = 0;
    };
    // Parallel to m_routes.
    struct RouteFacts
    {
        QList<TargetFacts> targets; // parallel to Route::targets; empty facts for nested routes
        QList<StrategyOrder::Entry> writtenOrder; // the order of a Strategy::Fallback route
    };

    void expand(qsizetype routeIndex, const QString &reasonPrefix, Expansion &expansion) const;
    void admit(const RouteTarget &target, const TargetFacts &facts, const Route &route, const QString &reason,
        Expansion &expansion) const;

    QList<Route> m_routes;
    QHash<QString, qsizetype> m_routeIndex;
    QSet<QString> m_providerIds;
    ContextWindowLookup m_contextWindow;
    CostEstimator m_cost;
    RandomSource *m_random = nullptr;
    double m_explorationRate = DefaultExplorationRate;
    QList<RouteFacts> m_facts;
    QString m_namedDirectly; // the reason of a provider/model request
};

} // namespace Switchyard::Routing
