#include "core/routing/rehearsal.h"

#include "core/routing/clock.h"
#include "core/routing/randomsource.h"
#include "core/routing/routeplanner.h"
#include "core/routing/routerstate.h"
#include "core/routing/routingsession.h"
#include "core/routing/routingtr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <algorithm>
#include <random>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

class SimulatedClock final : public Clock
{
public:
    qint64 nowMs() const override { return m_nowMs; }
    void setNowMs(qint64 nowMs) { m_nowMs = nowMs; }

private:
    qint64 m_nowMs = 0;
};

// Reproducible for a given seed, unlike the system source the gateway uses.
class SeededRandom final : public RandomSource
{
public:
    explicit SeededRandom(quint64 seed)
        : m_engine(seed)
    {
    }
    double uniform() override { return std::uniform_real_distribution<double>(0.0, 1.0)(m_engine); }

private:
    std::mt19937_64 m_engine;
};

// The simulation's wall clock starts at a fixed instant so reports do not depend on the day.
const QDateTime SimulationEpoch(QDate(2026, 1, 5), QTime(9, 0), QTimeZone::utc());

qint64 percentile(QList<qint64> values, double share)
{
    if (values.isEmpty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const qsizetype index = qMin(values.size() - 1, qsizetype(share * double(values.size())));
    return values.at(index);
}

Result<TargetBehaviour> behaviourFromJson(const QString &target, const QJsonObject &object)
{
    TargetBehaviour behaviour;
    static const QStringList known{u"failureRate"_s, u"status"_s, u"latencyMs"_s, u"ttftMs"_s, u"overBudget"_s};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key())) {
            return Result<TargetBehaviour>::failure(Tr::tr("targets[\"%1\"].%2: unknown field; known fields: %3")
                                                        .arg(target, it.key(), known.join(u", "_s)));
        }
    }
    behaviour.failureRate = object.value(u"failureRate"_s).toDouble(0);
    if (behaviour.failureRate < 0 || behaviour.failureRate > 1) {
        return Result<TargetBehaviour>::failure(
            Tr::tr("targets[\"%1\"].failureRate: must be between 0 and 1").arg(target));
    }
    behaviour.failureStatus = object.value(u"status"_s).toInt(503);
    behaviour.latencyMs = object.value(u"latencyMs"_s).toInteger(500);
    behaviour.ttftMs = object.value(u"ttftMs"_s).toInteger(qMin<qint64>(200, behaviour.latencyMs));
    behaviour.latencyMs = qMax(behaviour.latencyMs, behaviour.ttftMs);
    behaviour.overBudget = object.value(u"overBudget"_s).toBool(false);
    if (behaviour.latencyMs < 0 || behaviour.ttftMs < 0) {
        return Result<TargetBehaviour>::failure(Tr::tr("targets[\"%1\"]: times must not be negative").arg(target));
    }
    return behaviour;
}

} // namespace

Result<RehearsalScenario> RehearsalScenario::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        return Result<RehearsalScenario>::failure(
            Tr::tr("The scenario is not valid JSON (%1 at offset %2).").arg(error.errorString()).arg(error.offset));
    }
    if (!document.isObject()) {
        return Result<RehearsalScenario>::failure(Tr::tr("The scenario must be a JSON object."));
    }
    const QJsonObject root = document.object();
    static const QStringList known{u"requests"_s, u"seed"_s, u"intervalMs"_s, u"promptTokens"_s,
                                   u"completionTokens"_s, u"targets"_s};
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!known.contains(it.key())) {
            return Result<RehearsalScenario>::failure(
                Tr::tr("%1: unknown field; known fields: %2").arg(it.key(), known.join(u", "_s)));
        }
    }
    RehearsalScenario scenario;
    scenario.requests = root.value(u"requests"_s).toInt(scenario.requests);
    scenario.seed = quint64(root.value(u"seed"_s).toInteger(qint64(scenario.seed)));
    scenario.intervalMs = root.value(u"intervalMs"_s).toInteger(scenario.intervalMs);
    scenario.promptTokens = root.value(u"promptTokens"_s).toInteger(scenario.promptTokens);
    scenario.completionTokens = root.value(u"completionTokens"_s).toInteger(scenario.completionTokens);
    if (scenario.requests < 1 || scenario.requests > 1000000) {
        return Result<RehearsalScenario>::failure(Tr::tr("requests: must be between 1 and 1000000"));
    }
    if (scenario.intervalMs < 0) {
        return Result<RehearsalScenario>::failure(Tr::tr("intervalMs: must not be negative"));
    }
    const QJsonObject targets = root.value(u"targets"_s).toObject();
    for (auto it = targets.begin(); it != targets.end(); ++it) {
        auto behaviour = behaviourFromJson(it.key(), it.value().toObject());
        if (!behaviour) {
            return Result<RehearsalScenario>::failure(behaviour.errorMessage());
        }
        scenario.targets.insert(it.key(), behaviour.value());
    }
    return scenario;
}

