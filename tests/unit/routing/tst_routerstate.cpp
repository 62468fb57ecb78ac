#include "core/routing/routerstate.h"

#include "tests/unit/routing/scriptedsources.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard::Routing;
using RoutingTest::ScriptedClock;

namespace {
const QString Key = u"openai/gpt-4o"_s;

BreakerPolicy policy(int threshold, int windowMs, int cooldownMs)
{
    BreakerPolicy result;
    result.failureThreshold = threshold;
    result.windowMs = windowMs;
    result.cooldownMs = cooldownMs;
    return result;
}

AttemptOutcome status(int httpStatus, qint64 latencyMs = -1)
{
    AttemptOutcome outcome;
    outcome.httpStatus = httpStatus;
    outcome.latencyMs = latencyMs;
    return outcome;
}

AttemptOutcome transport(AttemptOutcome::Transport kind)
{
    AttemptOutcome outcome;
    outcome.transport = kind;
    return outcome;
}
} // namespace

class TestRouterState : public QObject
{
    Q_OBJECT

private slots:
    void latencyAverageAndCounters()
    {
        ScriptedClock clock;
        RouterState state(clock);
        const BreakerPolicy never = policy(0, 1000, 1000);

        QVERIFY(state.attemptStarted(Key, never));
        QVERIFY(state.attemptStarted(Key, never));
        QCOMPARE(state.stats(Key).inFlight(), 2);
        state.attemptFinished(Key, status(200, 100));
        QCOMPARE(state.stats(Key).inFlight(), 1);
        QCOMPARE(state.stats(Key).ewmaLatencyMs(), 100.0);
        clock.advance(50);
        state.attemptFinished(Key, status(200, 200));
        QCOMPARE(state.stats(Key).ewmaLatencyMs(), 130.0); // 0.3 * 200 + 0.7 * 100

        QVERIFY(state.attemptStarted(Key, never));
        state.attemptFinished(Key, status(503, 5)); // a fast error must not improve the average
        QVERIFY(state.attemptStarted(Key, never));
        clock.advance(50);
        state.attemptFinished(Key, status(200, 400));

        const TargetStats stats = state.stats(Key);
        QCOMPARE(stats.ewmaLatencyMs(), 211.0); // 0.3 * 400 + 0.7 * 130
        QCOMPARE(stats.samples(), qint64(3));
        QCOMPARE(stats.errorCount(), qint64(1));
        QCOMPARE(stats.inFlight(), 0);
        QCOMPARE(stats.lastSuccessMs(), clock.nowMs());
        QVERIFY(stats.hasLatency());
        QVERIFY(!state.stats(u"other/model"_s).hasLatency());
        QCOMPARE(state.stats(u"other/model"_s).lastSuccessMs(), qint64(-1));
    }

