#include "core/routing/rehearsal.h"

#include "core/routing/randomsource.h"
#include "core/routing/routeplanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Routing;

namespace {

const QStringList Providers {u"a"_s, u"b"_s, u"c"_s};

RouteTarget leaf(const QString &text)
{
    return RouteTarget::parse(text).value();
}

Rehearsal::PlannerFactory plannerFor(const QList<Route> &routes)
{
    return [routes](RandomSource &random) { return RoutePlanner(routes, Providers, {}, {}, random); };
}

Rehearsal::CostFunction flatCost(Money perAnswer)
{
    return [perAnswer](const RouteTarget &, qint64, qint64) { return std::optional<Money>(perAnswer); };
}

// A fails 30% of the time with 503, B is too slow for its TTFT timeout, C's provider is out of
// budget. Breakers stay out of it so that every failure of A reaches B and C.
Route threeTargetRoute()
{
    RouteTarget slow = leaf(u"b/y"_s);
    slow.ttftTimeoutMs = 1000;
    Route route(u"smart"_s, {leaf(u"a/x"_s), slow, leaf(u"c/z"_s)});
    route.breaker.failureThreshold = 0;
    return route;
}

RehearsalScenario threeTargetScenario(quint64 seed)
{
    RehearsalScenario scenario;
    scenario.requests = 1000;
    scenario.seed = seed;
    TargetBehaviour flaky;
    flaky.failureRate = 0.3;
    scenario.targets.insert(u"a/x"_s, flaky);
    TargetBehaviour slow;
    slow.ttftMs = 2000;
    slow.latencyMs = 2000;
    scenario.targets.insert(u"b/y"_s, slow);
    TargetBehaviour broke;
    broke.overBudget = true;
    scenario.targets.insert(u"c/z"_s, broke);
    return scenario;
}

RehearsalReport::TargetCount countOf(const RehearsalReport &report, const QString &target)
{
    for (const RehearsalReport::TargetCount &count : report.targets) {
        if (count.target == target) {
            return count;
        }
    }
    return {};
}

QString describe(const RehearsalReport &report)
{
    return QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact));
}

} // namespace

class TestRehearsal : public QObject
{
    Q_OBJECT

private slots:
    void scenarioDefaults()
    {
        const auto scenario = RehearsalScenario::fromJson("{}"_ba);
        QVERIFY2(scenario, qPrintable(scenario.errorMessage()));
        QCOMPARE(scenario.value().requests, 100);
        QCOMPARE(scenario.value().seed, quint64(1));
        QCOMPARE(scenario.value().intervalMs, qint64(1000));
        QCOMPARE(scenario.value().promptTokens, qint64(1000));
        QCOMPARE(scenario.value().completionTokens, qint64(300));
        QVERIFY(scenario.value().targets.isEmpty());

        const auto listed = RehearsalScenario::fromJson(R"({"targets": {"a/x": {}}})"_ba);
        QVERIFY2(listed, qPrintable(listed.errorMessage()));
        QCOMPARE(listed.value().targets.value(u"a/x"_s), TargetBehaviour());
    }

    void scenarioEveryField()
    {
        const auto scenario = RehearsalScenario::fromJson(R"({"requests": 250, "seed": 42, "intervalMs": 20,
            "promptTokens": 1200, "completionTokens": 80,
            "targets": {"a/x": {"failureRate": 0.25, "status": 429, "latencyMs": 900, "ttftMs": 300,
                                "overBudget": true},
                        "b/y": {"ttftMs": 2000},
                        "c/z": {"latencyMs": 50, "status": 0}}})"_ba);
        QVERIFY2(scenario, qPrintable(scenario.errorMessage()));
        const RehearsalScenario &value = scenario.value();
        QCOMPARE(value.requests, 250);
        QCOMPARE(value.seed, quint64(42));
        QCOMPARE(value.intervalMs, qint64(20));
        QCOMPARE(value.promptTokens, qint64(1200));
        QCOMPARE(value.completionTokens, qint64(80));
        QCOMPARE(value.targets.size(), 3);

