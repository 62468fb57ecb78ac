#include "core/routing/routeplanner.h"

#include "core/routing/routerstate.h"
#include "tests/unit/routing/scriptedsources.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard::Routing;
using RoutingTest::ScriptedClock;
using RoutingTest::ScriptedRandom;

namespace {

const QStringList Providers {u"a"_s, u"b"_s, u"c"_s, u"d"_s};

RouteTarget leaf(const QString &text, int weight = 1)
{
    RouteTarget target = RouteTarget::parse(text).value();
    target.weight = weight;
    return target;
}

RouteTarget nested(const QString &route)
{
    RouteTarget target;
    target.route = route;
    return target;
}

Route makeRoute(const QString &name, Strategy strategy, const QList<RouteTarget> &targets)
{
    Route route(name, targets);
    route.strategy = strategy;
    return route;
}

QStringList targetsOf(const RoutePlan &plan)
{
    QStringList result;
    for (const PlannedTarget &planned : plan.targets) {
        result.append(planned.target.toString());
    }
    return result;
}

QStringList reasonsOf(const RoutePlan &plan)
{
    QStringList result;
    for (const PlannedTarget &planned : plan.targets) {
        result.append(planned.reason);
    }
    return result;
}

// Records one successful attempt so that the target's latency average is exactly latencyMs.
void observeLatency(RouterState &state, const QString &key, qint64 latencyMs)
{
    const BreakerPolicy policy;
    QVERIFY(state.attemptStarted(key, policy));
    AttemptOutcome outcome;
    outcome.httpStatus = 200;
    outcome.latencyMs = latencyMs;
    state.attemptFinished(key, outcome);
}

} // namespace

class TestRoutePlanner : public QObject
{
    Q_OBJECT

private slots:
    void fallbackKeepsWrittenOrder()
    {
        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        Route route = makeRoute(u"chain"_s, Strategy::Fallback, {leaf(u"a/x"_s), leaf(u"b/y"_s), leaf(u"c/z"_s)});
        route.fallbackOn = FallbackConditions(FallbackCondition::Http5xx) | FallbackCondition::ContextWindow;
        route.retry = RetryPolicy {2, 100, 1000};
        route.deadlineMs = 30000;
        const RoutePlanner planner({route}, Providers, {}, {}, random);

        const auto plan = planner.plan(u"chain"_s, {}, state);
        QVERIFY2(plan, qPrintable(plan.errorMessage()));
        QCOMPARE(plan->routeName, u"chain"_s);
        QCOMPARE(plan->strategy, Strategy::Fallback);
        QCOMPARE(plan->fallbackOn, route.fallbackOn);
        QCOMPARE(plan->retry, route.retry);
        QCOMPARE(plan->deadlineMs, 30000);
        QCOMPARE(targetsOf(plan.value()), (QStringList {u"a/x"_s, u"b/y"_s, u"c/z"_s}));
        QCOMPARE(
            reasonsOf(plan.value()), (QStringList {u"position 1 of 3"_s, u"position 2 of 3"_s, u"position 3 of 3"_s}));
        QCOMPARE(plan->targets.at(0).route, u"chain"_s);
        QCOMPARE(plan->targets.at(0).breaker, route.breaker);
        QVERIFY(plan->skipped.isEmpty());
        QCOMPARE(random.consumed(), 0);
    }

    void weighted_data()
    {
        QTest::addColumn<QList<int>>("weights");
        QTest::addColumn<QList<double>>("draws");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QStringList>("reasons");

        const QList<int> threeOneOne {3, 1, 1};
        QTest::newRow("heavy first") << threeOneOne << QList<double> {0.1, 0.1}
                                     << QStringList {u"a/x"_s, u"b/y"_s, u"c/z"_s}
                                     << QStringList {u"weighted pick (weight 3 of 5)"_s,
                                            u"weighted pick (weight 1 of 2)"_s, u"weighted pick (weight 1 of 1)"_s};
        QTest::newRow("light first") << threeOneOne << QList<double> {0.7, 0.9}
                                     << QStringList {u"b/y"_s, u"c/z"_s, u"a/x"_s}
                                     << QStringList {u"weighted pick (weight 1 of 5)"_s,
                                            u"weighted pick (weight 1 of 4)"_s, u"weighted pick (weight 3 of 3)"_s};
        QTest::newRow("last first") << threeOneOne << QList<double> {0.95, 0.5}
                                    << QStringList {u"c/z"_s, u"a/x"_s, u"b/y"_s}
                                    << QStringList {u"weighted pick (weight 1 of 5)"_s,
                                           u"weighted pick (weight 3 of 4)"_s, u"weighted pick (weight 1 of 1)"_s};
        QTest::newRow("zero weight last")
            << QList<int> {3, 1, 0} << QList<double> {0.9} << QStringList {u"b/y"_s, u"a/x"_s, u"c/z"_s}
            << QStringList {u"weighted pick (weight 1 of 4)"_s, u"weighted pick (weight 3 of 3)"_s,
                   u"weight 0: only after the weighted targets"_s};
    }