    void breakerLifecycleIsSignalledAndRecorded()
    {
        ScriptedClock clock;
        RouterState state(clock);
        QSignalSpy changes(&state, &RouterState::breakerStateChanged);
        QSignalSpy transitions(&state, &RouterState::breakerTransitioned);
        const BreakerPolicy breaker = policy(2, 10000, 5000);

        QVERIFY(state.attemptStarted(Key, breaker));
        state.attemptFinished(Key, status(503));
        QCOMPARE(changes.count(), 0);
        QVERIFY(state.attemptStarted(Key, breaker));
        clock.advance(10);
        state.attemptFinished(Key, transport(AttemptOutcome::Transport::Connect));
        const qint64 openedAt = clock.nowMs();
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).toString(), Key);
        QCOMPARE(changes.at(0).at(1).value<BreakerState>(), BreakerState::Open);
        QCOMPARE(state.breakerState(Key), BreakerState::Open);
        QCOMPARE(state.breakerOpenUntilMs(Key), openedAt + 5000);

        QVERIFY(!state.attemptStarted(Key, breaker));
        QCOMPARE(state.stats(Key).inFlight(), 0);

        clock.advance(5000);
        QCOMPARE(state.breakerState(Key), BreakerState::HalfOpen);
        QCOMPARE(state.breakerOpenUntilMs(Key), qint64(-1));
        state.refreshBreakers();
        QCOMPARE(changes.count(), 2);
        QCOMPARE(changes.at(1).at(1).value<BreakerState>(), BreakerState::HalfOpen);
        state.refreshBreakers();
        QCOMPARE(changes.count(), 2);

        QVERIFY(state.attemptStarted(Key, breaker));
        QVERIFY(!state.attemptStarted(Key, breaker));
        clock.advance(20);
        state.attemptFinished(Key, status(200, 90));
        QCOMPARE(changes.count(), 3);
        QCOMPARE(changes.at(2).at(1).value<BreakerState>(), BreakerState::Closed);

        using Cause = BreakerTransition::Cause;
        const QList<BreakerTransition> expected {
            {Key, BreakerState::Closed, BreakerState::Open, openedAt, Cause::FailureThreshold, breaker},
            {Key, BreakerState::Open, BreakerState::HalfOpen, openedAt + 5000, Cause::CooldownEnded, breaker},
            {Key, BreakerState::HalfOpen, BreakerState::Closed, openedAt + 5020, Cause::ProbeSucceeded, breaker},
        };
        QCOMPARE(state.recentTransitions(), expected);
        QCOMPARE(transitions.count(), 3);
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(transitions.at(i).at(0).value<BreakerTransition>(), expected.at(i));
        }
        QCOMPARE(expected.at(0).reason(), u"2 failure(s) within 10 s"_s);
        QCOMPARE(expected.at(1).reason(), u"cooldown of 5 s ended"_s);
        QCOMPARE(expected.at(2).reason(), u"probe succeeded"_s);
    }

    void transitionReasons_data()
    {
        QTest::addColumn<BreakerTransition>("transition");
        QTest::addColumn<QString>("reason");
        const auto make = [](BreakerTransition::Cause cause, const BreakerPolicy &policy) {
            BreakerTransition transition;
            transition.cause = cause;
            transition.policy = policy;
            return transition;
        };
        using Cause = BreakerTransition::Cause;
        QTest::newRow("threshold in seconds")
            << make(Cause::FailureThreshold, policy(5, 60000, 30000)) << u"5 failure(s) within 60 s"_s;
        QTest::newRow("threshold in milliseconds")
            << make(Cause::FailureThreshold, policy(1, 1500, 30000)) << u"1 failure(s) within 1500 ms"_s;
        QTest::newRow("cooldown in milliseconds")
            << make(Cause::CooldownEnded, policy(5, 60000, 500)) << u"cooldown of 500 ms ended"_s;
        QTest::newRow("probe failed") << make(Cause::ProbeFailed, policy(5, 60000, 500)) << u"probe failed"_s;
    }

    void transitionReasons()
    {
        QFETCH(BreakerTransition, transition);
        QFETCH(QString, reason);
        QCOMPARE(transition.reason(), reason);
    }

    void stateKeys()
    {
        QCOMPARE(CircuitBreaker::stateKey(BreakerState::Closed), "closed"_L1);
        QCOMPARE(CircuitBreaker::stateKey(BreakerState::Open), "open"_L1);
        QCOMPARE(CircuitBreaker::stateKey(BreakerState::HalfOpen), "half_open"_L1);
    }

    void failedProbeReopens()
    {
        ScriptedClock clock;
        RouterState state(clock);
        QSignalSpy changes(&state, &RouterState::breakerStateChanged);
        const BreakerPolicy breaker = policy(1, 10000, 1000);
        QVERIFY(state.attemptStarted(Key, breaker));
        state.attemptFinished(Key, status(500));
        clock.advance(1000);
        QVERIFY(state.attemptStarted(Key, breaker)); // reports half-open by itself
        state.attemptFinished(Key, transport(AttemptOutcome::Transport::Timeout));
        QCOMPARE(changes.count(), 3);
        QCOMPARE(changes.at(1).at(1).value<BreakerState>(), BreakerState::HalfOpen);
        QCOMPARE(changes.at(2).at(1).value<BreakerState>(), BreakerState::Open);
        QCOMPARE(state.breakerOpenUntilMs(Key), clock.nowMs() + 1000);
        const BreakerTransition reopened = state.recentTransitions().constLast();
        QCOMPARE(reopened.from, BreakerState::HalfOpen);
        QCOMPARE(reopened.to, BreakerState::Open);
        QCOMPARE(reopened.cause, BreakerTransition::Cause::ProbeFailed);
        QCOMPARE(reopened.atMs, clock.nowMs());
    }

    void requestSpecificFailuresDoNotOpen()
    {
        ScriptedClock clock;
        RouterState state(clock);
        const BreakerPolicy breaker = policy(1, 10000, 1000);
        AttemptOutcome tooLong = status(400);
        tooLong.errorCode = u"context_length_exceeded"_s;
        QVERIFY(state.attemptStarted(Key, breaker));
        state.attemptFinished(Key, tooLong);
        QVERIFY(state.attemptStarted(Key, breaker));
        state.attemptFinished(Key, status(404));
        QCOMPARE(state.breakerState(Key), BreakerState::Closed);
        QCOMPARE(state.stats(Key).errorCount(), qint64(2));
        QVERIFY(state.recentTransitions().isEmpty());
    }

    void abandonedProbeFreesTheSlot()
    {
        ScriptedClock clock;
        RouterState state(clock);
        const BreakerPolicy breaker = policy(1, 10000, 1000);
        QVERIFY(state.attemptStarted(Key, breaker));
        state.attemptFinished(Key, status(502));
        clock.advance(1000);
        QVERIFY(state.attemptStarted(Key, breaker));
        QCOMPARE(state.stats(Key).inFlight(), 1);
        state.attemptAbandoned(Key);
        QCOMPARE(state.stats(Key).inFlight(), 0);
        QVERIFY(state.attemptStarted(Key, breaker));
    }

    void transitionHistoryIsBounded()
    {
        ScriptedClock clock;
        RouterState state(clock);
        const BreakerPolicy breaker = policy(1, 10000, 10);
        for (int i = 0; i < 150; ++i) { // three transitions each
            QVERIFY(state.attemptStarted(Key, breaker));
            state.attemptFinished(Key, status(500));
            clock.advance(10);
            QVERIFY(state.attemptStarted(Key, breaker));
            state.attemptFinished(Key, status(200, 10));
        }
        QCOMPARE(state.recentTransitions().size(), RouterState::MaxTransitions);
        QCOMPARE(state.recentTransitions().constLast().to, BreakerState::Closed);
    }
};

QTEST_GUILESS_MAIN(TestRouterState)
#include "tst_routerstate.moc"
