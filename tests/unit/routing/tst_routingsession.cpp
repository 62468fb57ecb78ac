#include "core/routing/routingsession.h"

#include "core/routing/fallbackclassifier.h"
#include "core/routing/routerstate.h"
#include "tests/unit/routing/scriptedsources.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Routing;
using RoutingTest::ScriptedClock;
using RoutingTest::ScriptedRandom;

namespace {

// A fixed instant long past, so that nothing here depends on the day the tests run.
const QDateTime BookNow(QDate(2020, 1, 6), QTime(9, 0), QTimeZone(3600));

PlannedTarget planned(const QString &text, int retries = -1, BreakerPolicy breaker = {})
{
    PlannedTarget result;
    result.target = RouteTarget::parse(text).value();
    result.target.retries = retries;
    result.route = u"smart"_s;
    result.breaker = breaker;
    result.reason = u"position %1"_s.arg(text);
    return result;
}

RoutePlan makePlan(const QList<PlannedTarget> &targets)
{
    RoutePlan plan;
    plan.routeName = u"smart"_s;
    plan.targets = targets;
    return plan;
}

AttemptOutcome ok(qint64 latencyMs = 100)
{
    AttemptOutcome outcome;
    outcome.httpStatus = 200;
    outcome.latencyMs = latencyMs;
    return outcome;
}

AttemptOutcome status(int httpStatus, const QString &errorCode = {})
{
    AttemptOutcome outcome;
    outcome.httpStatus = httpStatus;
    outcome.errorCode = errorCode;
    return outcome;
}

AttemptOutcome transport(AttemptOutcome::Transport kind)
{
    AttemptOutcome outcome;
    outcome.transport = kind;
    return outcome;
}

BreakerPolicy breakerPolicy(int threshold, int cooldownMs = 30000)
{
    BreakerPolicy policy;
    policy.failureThreshold = threshold;
    policy.cooldownMs = cooldownMs;
    return policy;
}

Budget budget(Budget::Scope scope, const QString &name, Money limit)
{
    Budget result;
    result.scope = scope;
    result.name = name;
    result.limit = limit;
    result.window = Budget::Window::Day;
    return result;
}

RateLimit rpm(RateLimit::Scope scope, const QString &name, int requestsPerMinute)
{
    RateLimit limit;
    limit.scope = scope;
    limit.name = name;
    limit.requestsPerMinute = requestsPerMinute;
    return limit;
}

BudgetBook::Account account(const BudgetBook &book, const QString &name)
{
    const QList<BudgetBook::Account> accounts = book.accounts();
    for (const BudgetBook::Account &entry : accounts) {
        if (entry.budget.name == name) {
            return entry;
        }
    }
    return {};
}

QStringList skippedOf(const RoutePlan &plan)
{
    QStringList result;
    for (const SkippedTarget &skipped : plan.skipped) {
        result.append(skipped.target.toString());
    }
    return result;
}

// The parts every session shares: a clock, a random source and the router's memory.
struct Router
{
    explicit Router(QList<double> randoms = {})
        : random(std::move(randoms))
    {
    }

    RoutingSession session(const RoutePlan &plan, Money estimate = Money::fromUsd(0.01))
    {
        RoutingSession::Context context;
        context.state = &state;
        context.random = &random;
        context.budgets = budgets.get();
        context.limiter = limiter.get();
        context.keyName = u"team"_s;
        context.startedAtMs = clock.nowMs();
        context.estimatedCost = estimate;
        context.estimatedTokens = 100;
        return RoutingSession(plan, context);
    }

    void useBudgets(const QList<Budget> &list)
    {
        budgets = std::make_unique<BudgetBook>([] { return BookNow; });
        budgets->setBudgets(list);
    }

    void useLimits(const QList<RateLimit> &list)
    {
        limiter = std::make_unique<RateLimiter>([this] { return clock.nowMs(); });
        limiter->setLimits(list);
    }