        const TargetBehaviour a = value.targets.value(u"a/x"_s);
        QCOMPARE(a.failureRate, 0.25);
        QCOMPARE(a.failureStatus, 429);
        QCOMPARE(a.latencyMs, qint64(900));
        QCOMPARE(a.ttftMs, qint64(300));
        QCOMPARE(a.overBudget, true);
        // A first token later than the whole default answer stretches the answer.
        const TargetBehaviour b = value.targets.value(u"b/y"_s);
        QCOMPARE(b.ttftMs, qint64(2000));
        QCOMPARE(b.latencyMs, qint64(2000));
        QCOMPARE(b.failureStatus, 503);
        // An answer faster than the default first token brings the first token forward.
        const TargetBehaviour c = value.targets.value(u"c/z"_s);
        QCOMPARE(c.latencyMs, qint64(50));
        QCOMPARE(c.ttftMs, qint64(50));
        QCOMPARE(c.failureStatus, 0);
    }

    void scenarioErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");

        QTest::newRow("unknown target field")
            << R"({"targets": {"a/x": {"rate": 0.5}}})"_ba
            << uR"(targets["a/x"].rate: unknown field; known fields: failureRate, status, latencyMs, ttftMs, overBudget)"_s;
        QTest::newRow("failureRate above 1") << R"({"targets": {"a/x": {"failureRate": 1.5}}})"_ba
                                             << uR"(targets["a/x"].failureRate: must be between 0 and 1)"_s;
        QTest::newRow("failureRate below 0") << R"({"targets": {"a/x": {"failureRate": -0.1}}})"_ba
                                             << uR"(targets["a/x"].failureRate: must be between 0 and 1)"_s;
        QTest::newRow("negative latency")
            << R"({"targets": {"a/x": {"latencyMs": -1}}})"_ba << uR"(targets["a/x"]: times must not be negative)"_s;
        QTest::newRow("negative ttft") << R"({"targets": {"a/x": {"ttftMs": -5}}})"_ba
                                       << uR"(targets["a/x"]: times must not be negative)"_s;
        QTest::newRow("negative interval") << R"({"intervalMs": -1})"_ba << u"intervalMs: must not be negative"_s;
        QTest::newRow("no requests") << R"({"requests": 0})"_ba << u"requests: must be between 1 and 1000000"_s;
        QTest::newRow("too many requests")
            << R"({"requests": 1000001})"_ba << u"requests: must be between 1 and 1000000"_s;
        QTest::newRow("bad JSON")
            << R"({"requests": })"_ba
            << u"The scenario is not valid JSON (object is missing after a comma at offset 14)."_s;
    }

    void scenarioErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto scenario = RehearsalScenario::fromJson(json);
        QVERIFY(!scenario);
        QCOMPARE(scenario.errorMessage(), message);
    }

    void scenarioRejectsUnknownTopLevelField()
    {
        // A misspelt "requests" would otherwise run the default 100 requests without a word.
        const auto scenario = RehearsalScenario::fromJson(R"({"requets": 10})"_ba);
        QVERIFY(!scenario);
    }

    void fallbackRouteIsDeterministic()
    {
        const auto planner = plannerFor({threeTargetRoute()});
        const auto cost = flatCost(Money::fromUsd(0.001));
        const auto first = Rehearsal::run(u"smart"_s, threeTargetScenario(7), planner, cost);
        QVERIFY2(first, qPrintable(first.errorMessage()));
        const RehearsalReport &report = first.value();

        const RehearsalReport::TargetCount a = countOf(report, u"a/x"_s);
        const RehearsalReport::TargetCount b = countOf(report, u"b/y"_s);
        const RehearsalReport::TargetCount c = countOf(report, u"c/z"_s);
        QCOMPARE(report.route, u"smart"_s);
        QCOMPARE(report.requests, 1000);
        QCOMPARE(a.attempts, 1000);
        QVERIFY2(a.served > 600 && a.served < 800, qPrintable(describe(report)));
        QCOMPARE(a.skipped, 0);
        QCOMPARE(report.succeeded, a.served);
        QCOMPARE(report.failed, 1000 - a.served);
        // Every failure of A falls back to B, which misses its TTFT timeout, then C, which is skipped.
        QCOMPARE(b.served, 0);
        QCOMPARE(b.attempts, report.failed);
        QCOMPARE(b.skipped, 0);
        QCOMPARE(c.served, 0);
        QCOMPARE(c.attempts, 0);
        QCOMPARE(c.skipped, report.failed);
        QHash<int, int> distribution {{1, a.served}, {2, report.failed}};
        QCOMPARE(report.attemptsPerRequest, distribution);
        // 500 ms for an answer of A; 200 ms for A's 503 and 1000 ms for B's TTFT timeout otherwise.
        QCOMPARE(report.latencyP50Ms, qint64(500));
        QCOMPARE(report.latencyP90Ms, qint64(1200));
        QCOMPARE(report.latencyP99Ms, qint64(1200));
        QCOMPARE(report.totalCost, Money::fromNanoUsd(qint64(a.served) * Money::fromUsd(0.001).nanoUsd()));
        QCOMPARE(report.unpricedRequests, 0);
        QCOMPARE(report.breakerOpenings, 0);

        const auto second = Rehearsal::run(u"smart"_s, threeTargetScenario(7), planner, cost);
        QVERIFY(second);
        QCOMPARE(second.value().toJson(), report.toJson());
        QCOMPARE(second.value().toText(), report.toText());
    }

    void unknownRouteFails()
    {
        const auto report = Rehearsal::run(
            u"nope"_s, threeTargetScenario(1), plannerFor({threeTargetRoute()}), flatCost(Money::fromUsd(0.001)));
        QVERIFY(!report);
        QCOMPARE(report.errorMessage(), u"There is no route named \"nope\"."_s);
    }

    void unpricedAnswersAreCounted()
    {
        RehearsalScenario scenario;
        scenario.requests = 20;
        const auto report
            = Rehearsal::run(u"plain"_s, scenario, plannerFor({Route(u"plain"_s, {leaf(u"a/x"_s), leaf(u"b/y"_s)})}),
                [](const RouteTarget &, qint64, qint64) { return std::optional<Money>(); });
        QVERIFY2(report, qPrintable(report.errorMessage()));
        QCOMPARE(report.value().succeeded, 20);
        QCOMPARE(report.value().unpricedRequests, 20);
        QCOMPARE(report.value().totalCost, Money());
        QCOMPARE(countOf(report.value(), u"a/x"_s).served, 20);
        QCOMPARE(report.value().targets.size(), 1); // b/y was never needed
    }

    void breakerOpensAndSkipsTarget()
    {
        Route route(u"smart"_s, {leaf(u"a/x"_s), leaf(u"b/y"_s)});
        route.breaker.failureThreshold = 3;
        RehearsalScenario scenario;
        scenario.requests = 100;
        TargetBehaviour down;
        down.failureRate = 1;
        scenario.targets.insert(u"a/x"_s, down);

        const auto run = Rehearsal::run(u"smart"_s, scenario, plannerFor({route}), flatCost(Money::fromUsd(0.001)));
        QVERIFY2(run, qPrintable(run.errorMessage()));
        const RehearsalReport &report = run.value();
        const RehearsalReport::TargetCount a = countOf(report, u"a/x"_s);
        QVERIFY2(report.breakerOpenings >= 1, qPrintable(describe(report)));
        QCOMPARE(report.succeeded, 100);
        QCOMPARE(countOf(report, u"b/y"_s).served, 100);
        QCOMPARE(a.served, 0);
        // Every request either tried A or passed it over.
        QCOMPARE(a.attempts + a.skipped, 100);
        // Three failures open it; afterwards only a probe per 30 s cooldown gets through.
        QVERIFY2(a.attempts >= 3 && a.attempts <= 3 + report.breakerOpenings, qPrintable(describe(report)));
        QVERIFY2(a.skipped >= 90, qPrintable(describe(report)));
        QCOMPARE(report.attemptsPerRequest.value(1) + report.attemptsPerRequest.value(2), 100);
        QCOMPARE(report.attemptsPerRequest.value(2), a.attempts);
    }

    void reportTextAndJson()
    {
        const auto run = Rehearsal::run(
            u"smart"_s, threeTargetScenario(3), plannerFor({threeTargetRoute()}), flatCost(Money::fromUsd(0.001)));
        QVERIFY(run);
        const RehearsalReport &report = run.value();
        const RehearsalReport::TargetCount a = countOf(report, u"a/x"_s);
        const RehearsalReport::TargetCount c = countOf(report, u"c/z"_s);

        const QString text = report.toText();
        QVERIFY2(
            text.contains(
                u"Route smart: 1000 requests, %1 answered, %2 failed\n"_s.arg(report.succeeded).arg(report.failed)),
            qPrintable(text));
        QVERIFY2(text.contains(u"%1  %2  %3  %4\n"_s.arg(u"a/x"_s, -40).arg(a.served, 8).arg(a.attempts, 9).arg(0, 8)),
            qPrintable(text));
        QVERIFY2(text.contains(u"%1  %2  %3  %4\n"_s.arg(u"c/z"_s, -40).arg(0, 8).arg(0, 9).arg(c.skipped, 8)),
            qPrintable(text));
        QVERIFY2(text.contains(
                     u"Attempts per request: 1 attempt(s): %1, 2 attempt(s): %2\n"_s.arg(a.served).arg(report.failed)),
            qPrintable(text));
        QVERIFY2(text.contains(u"Latency: p50 500 ms, p90 1200 ms, p99 1200 ms\n"_s), qPrintable(text));
        QVERIFY2(text.contains(u"; 0 unpriced\n"_s), qPrintable(text));
        QVERIFY2(text.contains(u"Circuit breaker openings: 0\n"_s), qPrintable(text));

        const QJsonObject json = report.toJson();
        QCOMPARE(json.value(u"route"_s).toString(), u"smart"_s);
        QCOMPARE(json.value(u"requests"_s).toInt(), 1000);
        QCOMPARE(json.value(u"succeeded"_s).toInt(), report.succeeded);
        QCOMPARE(json.value(u"failed"_s).toInt(), report.failed);
        const QJsonArray targets = json.value(u"targets"_s).toArray();
        QCOMPARE(targets.size(), 3);
        QCOMPARE(targets.at(0).toObject(),
            (QJsonObject {{u"target"_s, u"a/x"_s}, {u"served"_s, a.served}, {u"attempts"_s, 1000}, {u"skipped"_s, 0}}));
        QCOMPARE(targets.at(2).toObject(),
            (QJsonObject {
                {u"target"_s, u"c/z"_s}, {u"served"_s, 0}, {u"attempts"_s, 0}, {u"skipped"_s, report.failed}}));
        QCOMPARE(json.value(u"attemptsPerRequest"_s).toObject(),
            (QJsonObject {{u"1"_s, a.served}, {u"2"_s, report.failed}}));
        QCOMPARE(
            json.value(u"latencyMs"_s).toObject(), (QJsonObject {{u"p50"_s, 500}, {u"p90"_s, 1200}, {u"p99"_s, 1200}}));
        QCOMPARE(json.value(u"costUsd"_s).toDouble(), report.totalCost.usd());
        QCOMPARE(json.value(u"unpricedRequests"_s).toInt(), 0);
        QCOMPARE(json.value(u"breakerOpenings"_s).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRehearsal)
#include "tst_rehearsal.moc"
