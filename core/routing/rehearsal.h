#pragma once

#include "core/model/money.h"
#include "core/model/result.h"
#include "core/routing/route.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Switchyard::Routing {

class RoutePlanner;

// What each target does in a rehearsal: how often it fails and how, how fast it answers, and
// whether its provider is out of budget.
struct TargetBehaviour
{
    double failureRate = 0;   // share of attempts that fail, in [0, 1]
    int failureStatus = 503;  // HTTP status of a failure; 0 for a refused connection
    qint64 latencyMs = 500;   // a successful answer's total time
    qint64 ttftMs = 200;      // time to the first token (a TTFT timeout below this fails the attempt)
    bool overBudget = false;  // the provider's budget is used up: the target is skipped
    friend bool operator==(const TargetBehaviour &, const TargetBehaviour &) = default;
};

// A scripted situation to run a route through, read from JSON:
// {"requests": 1000, "seed": 7, "intervalMs": 100, "promptTokens": 1000, "completionTokens": 300,
//  "targets": {"openai/gpt-4o": {"failureRate": 0.3, "status": 503, "latencyMs": 800, "ttftMs": 300},
//              "groq/llama-3.3-70b-versatile": {"ttftMs": 2000}, "mistral/mistral-large": {"overBudget": true}}}
// Targets not listed always succeed with the defaults of TargetBehaviour.
struct RehearsalScenario
{
    int requests = 100;
    quint64 seed = 1;
    qint64 intervalMs = 1000; // between request arrivals
    qint64 promptTokens = 1000;
    qint64 completionTokens = 300;
    QHash<QString, TargetBehaviour> targets; // by "provider/model"

    static Result<RehearsalScenario> fromJson(const QByteArray &json);
};

// What a rehearsal observed.
struct RehearsalReport
{
    struct TargetCount
    {
        QString target;
        int served = 0;   // requests this target answered successfully
        int attempts = 0; // attempts sent to it (incl. failed ones and retries)
        int skipped = 0;  // times it was passed over (breaker open, over budget, rate limited, context window)
    };

    QString route;
    int requests = 0;
    int succeeded = 0;
    int failed = 0;                 // the client got an error
    QList<TargetCount> targets;     // in first-seen order
    QHash<int, int> attemptsPerRequest; // attempts -> number of requests
    qint64 latencyP50Ms = 0;
    qint64 latencyP90Ms = 0;
    qint64 latencyP99Ms = 0;
    Money totalCost;
    int unpricedRequests = 0;
    int breakerOpenings = 0;

    QString toText() const;
    QJsonObject toJson() const;
};

// Runs a route against a scenario without any network, through the same planner, breakers,
// budgets and fallback rules as the gateway (RoutingSession), on a simulated clock. Requests
// arrive one after another (no overlap).
class Rehearsal
{
public:
    // The cost of one answer; nullopt when the price is unknown.
    using CostFunction = std::function<std::optional<Money>(const RouteTarget &, qint64 promptTokens,
                                                            qint64 completionTokens)>;
    // Builds a planner for the clock and random source the rehearsal simulates.
    using PlannerFactory = std::function<RoutePlanner(class RandomSource &random)>;

    static Result<RehearsalReport> run(const QString &routeName, const RehearsalScenario &scenario,
                                       const PlannerFactory &makePlanner, const CostFunction &cost);
};

} // namespace Switchyard::Routing