Result<RehearsalReport> Rehearsal::run(const QString &routeName, const RehearsalScenario &scenario,
                                       const PlannerFactory &makePlanner, const CostFunction &cost)
{
    SimulatedClock clock;
    SeededRandom random(scenario.seed);
    RouterState state(clock);
    const RoutePlanner planner = makePlanner(random);
    if (planner.route(routeName) == nullptr) {
        return Result<RehearsalReport>::failure(Tr::tr("There is no route named \"%1\".").arg(routeName));
    }
    BudgetBook budgets([&clock] { return SimulationEpoch.addMSecs(clock.nowMs()); });
    QList<Budget> exhausted;
    for (auto it = scenario.targets.cbegin(); it != scenario.targets.cend(); ++it) {
        if (it.value().overBudget) {
            Budget budget;
            budget.scope = Budget::Scope::Provider;
            budget.name = it.key().section(u'/', 0, 0);
            budget.limit = Money();
            exhausted.append(budget);
        }
    }
    budgets.setBudgets(exhausted);

    RehearsalReport report;
    report.route = routeName;
    report.requests = scenario.requests;
    int breakerOpenings = 0;
    QObject::connect(&state, &RouterState::breakerStateChanged, &state,
                     [&breakerOpenings](const QString &, BreakerState to) {
                         breakerOpenings += to == BreakerState::Open ? 1 : 0;
                     });
    QHash<QString, qsizetype> targetIndex;
    const auto countFor = [&](const RouteTarget &target) -> RehearsalReport::TargetCount & {
        const QString key = target.toString();
        auto it = targetIndex.find(key);
        if (it == targetIndex.end()) {
            it = targetIndex.insert(key, report.targets.size());
            report.targets.append({key, 0, 0, 0});
        }
        return report.targets[*it];
    };
    QList<qint64> latencies;
    latencies.reserve(scenario.requests);
    const RequestFacts facts{scenario.promptTokens, scenario.completionTokens};

    for (int request = 0; request < scenario.requests; ++request) {
        const qint64 arrivalMs = qint64(request) * scenario.intervalMs;
        clock.setNowMs(arrivalMs);
        auto plan = planner.plan(routeName, facts, state);
        if (!plan) {
            return Result<RehearsalReport>::failure(plan.errorMessage());
        }
        RoutingSession::Context context;
        context.state = &state;
        context.random = &random;
        context.budgets = &budgets;
        context.keyName = u"rehearsal"_s;
        context.startedAtMs = arrivalMs;
        context.estimatedCost = Money::fromNanoUsd(1); // any spend is too much for an exhausted budget
        context.estimatedTokens = scenario.promptTokens + scenario.completionTokens;
        RoutingSession session(std::move(plan).value(), context);
        qint64 now = arrivalMs;
        bool served = false;
        bool unpriced = false;
        while (const auto attempt = session.next(now)) {
            const RouteTarget &target = attempt->planned.target;
            RehearsalReport::TargetCount &count = countFor(target);
            ++count.attempts;
            const TargetBehaviour behaviour = scenario.targets.value(target.toString());
            AttemptOutcome outcome;
            qint64 elapsed = 0;
            if (random.uniform() < behaviour.failureRate) {
                if (behaviour.failureStatus == 0) {
                    outcome.transport = AttemptOutcome::Transport::Connect;
                    elapsed = 5;
                } else {
                    outcome.httpStatus = behaviour.failureStatus;
                    elapsed = behaviour.ttftMs;
                }
            } else if (target.ttftTimeoutMs > 0 && behaviour.ttftMs > target.ttftTimeoutMs) {
                outcome.transport = AttemptOutcome::Transport::TtftTimeout;
                elapsed = target.ttftTimeoutMs;
            } else if (target.timeoutMs > 0 && behaviour.latencyMs > target.timeoutMs) {
                outcome.transport = AttemptOutcome::Transport::Timeout;
                elapsed = target.timeoutMs;
            } else {
                outcome.httpStatus = 200;
                outcome.latencyMs = behaviour.ttftMs;
                elapsed = behaviour.latencyMs;
            }
            now += elapsed;
            clock.setNowMs(now);
            Money charged;
            if (outcome.succeeded()) {
                const auto price = cost(target, scenario.promptTokens, scenario.completionTokens);
                unpriced = !price.has_value();
                charged = price.value_or(Money());
                report.totalCost += charged;
                ++count.served;
                served = true;
            }
            const qint64 tokens = outcome.succeeded() ? scenario.promptTokens + scenario.completionTokens : 0;
            const auto verdict = session.finish(outcome, charged, tokens, now, SimulationEpoch.addMSecs(now).toMSecsSinceEpoch());
            if (verdict == RoutingSession::Verdict::Answer) {
                break;
            }
            if (verdict == RoutingSession::Verdict::Retry) {
                now += session.delayMs();
                clock.setNowMs(now);
            }
        }
        const DecisionTrace trace = session.trace();
        for (const SkippedTarget &skipped : trace.plan().skipped) {
            ++countFor(skipped.target).skipped;
        }
        report.succeeded += served ? 1 : 0;
        report.failed += served ? 0 : 1;
        report.unpricedRequests += unpriced ? 1 : 0;
        report.attemptsPerRequest[session.attemptCount()] += 1;
        latencies.append(now - arrivalMs);
    }
    report.latencyP50Ms = percentile(latencies, 0.50);
    report.latencyP90Ms = percentile(latencies, 0.90);
    report.latencyP99Ms = percentile(latencies, 0.99);
    report.breakerOpenings = breakerOpenings;
    return report;
}