    void weighted()
    {
        QFETCH(QList<int>, weights);
        QFETCH(QList<double>, draws);
        QFETCH(QStringList, order);
        QFETCH(QStringList, reasons);

        ScriptedClock clock;
        ScriptedRandom random(draws);
        RouterState state(clock);
        const Route route = makeRoute(u"mix"_s, Strategy::Weighted,
            {leaf(u"a/x"_s, weights.at(0)), leaf(u"b/y"_s, weights.at(1)), leaf(u"c/z"_s, weights.at(2))});
        const RoutePlanner planner({route}, Providers, {}, {}, random);
        const auto plan = planner.plan(u"mix"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), order);
        QCOMPARE(reasonsOf(plan.value()), reasons);
        QCOMPARE(random.consumed(), draws.size());
    }

    // Draws spread evenly over [0, 1) put each target first in proportion to its weight.
    void weightedDistributionFollowsWeights()
    {
        QList<double> draws;
        for (int i = 0; i < 10; ++i) {
            draws << (i + 0.5) / 10 << 0.0;
        }
        ScriptedClock clock;
        ScriptedRandom random(draws);
        RouterState state(clock);
        const Route route
            = makeRoute(u"mix"_s, Strategy::Weighted, {leaf(u"a/x"_s, 3), leaf(u"b/y"_s, 1), leaf(u"c/z"_s, 1)});
        const RoutePlanner planner({route}, Providers, {}, {}, random);
        QHash<QString, int> firsts;
        for (int i = 0; i < 10; ++i) {
            ++firsts[planner.plan(u"mix"_s, {}, state)->targets.constFirst().target.toString()];
        }
        QCOMPARE(firsts.value(u"a/x"_s), 6);
        QCOMPARE(firsts.value(u"b/y"_s), 2);
        QCOMPARE(firsts.value(u"c/z"_s), 2);
        QCOMPARE(random.consumed(), 20);
    }

    void lowestLatency_data()
    {
        QTest::addColumn<double>("explorationRate");
        QTest::addColumn<QList<double>>("draws");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QStringList>("reasons");
        QTest::addColumn<int>("consumed");

        const QString exploration = u"exploration (10% of requests try another target first)"_s;
        QTest::newRow("ascending") << 0.1 << QList<double> {0.5} << QStringList {u"b/y"_s, u"c/z"_s, u"a/x"_s}
                                   << QStringList {u"lowest latency 120 ms"_s, u"latency 200 ms"_s, u"latency 300 ms"_s}
                                   << 1;
        QTest::newRow("boundary is not exploration")
            << 0.1 << QList<double> {0.1} << QStringList {u"b/y"_s, u"c/z"_s, u"a/x"_s}
            << QStringList {u"lowest latency 120 ms"_s, u"latency 200 ms"_s, u"latency 300 ms"_s} << 1;
        QTest::newRow("explores the slowest")
            << 0.1 << QList<double> {0.05, 0.6} << QStringList {u"a/x"_s, u"b/y"_s, u"c/z"_s}
            << QStringList {exploration, u"lowest latency 120 ms"_s, u"latency 200 ms"_s} << 2;
        QTest::newRow("explores the second")
            << 0.1 << QList<double> {0.09, 0.0} << QStringList {u"c/z"_s, u"b/y"_s, u"a/x"_s}
            << QStringList {exploration, u"lowest latency 120 ms"_s, u"latency 300 ms"_s} << 2;
        QTest::newRow("no exploration, no draw")
            << 0.0 << QList<double> {} << QStringList {u"b/y"_s, u"c/z"_s, u"a/x"_s}
            << QStringList {u"lowest latency 120 ms"_s, u"latency 200 ms"_s, u"latency 300 ms"_s} << 0;
    }

    void lowestLatency()
    {
        QFETCH(double, explorationRate);
        QFETCH(QList<double>, draws);
        QFETCH(QStringList, order);
        QFETCH(QStringList, reasons);
        QFETCH(int, consumed);

        ScriptedClock clock;
        ScriptedRandom random(draws);
        RouterState state(clock);
        observeLatency(state, u"a/x"_s, 300);
        observeLatency(state, u"b/y"_s, 120);
        observeLatency(state, u"c/z"_s, 200);
        const Route route
            = makeRoute(u"fast"_s, Strategy::LowestLatency, {leaf(u"a/x"_s), leaf(u"b/y"_s), leaf(u"c/z"_s)});
        RoutePlanner planner({route}, Providers, {}, {}, random);
        planner.setExplorationRate(explorationRate);
        const auto plan = planner.plan(u"fast"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), order);
        QCOMPARE(reasonsOf(plan.value()), reasons);
        QCOMPARE(random.consumed(), consumed);
    }

    void lowestLatencyTriesUnmeasuredFirstAndKeepsTies()
    {
        ScriptedClock clock;
        ScriptedRandom random({0.99});
        RouterState state(clock);
        observeLatency(state, u"a/x"_s, 150);
        observeLatency(state, u"c/z"_s, 150);
        const Route route = makeRoute(
            u"fast"_s, Strategy::LowestLatency, {leaf(u"a/x"_s), leaf(u"b/y"_s), leaf(u"c/z"_s), nested(u"other"_s)});
        const Route other = makeRoute(u"other"_s, Strategy::Fallback, {leaf(u"d/w"_s)});
        const RoutePlanner planner({route, other}, Providers, {}, {}, random);
        const auto plan = planner.plan(u"fast"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), (QStringList {u"b/y"_s, u"d/w"_s, u"a/x"_s, u"c/z"_s}));
        QCOMPARE(reasonsOf(plan.value()),
            (QStringList {u"no latency measured yet"_s, u"no latency measured yet › position 1 of 1"_s,
                u"latency 150 ms"_s, u"latency 150 ms"_s}));
    }

    void lowestCost()
    {
        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        const QHash<QString, double> prices {{u"a/x"_s, 0.002}, {u"c/z"_s, 0.0005}, {u"d/w"_s, 0.001}};
        QList<qint64> seenTokens;
        const CostEstimator estimator = [&](const RouteTarget &target, qint64 prompt, qint64 output) {
            seenTokens << prompt << output;
            const auto it = prices.constFind(target.toString());
            return it == prices.cend() ? std::nullopt : std::optional<double>(*it);
        };
        const Route route = makeRoute(
            u"cheap"_s, Strategy::LowestCost, {leaf(u"a/x"_s), leaf(u"b/y"_s), leaf(u"c/z"_s), leaf(u"d/w"_s)});
        const RoutePlanner planner({route}, Providers, {}, estimator, random);
        const auto plan = planner.plan(u"cheap"_s, RequestFacts {1000, 200}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), (QStringList {u"c/z"_s, u"d/w"_s, u"a/x"_s, u"b/y"_s}));
        QCOMPARE(reasonsOf(plan.value()),
            (QStringList {u"lowest estimated cost $0.000500"_s, u"estimated cost $0.001000"_s,
                u"estimated cost $0.002000"_s, u"cost unknown: after the priced targets"_s}));
        QCOMPARE(seenTokens, (QList<qint64> {1000, 200, 1000, 200, 1000, 200, 1000, 200}));
    }

    void leastBusy()
    {
        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        const BreakerPolicy policy;
        for (const QString &key : {u"a/x"_s, u"a/x"_s, u"c/z"_s}) {
            QVERIFY(state.attemptStarted(key, policy));
        }
        const Route route = makeRoute(
            u"spread"_s, Strategy::LeastBusy, {leaf(u"a/x"_s), leaf(u"b/y"_s), leaf(u"c/z"_s), leaf(u"d/w"_s)});
        const RoutePlanner planner({route}, Providers, {}, {}, random);
        const auto plan = planner.plan(u"spread"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), (QStringList {u"b/y"_s, u"d/w"_s, u"c/z"_s, u"a/x"_s}));
        QCOMPARE(reasonsOf(plan.value()),
            (QStringList {u"0 request(s) in flight"_s, u"0 request(s) in flight"_s, u"1 request(s) in flight"_s,
                u"2 request(s) in flight"_s}));
        QCOMPARE(random.consumed(), 0);
    }

    void nestedRouteExpandsInPlaceWithItsOwnStrategy()
    {
        ScriptedClock clock;
        ScriptedRandom random({0.9});
        RouterState state(clock);
        Route pair = makeRoute(u"pair"_s, Strategy::Weighted, {leaf(u"a/x"_s, 3), leaf(u"b/y"_s, 1)});
        pair.breaker.failureThreshold = 2;
        pair.retry.maxRetries = 7;
        const Route outer = makeRoute(u"outer"_s, Strategy::Fallback, {nested(u"pair"_s), leaf(u"c/z"_s)});
        const RoutePlanner planner({outer, pair}, Providers, {}, {}, random);
        const auto plan = planner.plan(u"outer"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), (QStringList {u"b/y"_s, u"a/x"_s, u"c/z"_s}));
        QCOMPARE(reasonsOf(plan.value()),
            (QStringList {u"position 1 of 2 › weighted pick (weight 1 of 4)"_s,
                u"position 1 of 2 › weighted pick (weight 3 of 3)"_s, u"position 2 of 2"_s}));
        QCOMPARE(plan->targets.at(0).route, u"pair"_s);
        QCOMPARE(plan->targets.at(0).breaker.failureThreshold, 2);
        QCOMPARE(plan->targets.at(2).route, u"outer"_s);
        QCOMPARE(plan->targets.at(2).breaker.failureThreshold, 5);
        QCOMPARE(plan->retry.maxRetries, 0); // the requested route's policy governs the request
        QCOMPARE(random.consumed(), 1);
    }

    void nestedGuards_data()
    {
        QTest::addColumn<QList<Route>>("routes");
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QStringList>("skippedReasons");

        QTest::newRow("cycle") << QList<Route> {makeRoute(
                                                    u"one"_s, Strategy::Fallback, {leaf(u"a/x"_s), nested(u"two"_s)}),
            makeRoute(u"two"_s, Strategy::Fallback, {nested(u"one"_s), leaf(u"b/y"_s)})}
                               << u"one"_s << QStringList {u"a/x"_s, u"b/y"_s}
                               << QStringList {u"route \"one\" would contain itself (one → two → one)"_s};
        QTest::newRow("self") << QList<Route> {makeRoute(
            u"self"_s, Strategy::Weighted, {nested(u"self"_s), leaf(u"c/z"_s)})}
                              << u"self"_s << QStringList {u"c/z"_s}
                              << QStringList {u"route \"self\" would contain itself (self → self)"_s};
        QTest::newRow("undefined") << QList<Route> {makeRoute(
            u"top"_s, Strategy::Fallback, {nested(u"ghost"_s), leaf(u"a/x"_s)})}
                                   << u"top"_s << QStringList {u"a/x"_s}
                                   << QStringList {u"route \"ghost\" is not defined"_s};
        QTest::newRow("diamond is not a cycle")
            << QList<Route> {makeRoute(u"top"_s, Strategy::Fallback, {nested(u"left"_s), nested(u"right"_s)}),
                   makeRoute(u"left"_s, Strategy::Fallback, {nested(u"base"_s)}),
                   makeRoute(u"right"_s, Strategy::Fallback, {nested(u"base"_s)}),
                   makeRoute(u"base"_s, Strategy::Fallback, {leaf(u"a/x"_s)})}
            << u"top"_s << QStringList {u"a/x"_s, u"a/x"_s} << QStringList {};

        QList<Route> chain;
        for (int i = 0; i < 8; ++i) {
            chain.append(makeRoute(u"r%1"_s.arg(i), Strategy::Fallback, {nested(u"r%1"_s.arg(i + 1))}));
        }
        QList<Route> eightLevels = chain;
        eightLevels.last() = makeRoute(u"r7"_s, Strategy::Fallback, {leaf(u"a/x"_s)});
        QTest::newRow("eight levels") << eightLevels << u"r0"_s << QStringList {u"a/x"_s} << QStringList {};
        chain.append(makeRoute(u"r8"_s, Strategy::Fallback, {leaf(u"a/x"_s)}));
        QTest::newRow("nine levels") << chain << u"r0"_s << QStringList {}
                                     << QStringList {u"routes nest more than 8 levels deep"_s};
    }

    void nestedGuards()
    {
        QFETCH(QList<Route>, routes);
        QFETCH(QString, requested);
        QFETCH(QStringList, order);
        QFETCH(QStringList, skippedReasons);

        ScriptedClock clock;
        ScriptedRandom random({0.0, 0.0});
        RouterState state(clock);
        const RoutePlanner planner(routes, Providers, {}, {}, random);
        const auto plan = planner.plan(requested, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), order);
        QStringList reasons;
        for (const SkippedTarget &skipped : plan->skipped) {
            QCOMPARE(skipped.why, SkippedTarget::Why::NestedRoute);
            reasons.append(skipped.reason);
        }
        QCOMPARE(reasons, skippedReasons);
    }

    void contextWindowSkips_data()
    {
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QStringList>("skipped");

        QTest::newRow("fits everywhere") << qint64(8192) << QStringList {u"a/x"_s, u"b/y"_s, u"c/z"_s}
                                         << QStringList {};
        QTest::newRow("too big for the small one")
            << qint64(12000) << QStringList {u"b/y"_s, u"c/z"_s}
            << QStringList {u"a/x: context window 8192 < estimated prompt 12000 tokens"_s};
        QTest::newRow("too big for all known")
            << qint64(250000) << QStringList {u"b/y"_s}
            << QStringList {u"a/x: context window 8192 < estimated prompt 250000 tokens"_s,
                   u"c/z: context window 200000 < estimated prompt 250000 tokens"_s};
    }

    void contextWindowSkips()
    {
        QFETCH(qint64, prompt);
        QFETCH(QStringList, order);
        QFETCH(QStringList, skipped);

        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        const QHash<QString, qint64> windows {{u"a/x"_s, 8192}, {u"c/z"_s, 200000}}; // b/y: unknown
        const ContextWindowLookup lookup
            = [&windows](const RouteTarget &target) { return windows.value(target.toString()); };
        const Route route = makeRoute(u"long"_s, Strategy::Fallback, {leaf(u"a/x"_s), leaf(u"b/y"_s), leaf(u"c/z"_s)});
        const RoutePlanner planner({route}, Providers, lookup, {}, random);
        const auto plan = planner.plan(u"long"_s, RequestFacts {prompt, 500}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), order);
        QStringList reasons;
        for (const SkippedTarget &target : plan->skipped) {
            QCOMPARE(target.why, SkippedTarget::Why::ContextWindow);
            QCOMPARE(target.route, u"long"_s);
            reasons.append(target.target.toString() + u": "_s + target.reason);
        }
        QCOMPARE(reasons, skipped);
    }

    void openBreakerSkipsAndHalfOpenProbes()
    {
        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        BreakerPolicy policy;
        policy.failureThreshold = 1;
        policy.cooldownMs = 5000;
        QVERIFY(state.attemptStarted(u"a/x"_s, policy));
        AttemptOutcome failure;
        failure.httpStatus = 503;
        state.attemptFinished(u"a/x"_s, failure);

        const Route route = makeRoute(u"chain"_s, Strategy::Fallback, {leaf(u"a/x"_s), leaf(u"b/y"_s)});
        const RoutePlanner planner({route}, Providers, {}, {}, random);
        clock.advance(1500);
        auto plan = planner.plan(u"chain"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), QStringList {u"b/y"_s});
        QCOMPARE(plan->skipped.size(), 1);
        QCOMPARE(plan->skipped.at(0).target.toString(), u"a/x"_s);
        QCOMPARE(plan->skipped.at(0).why, SkippedTarget::Why::BreakerOpen);
        QCOMPARE(plan->skipped.at(0).reason, u"circuit breaker open, next probe in 3500 ms"_s);

        clock.advance(3500);
        plan = planner.plan(u"chain"_s, {}, state);
        QVERIFY(plan);
        QCOMPARE(targetsOf(plan.value()), (QStringList {u"a/x"_s, u"b/y"_s}));
        QCOMPARE(plan->targets.at(0).reason, u"position 1 of 2; circuit breaker half-open: this is its probe"_s);
        QVERIFY(plan->skipped.isEmpty());
    }

    void directProviderModel()
    {
        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        const ContextWindowLookup lookup = [](const RouteTarget &) { return qint64(4096); };
        const RoutePlanner planner(
            {makeRoute(u"fast"_s, Strategy::Fallback, {leaf(u"a/x"_s)})}, Providers, lookup, {}, random);

        auto plan = planner.plan(u"b/meta-llama/Llama-3-8b"_s, RequestFacts {100, 10}, state);
        QVERIFY(plan);
        QVERIFY(plan->routeName.isEmpty());
        QCOMPARE(plan->targets.size(), 1);
        QCOMPARE(plan->targets.at(0).target, (RouteTarget {u"b"_s, u"meta-llama/Llama-3-8b"_s}));
        QCOMPARE(plan->targets.at(0).reason, u"named directly"_s);
        QVERIFY(plan->targets.at(0).route.isEmpty());
        QCOMPARE(plan->targets.at(0).breaker, BreakerPolicy());
        QCOMPARE(plan->retry, RetryPolicy());
        QCOMPARE(plan->fallbackOn, Route::defaultFallbackConditions());

        plan = planner.plan(u"b/small"_s, RequestFacts {5000, 10}, state);
        QVERIFY(plan);
        QVERIFY(plan->targets.isEmpty());
        QCOMPARE(plan->skipped.size(), 1);
        QCOMPARE(plan->skipped.at(0).reason, u"context window 4096 < estimated prompt 5000 tokens"_s);
    }

    void unknownModel_data()
    {
        QTest::addColumn<QList<Route>>("routes");
        QTest::addColumn<QStringList>("providers");
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QString>("message");

        const QList<Route> routes {makeRoute(u"fast"_s, Strategy::Fallback, {leaf(u"a/x"_s)}),
            makeRoute(u"cheap"_s, Strategy::Fallback, {leaf(u"b/y"_s)})};
        QTest::newRow("unknown provider")
            << routes << QStringList {u"b"_s, u"a"_s} << u"zz/model"_s
            << u"The model \"zz/model\" does not exist. Use a route (fast, cheap) or provider/model with one of the "
               "providers (a, b)."_s;
        QTest::newRow("nothing configured")
            << QList<Route> {} << QStringList {} << u"gpt-4o"_s
            << u"The model \"gpt-4o\" does not exist. Use a route (none defined) or provider/model with one of the "
               "providers (none defined)."_s;
    }

    void unknownModel()
    {
        QFETCH(QList<Route>, routes);
        QFETCH(QStringList, providers);
        QFETCH(QString, requested);
        QFETCH(QString, message);

        ScriptedClock clock;
        ScriptedRandom random;
        RouterState state(clock);
        const RoutePlanner planner(routes, providers, {}, {}, random);
        const auto plan = planner.plan(requested, {}, state);
        QVERIFY(!plan);
        QCOMPARE(plan.errorMessage(), message);
    }

    void estimateTokens_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("tokens");

        QTest::newRow("one message") << "{\"messages\":[{\"role\":\"user\",\"content\":\"abcdefgh\"}]}"_ba << qint64(6);
        QTest::newRow("rounds up, counts UTF-8 bytes")
            << "{\"messages\":[{\"role\":\"system\",\"content\":\"hello\"},{\"role\":\"user\",\"content\":\"héllo\"}]}"_ba
            << qint64(11);
        QTest::newRow("text parts only")
            << "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcde\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}"_ba
            << qint64(6);
        QTest::newRow("tool call arguments")
            << "{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}]}"_ba
            << qint64(6);
        QTest::newRow("tool definitions")
            << "{\"messages\":[{\"role\":\"user\",\"content\":\"abc\"}],\"tools\":[{\"type\":\"function\"}]}"_ba
            << qint64(10);
        QTest::newRow("no messages") << "{\"model\":\"x\"}"_ba << qint64(0);
        QTest::newRow("not an object") << "[1,2]"_ba << qint64(0);
        QTest::newRow("not json") << "hello"_ba << qint64(0);
    }

    void estimateTokens()
    {
        QFETCH(QByteArray, body);
        QFETCH(qint64, tokens);
        QCOMPARE(RoutePlanner::estimateTokens(body), tokens);
    }
};

QTEST_GUILESS_MAIN(TestRoutePlanner)
#include "tst_routeplanner.moc"