    ScriptedClock clock;
    ScriptedRandom random;
    RouterState state {clock};
    std::unique_ptr<BudgetBook> budgets;
    std::unique_ptr<RateLimiter> limiter;
};

// One attempt granted by next() on `target`, finished with `outcome`; nullopt when next() did not
// grant an attempt on that target, so that the comparison at the call fails.
std::optional<RoutingSession::Verdict> attemptOn(
    Router &router, RoutingSession &session, const QString &target, const AttemptOutcome &outcome)
{
    const auto attempt = session.next(router.clock.nowMs());
    if (!attempt || attempt->planned.target.toString() != target) {
        return std::nullopt;
    }
    return session.finish(outcome, Money(), 0, router.clock.nowMs(), BookNow.toMSecsSinceEpoch());
}

} // namespace

class TestRoutingSession : public QObject
{
    Q_OBJECT

private slots:
    void successOnFirstTargetAnswers()
    {
        Router router;
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s), planned(u"b/y"_s)}));
        const auto attempt = session.next(router.clock.nowMs());
        QVERIFY(attempt);
        QCOMPARE(attempt->planned.target.toString(), u"a/x"_s);
        QCOMPARE(attempt->retryIndex, 0);
        QCOMPARE(router.state.stats(u"a/x"_s).inFlight(), 1);

        router.clock.advance(100);
        QCOMPARE(session.finish(ok(100), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Answer);
        QCOMPARE(session.attemptCount(), 1);
        QVERIFY(!session.refusal());
        const DecisionTrace trace = session.trace();
        QCOMPARE(trace.attempts().size(), 1);
        QCOMPARE(trace.attempts().at(0).next, DecisionTrace::Next::Answered);
        QVERIFY(!trace.attempts().at(0).condition);
        QCOMPARE(trace.toHeaderSummary(), "smart fallback: a/x 200 ok"_ba);

        const TargetStats stats = router.state.stats(u"a/x"_s);
        QCOMPARE(stats.inFlight(), 0);
        QCOMPARE(stats.samples(), 1);
        QCOMPARE(stats.ewmaLatencyMs(), 100.0);
        QCOMPARE(stats.errorCount(), 0);
        QCOMPARE(stats.lastSuccessMs(), router.clock.nowMs());
        QCOMPARE(router.state.stats(u"b/y"_s).samples(), 0);
    }

    void failureVerdict_data()
    {
        QTest::addColumn<int>("fallbackOn");
        QTest::addColumn<int>("targetRetries");
        QTest::addColumn<AttemptOutcome>("outcome");
        QTest::addColumn<RoutingSession::Verdict>("verdict");
        QTest::addColumn<QString>("condition");

        const int defaults = int(Route::defaultFallbackConditions());
        const int connectOnly = int(FallbackCondition::Connect);
        const int withRequestErrors = defaults | int(FallbackCondition::ContextWindow) | int(FallbackCondition::Auth);
        using V = RoutingSession::Verdict;
        QTest::newRow("503, defaults") << defaults << -1 << status(503) << V::Fallback << u"http_5xx"_s;
        QTest::newRow("503, connect only") << connectOnly << -1 << status(503) << V::Answer << u"http_5xx"_s;
        QTest::newRow("refused, connect only")
            << connectOnly << -1 << transport(AttemptOutcome::Transport::Connect) << V::Fallback << u"connect"_s;
        QTest::newRow("429, defaults") << defaults << -1 << status(429) << V::Fallback << u"http_429"_s;
        QTest::newRow("429 billing, defaults")
            << defaults << -1 << status(429, u"insufficient_quota"_s) << V::Answer << QString();
        QTest::newRow("400, defaults") << defaults << -1 << status(400) << V::Answer << QString();
        QTest::newRow("401, defaults") << defaults << 2 << status(401) << V::Answer << u"auth"_s;
        QTest::newRow("401, auth enabled, retries 2")
            << withRequestErrors << 2 << status(401) << V::Fallback << u"auth"_s;
        QTest::newRow("context window, enabled, retries 2")
            << withRequestErrors << 2 << status(400, u"context_length_exceeded"_s) << V::Fallback
            << u"context_window"_s;
        QTest::newRow("ttft timeout, defaults, retries 2")
            << defaults << 2 << transport(AttemptOutcome::Transport::TtftTimeout) << V::Fallback << u"ttft_timeout"_s;
    }

    void failureVerdict()
    {
        QFETCH(int, fallbackOn);
        QFETCH(int, targetRetries);
        QFETCH(AttemptOutcome, outcome);
        QFETCH(RoutingSession::Verdict, verdict);
        QFETCH(QString, condition);

        Router router;
        RoutePlan plan = makePlan({planned(u"a/x"_s, targetRetries), planned(u"b/y"_s)});
        plan.fallbackOn = FallbackConditions::fromInt(fallbackOn);
        RoutingSession session = router.session(plan);
        QCOMPARE(attemptOn(router, session, u"a/x"_s, outcome), verdict);
        QCOMPARE(router.random.consumed(), 0); // no retry delay was drawn

        const DecisionTrace::Attempt traced = session.trace().attempts().at(0);
        QCOMPARE(traced.condition ? QString(FallbackClassifier::key(*traced.condition)) : QString(), condition);
        if (verdict == RoutingSession::Verdict::Fallback) {
            QCOMPARE(traced.next, DecisionTrace::Next::Fallback);
            const auto second = session.next(router.clock.nowMs());
            QVERIFY(second);
            QCOMPARE(second->planned.target.toString(), u"b/y"_s);
            QCOMPARE(second->retryIndex, 0);
        } else {
            QCOMPARE(traced.next, DecisionTrace::Next::Answered);
        }
    }

    void retriesWithFullJitter_data()
    {
        QTest::addColumn<int>("targetRetries");
        QTest::addColumn<int>("routeRetries");
        QTest::addColumn<QList<qint64>>("delays");

        // base 500, max 8000; scripted draws 0.5, 0.75, 0.999: floor(draw * min(8000, 500 * 2^i))
        QTest::newRow("target retries 2") << 2 << 0 << QList<qint64> {250, 750};
        QTest::newRow("route retries 3") << -1 << 3 << QList<qint64> {250, 750, 1998};
        QTest::newRow("target 0 overrides route 3") << 0 << 3 << QList<qint64> {};
        QTest::newRow("route retries 1") << -1 << 1 << QList<qint64> {250};
    }

    void retriesWithFullJitter()
    {
        QFETCH(int, targetRetries);
        QFETCH(int, routeRetries);
        QFETCH(QList<qint64>, delays);

        Router router({0.5, 0.75, 0.999});
        RoutePlan plan = makePlan({planned(u"a/x"_s, targetRetries), planned(u"b/y"_s)});
        plan.retry.maxRetries = routeRetries;
        RoutingSession session = router.session(plan);
        for (qsizetype i = 0; i < delays.size(); ++i) {
            const auto attempt = session.next(router.clock.nowMs());
            QVERIFY(attempt);
            QCOMPARE(attempt->planned.target.toString(), u"a/x"_s);
            QCOMPARE(attempt->retryIndex, int(i));
            QCOMPARE(session.finish(status(503), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Retry);
            QCOMPARE(session.delayMs(), delays.at(i));
            QVERIFY(session.delayMs() >= 0 && session.delayMs() < qMin<qint64>(8000, 500LL << i));
            router.clock.advance(session.delayMs());
        }
        // Retries exhausted: on to the next target.
        const auto last = session.next(router.clock.nowMs());
        QVERIFY(last);
        QCOMPARE(last->planned.target.toString(), u"a/x"_s);
        QCOMPARE(last->retryIndex, int(delays.size()));
        QCOMPARE(session.finish(status(503), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Fallback);
        QCOMPARE(router.random.consumed(), delays.size());
        const auto fallback = session.next(router.clock.nowMs());
        QVERIFY(fallback);
        QCOMPARE(fallback->planned.target.toString(), u"b/y"_s);
        QCOMPARE(router.state.stats(u"a/x"_s).errorCount(), qint64(delays.size()) + 1);
    }

    void serverDelay_data()
    {
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("retryAfterMs");
        QTest::addColumn<qint64>("delay");
        QTest::addColumn<int>("draws");

        QTest::newRow("Retry-After seconds") << "2"_ba << QByteArray() << qint64(2000) << 0;
        QTest::newRow("retry-after-ms wins") << "2"_ba
                                             << "150"_ba << qint64(150) << 0;
        QTest::newRow("HTTP date") << "Mon, 06 Jan 2020 08:00:03 GMT"_ba << QByteArray() << qint64(3000) << 0;
        QTest::newRow("too long: backoff") << "120"_ba << QByteArray() << qint64(250) << 1;
        QTest::newRow("garbage: backoff") << "soon"_ba << QByteArray() << qint64(250) << 1;
    }

    void serverDelay()
    {
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, retryAfterMs);
        QFETCH(qint64, delay);
        QFETCH(int, draws);

        Router router({0.5});
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s, 1), planned(u"b/y"_s)}));
        QVERIFY(session.next(router.clock.nowMs()));
        // BookNow is 08:00:00 UTC.
        QCOMPARE(session.finish(status(429), Money(), 0, router.clock.nowMs(), BookNow.toMSecsSinceEpoch(), retryAfter,
                     retryAfterMs),
            RoutingSession::Verdict::Retry);
        QCOMPARE(session.delayMs(), delay);
        QCOMPARE(router.random.consumed(), draws);
        QCOMPARE(session.trace().attempts().at(0).delayMs, delay);
    }

    void retryPastDeadlineFallsBack()
    {
        Router router;
        RoutePlan plan = makePlan({planned(u"a/x"_s, 3), planned(u"b/y"_s)});
        plan.deadlineMs = 3000;
        RoutingSession session = router.session(plan);
        QVERIFY(session.next(router.clock.nowMs()));
        router.clock.advance(1500);
        // 1500 ms in, a wait of 2000 ms would start the retry after the deadline.
        QCOMPARE(
            session.finish(status(503), Money(), 0, router.clock.nowMs(), 0, "2"), RoutingSession::Verdict::Fallback);
        QCOMPARE(session.trace().attempts().at(0).next, DecisionTrace::Next::Fallback);
        const auto next = session.next(router.clock.nowMs());
        QVERIFY(next);
        QCOMPARE(next->planned.target.toString(), u"b/y"_s);
    }

    void retryThatFitsDeadline()
    {
        Router router;
        RoutePlan plan = makePlan({planned(u"a/x"_s, 3), planned(u"b/y"_s)});
        plan.deadlineMs = 3000;
        RoutingSession session = router.session(plan);
        QVERIFY(session.next(router.clock.nowMs()));
        router.clock.advance(1500);
        QCOMPARE(
            session.finish(status(503), Money(), 0, router.clock.nowMs(), 0, "1.499"), RoutingSession::Verdict::Retry);
        QCOMPARE(session.delayMs(), 1499);
    }

    void lastTargetExhausted()
    {
        Router router;
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s), planned(u"b/y"_s)}));
        QCOMPARE(attemptOn(router, session, u"a/x"_s, status(503)), RoutingSession::Verdict::Fallback);
        QCOMPARE(attemptOn(router, session, u"b/y"_s, status(502)), RoutingSession::Verdict::Answer);
        QCOMPARE(session.trace().attempts().at(1).next, DecisionTrace::Next::Exhausted);
        QVERIFY(!session.next(router.clock.nowMs()));
        QCOMPARE(session.refusal()->kind, RoutingSession::Refusal::Kind::NoTargetLeft);
    }

    void openBreakerSkipsTarget()
    {
        Router router;
        const RoutePlan plan = makePlan({planned(u"a/x"_s, -1, breakerPolicy(2)), planned(u"b/y"_s)});
        for (int i = 0; i < 2; ++i) {
            RoutingSession session = router.session(plan);
            QCOMPARE(attemptOn(router, session, u"a/x"_s, status(503)), RoutingSession::Verdict::Fallback);
            QCOMPARE(attemptOn(router, session, u"b/y"_s, ok()), RoutingSession::Verdict::Answer);
            router.clock.advance(10);
        }
        QCOMPARE(router.state.breakerState(u"a/x"_s), BreakerState::Open);

        RoutingSession session = router.session(plan);
        const auto attempt = session.next(router.clock.nowMs());
        QVERIFY(attempt);
        QCOMPARE(attempt->planned.target.toString(), u"b/y"_s);
        QCOMPARE(skippedOf(session.plan()), QStringList {u"a/x"_s});
        QCOMPARE(session.plan().skipped.at(0).why, SkippedTarget::Why::BreakerOpen);
        QCOMPARE(session.plan().skipped.at(0).reason, u"circuit breaker open"_s);
        QCOMPARE(session.finish(ok(), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Answer);
        QCOMPARE(session.trace().toHeaderSummary(), "smart fallback: b/y 200 ok; skipped a/x (breaker_open)"_ba);
        QCOMPARE(router.state.stats(u"a/x"_s).inFlight(), 0);

        RoutingSession alone = router.session(makePlan({planned(u"a/x"_s, -1, breakerPolicy(2))}));
        QVERIFY(!alone.next(router.clock.nowMs()));
        QVERIFY(alone.refusal());
        QCOMPARE(alone.refusal()->kind, RoutingSession::Refusal::Kind::NoTargetLeft);
        QCOMPARE(alone.refusal()->message,
            u"No target of the route could be tried; the ones left were passed over (see the trace)."_s);
        QCOMPARE(alone.refusal()->retryAfterSeconds, 0);
        QCOMPARE(alone.attemptCount(), 0);
        QCOMPARE(alone.trace().toHeaderSummary(), "smart fallback: no attempts; skipped a/x (breaker_open)"_ba);
    }

    void keyBudgetRefuses()
    {
        Router router;
        router.useBudgets({budget(Budget::Scope::Key, u"team"_s, Money::fromUsd(1))});
        router.budgets->seed({{Budget::Scope::Key, u"team"_s, Budget::Window::Day, Money::fromUsd(1)}});
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s), planned(u"b/y"_s)}));
        QVERIFY(!session.next(router.clock.nowMs()));
        QVERIFY(session.refusal());
        QCOMPARE(session.refusal()->kind, RoutingSession::Refusal::Kind::Budget);
        QVERIFY2(session.refusal()->message.contains(u"key \"team\""_s), qPrintable(session.refusal()->message));
        QVERIFY(session.refusal()->retryAfterSeconds > 0);
        QCOMPARE(session.attemptCount(), 0);
        // Nothing is held by the refused request.
        QCOMPARE(account(*router.budgets, u"team"_s).reserved, Money());
        QCOMPARE(router.state.stats(u"a/x"_s).inFlight(), 0);
    }

    void keyBudgetRetryAfterFollowsBookClock()
    {
        Router router;
        router.useBudgets({budget(Budget::Scope::Key, u"team"_s, Money::fromUsd(1))});
        router.budgets->seed({{Budget::Scope::Key, u"team"_s, Budget::Window::Day, Money::fromUsd(1)}});
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s)}));
        QVERIFY(!session.next(router.clock.nowMs()));
        QVERIFY(session.refusal());
        // The day window of BookNow (09:00) resets at midnight, 15 hours later.
        QCOMPARE(session.refusal()->retryAfterSeconds, 15 * 3600);
    }

    void providerBudgetSkipsTarget()
    {
        Router router;
        router.useBudgets({budget(Budget::Scope::Provider, u"a"_s, Money())});
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s), planned(u"b/y"_s)}));
        const auto attempt = session.next(router.clock.nowMs());
        QVERIFY(attempt);
        QCOMPARE(attempt->planned.target.toString(), u"b/y"_s);
        QCOMPARE(skippedOf(session.plan()), QStringList {u"a/x"_s});
        QCOMPARE(session.plan().skipped.at(0).why, SkippedTarget::Why::OverBudget);
        QVERIFY(session.plan().skipped.at(0).reason.contains(u"provider \"a\""_s));
        QCOMPARE(router.state.stats(u"a/x"_s).inFlight(), 0);
        QCOMPARE(session.finish(ok(), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Answer);
        const QJsonArray skipped = session.trace().toJson().value(u"skipped"_s).toArray();
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped.at(0).toObject().value(u"why"_s).toString(), u"over_budget"_s);
        QCOMPARE(skipped.at(0).toObject().value(u"target"_s).toString(), u"a/x"_s);
    }

    void settleAndRelease_data()
    {
        QTest::addColumn<AttemptOutcome>("outcome");
        QTest::addColumn<qint64>("costNano");

        QTest::newRow("success charged") << ok() << qint64(2'000'000);
        QTest::newRow("error with a default charge") << status(400) << qint64(1'000);
        QTest::newRow("nothing generated: released") << status(503) << qint64(0);
    }

    void settleAndRelease()
    {
        QFETCH(AttemptOutcome, outcome);
        QFETCH(qint64, costNano);

        Router router;
        router.useBudgets({budget(Budget::Scope::Provider, u"b"_s, Money::fromUsd(10)),
            budget(Budget::Scope::Key, u"team"_s, Money::fromUsd(5))});
        RoutingSession session = router.session(makePlan({planned(u"b/y"_s)}), Money::fromUsd(0.01));
        QVERIFY(session.next(router.clock.nowMs()));
        QCOMPARE(account(*router.budgets, u"b"_s).reserved, Money::fromUsd(0.01));
        QCOMPARE(account(*router.budgets, u"team"_s).reserved, Money::fromUsd(0.01));

        session.finish(outcome, Money::fromNanoUsd(costNano), 0, router.clock.nowMs(), 0);
        for (const QString &name : {u"b"_s, u"team"_s}) {
            const BudgetBook::Account held = account(*router.budgets, name);
            QCOMPARE(held.reserved, Money());
            QCOMPARE(held.spent, Money::fromNanoUsd(costNano));
        }
    }

    void abandonReleasesReservationAndProbe()
    {
        Router router;
        router.useBudgets({budget(Budget::Scope::Provider, u"a"_s, Money::fromUsd(10))});
        const RoutePlan plan = makePlan({planned(u"a/x"_s, -1, breakerPolicy(1, 1000)), planned(u"b/y"_s)});
        {
            RoutingSession session = router.session(plan);
            QCOMPARE(attemptOn(router, session, u"a/x"_s, status(503)), RoutingSession::Verdict::Fallback);
        }
        QCOMPARE(router.state.breakerState(u"a/x"_s), BreakerState::Open);
        router.clock.advance(1000);
        QCOMPARE(router.state.breakerState(u"a/x"_s), BreakerState::HalfOpen);

        RoutingSession probe = router.session(plan);
        QCOMPARE(probe.next(router.clock.nowMs())->planned.target.toString(), u"a/x"_s);
        QCOMPARE(account(*router.budgets, u"a"_s).reserved, Money::fromUsd(0.01));
        // While the probe is out, another request passes the target over.
        RoutingSession during = router.session(plan);
        QCOMPARE(during.next(router.clock.nowMs())->planned.target.toString(), u"b/y"_s);
        during.abandon();

        probe.abandon();
        QCOMPARE(account(*router.budgets, u"a"_s).reserved, Money());
        QCOMPARE(account(*router.budgets, u"a"_s).spent, Money());
        QCOMPARE(router.state.stats(u"a/x"_s).inFlight(), 0);
        QCOMPARE(probe.attemptCount(), 0);
        probe.abandon(); // nothing in progress: no effect

        RoutingSession after = router.session(plan);
        QCOMPARE(after.next(router.clock.nowMs())->planned.target.toString(), u"a/x"_s);
    }

    void keyRateLimitRefuses()
    {
        Router router;
        router.useLimits({rpm(RateLimit::Scope::Key, u"team"_s, 1)});
        const RoutePlan plan = makePlan({planned(u"a/x"_s), planned(u"b/y"_s)});
        RoutingSession first = router.session(plan);
        // Retries and fallbacks of one request count once against the key.
        QCOMPARE(attemptOn(router, first, u"a/x"_s, status(503)), RoutingSession::Verdict::Fallback);
        QCOMPARE(attemptOn(router, first, u"b/y"_s, ok()), RoutingSession::Verdict::Answer);

        RoutingSession second = router.session(plan);
        QVERIFY(!second.next(router.clock.nowMs()));
        QVERIFY(second.refusal());
        QCOMPARE(second.refusal()->kind, RoutingSession::Refusal::Kind::RateLimit);
        QVERIFY2(second.refusal()->message.contains(u"key \"team\""_s), qPrintable(second.refusal()->message));
        QVERIFY(second.refusal()->retryAfterSeconds > 0);
        QCOMPARE(second.attemptCount(), 0);
    }

    void targetRateLimitSkipsTarget()
    {
        Router router;
        router.useBudgets({budget(Budget::Scope::Provider, u"a"_s, Money::fromUsd(10))});
        router.useLimits({rpm(RateLimit::Scope::Target, u"a/x"_s, 1)});
        const RoutePlan plan = makePlan({planned(u"a/x"_s), planned(u"b/y"_s)});
        RoutingSession first = router.session(plan);
        QCOMPARE(attemptOn(router, first, u"a/x"_s, ok()), RoutingSession::Verdict::Answer);

        RoutingSession second = router.session(plan);
        const auto attempt = second.next(router.clock.nowMs());
        QVERIFY(attempt);
        QCOMPARE(attempt->planned.target.toString(), u"b/y"_s);
        QCOMPARE(skippedOf(second.plan()), QStringList {u"a/x"_s});
        QCOMPARE(second.plan().skipped.at(0).why, SkippedTarget::Why::RateLimited);
        QVERIFY(second.plan().skipped.at(0).reason.contains(u"target \"a/x\""_s));
        // The skipped target holds neither a reservation nor a breaker slot.
        QCOMPARE(account(*router.budgets, u"a"_s).reserved, Money());
        QCOMPARE(router.state.stats(u"a/x"_s).inFlight(), 0);
        QCOMPARE(second.finish(ok(), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Answer);
        QCOMPARE(second.trace().toHeaderSummary(), "smart fallback: b/y 200 ok; skipped a/x (rate_limited)"_ba);
    }

    void deadlinePassedBeforeNext()
    {
        Router router;
        RoutePlan plan = makePlan({planned(u"a/x"_s), planned(u"b/y"_s)});
        plan.deadlineMs = 1000;
        RoutingSession session = router.session(plan);
        QVERIFY(session.next(router.clock.nowMs()));
        router.clock.advance(999);
        QCOMPARE(session.finish(status(503), Money(), 0, router.clock.nowMs(), 0), RoutingSession::Verdict::Fallback);
        router.clock.advance(1);
        QVERIFY(!session.next(router.clock.nowMs()));
        QVERIFY(session.refusal());
        QCOMPARE(session.refusal()->kind, RoutingSession::Refusal::Kind::NoTargetLeft);
        QCOMPARE(session.refusal()->message,
            u"The route's deadline of 1000 ms passed before another target could be tried."_s);
        QCOMPARE(router.state.stats(u"b/y"_s).inFlight(), 0);
    }

    void traceListsAttemptsInOrder()
    {
        Router router({0.5});
        RoutingSession session = router.session(makePlan({planned(u"a/x"_s, 1), planned(u"b/y"_s)}));
        QCOMPARE(attemptOn(router, session, u"a/x"_s, status(503, u"overloaded"_s)), RoutingSession::Verdict::Retry);
        router.clock.advance(session.delayMs());
        QCOMPARE(attemptOn(router, session, u"a/x"_s, transport(AttemptOutcome::Transport::Timeout)),
            RoutingSession::Verdict::Fallback);
        router.clock.advance(40);
        QCOMPARE(attemptOn(router, session, u"b/y"_s, ok(80)), RoutingSession::Verdict::Answer);

        const QJsonObject json = session.trace().toJson();
        QCOMPARE(json.value(u"route"_s).toString(), u"smart"_s);
        QCOMPARE(json.value(u"strategy"_s).toString(), u"fallback"_s);
        QCOMPARE(json.value(u"planned"_s).toArray().size(), 2);
        const QJsonArray expected {
            QJsonObject {{u"target"_s, u"a/x"_s}, {u"startedAtMs"_s, 0}, {u"latencyMs"_s, -1}, {u"status"_s, 503},
                {u"next"_s, u"retry"_s}, {u"errorCode"_s, u"overloaded"_s}, {u"condition"_s, u"http_5xx"_s},
                {u"delayMs"_s, 250}},
            QJsonObject {{u"target"_s, u"a/x"_s}, {u"startedAtMs"_s, 250}, {u"latencyMs"_s, -1}, {u"status"_s, 0},
                {u"next"_s, u"fallback"_s}, {u"transport"_s, u"timeout"_s}, {u"condition"_s, u"timeout"_s}},
            QJsonObject {{u"target"_s, u"b/y"_s}, {u"startedAtMs"_s, 290}, {u"latencyMs"_s, 80}, {u"status"_s, 200},
                {u"next"_s, u"answered"_s}},
        };
        QCOMPARE(json.value(u"attempts"_s).toArray(), expected);
        QCOMPARE(session.trace().toHeaderSummary(),
            "smart fallback: a/x 503 http_5xx -> retry in 250ms; a/x timeout -> fallback; b/y 200 ok"_ba);
    }
};

QTEST_GUILESS_MAIN(TestRoutingSession)
#include "tst_routingsession.moc"