QString RehearsalReport::toText() const
{
    QString text = Tr::tr("Route %1: %2 requests, %3 answered, %4 failed\n").arg(route).arg(requests).arg(succeeded).arg(failed);
    text += Tr::tr("%1  %2  %3  %4\n")
                .arg(Tr::tr("target"), -40)
                .arg(Tr::tr("served"), 8)
                .arg(Tr::tr("attempts"), 9)
                .arg(Tr::tr("skipped"), 8);
    for (const TargetCount &count : targets) {
        text += u"%1  %2  %3  %4\n"_s.arg(count.target, -40).arg(count.served, 8).arg(count.attempts, 9).arg(count.skipped, 8);
    }
    QList<int> attemptCounts = attemptsPerRequest.keys();
    std::sort(attemptCounts.begin(), attemptCounts.end());
    QStringList distribution;
    for (const int attempts : attemptCounts) {
        distribution.append(Tr::tr("%1 attempt(s): %2").arg(attempts).arg(attemptsPerRequest.value(attempts)));
    }
    text += Tr::tr("Attempts per request: %1\n").arg(distribution.join(u", "_s));
    text += Tr::tr("Latency: p50 %1 ms, p90 %2 ms, p99 %3 ms\n").arg(latencyP50Ms).arg(latencyP90Ms).arg(latencyP99Ms);
    text += Tr::tr("Cost: %1 in total, %2 per request; %3 unpriced\n")
                .arg(totalCost.toString(6), Money::fromNanoUsd(requests > 0 ? totalCost.nanoUsd() / requests : 0).toString(6))
                .arg(unpricedRequests);
    text += Tr::tr("Circuit breaker openings: %1\n").arg(breakerOpenings);
    return text;
}

QJsonObject RehearsalReport::toJson() const
{
    QJsonArray targetArray;
    for (const TargetCount &count : targets) {
        targetArray.append(QJsonObject{{u"target"_s, count.target},
                                       {u"served"_s, count.served},
                                       {u"attempts"_s, count.attempts},
                                       {u"skipped"_s, count.skipped}});
    }
    QJsonObject attempts;
    for (auto it = attemptsPerRequest.cbegin(); it != attemptsPerRequest.cend(); ++it) {
        attempts.insert(QString::number(it.key()), it.value());
    }
    return QJsonObject{{u"route"_s, route},
                       {u"requests"_s, requests},
                       {u"succeeded"_s, succeeded},
                       {u"failed"_s, failed},
                       {u"targets"_s, targetArray},
                       {u"attemptsPerRequest"_s, attempts},
                       {u"latencyMs"_s, QJsonObject{{u"p50"_s, latencyP50Ms}, {u"p90"_s, latencyP90Ms}, {u"p99"_s, latencyP99Ms}}},
                       {u"costUsd"_s, totalCost.usd()},
                       {u"unpricedRequests"_s, unpricedRequests},
                       {u"breakerOpenings"_s, breakerOpenings}};
}

} // namespace Switchyard::Routing
