#include "core/routing/circuitbreaker.h"

#include "tests/unit/routing/scriptedsources.h"

#include <QTest>

using namespace Switchyard::Routing;
using RoutingTest::ScriptedClock;

namespace {
BreakerPolicy policy(int threshold, int windowMs, int cooldownMs)
{
    BreakerPolicy result;
    result.failureThreshold = threshold;
    result.windowMs = windowMs;
    result.cooldownMs = cooldownMs;
    return result;
}
} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT

private slots:
    void opensAtThresholdWithinWindow()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(3, 10000, 5000), clock);
        QCOMPARE(breaker.state(), BreakerState::Closed);
        breaker.recordFailure();
        clock.advance(1000);
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Closed);
        QVERIFY(breaker.allowRequest());
        clock.advance(1000);
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.stateSinceMs(), clock.nowMs());
        QCOMPARE(breaker.openUntilMs(), clock.nowMs() + 5000);
        QVERIFY(!breaker.allowRequest());
    }

    void successesDoNotResetTheWindow()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(2, 10000, 5000), clock);
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    void oldFailuresExpire()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(3, 10000, 5000), clock);
        breaker.recordFailure(); // t = 0
        clock.advance(6000);
        breaker.recordFailure(); // t = 6000
        clock.advance(4000); // t = 10000: the first failure is exactly one window old
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Closed);
        clock.advance(1000);
        breaker.recordFailure(); // 6000, 10000, 11000 lie within the window
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    void halfOpenAllowsExactlyOneProbeThenCloses()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(1, 10000, 5000), clock);
        breaker.recordFailure();
        const qint64 openedAt = clock.nowMs();
        QCOMPARE(breaker.state(), BreakerState::Open);
        clock.advance(4999);
        QCOMPARE(breaker.state(), BreakerState::Open);
        QVERIFY(!breaker.allowRequest());
        clock.advance(1);
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        QCOMPARE(breaker.stateSinceMs(), openedAt + 5000);
        QVERIFY(breaker.allowRequest());
        QVERIFY(!breaker.allowRequest());
        QVERIFY(!breaker.allowRequest());
        QCOMPARE(breaker.state(), BreakerState::HalfOpen);
        clock.advance(300);
        breaker.recordSuccess();
        QCOMPARE(breaker.state(), BreakerState::Closed);
        QCOMPARE(breaker.stateSinceMs(), clock.nowMs());
        QVERIFY(breaker.allowRequest());
        QVERIFY(breaker.allowRequest());
    }

    void failedProbeReopensForAFullCooldown()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(1, 10000, 5000), clock);
        breaker.recordFailure();
        clock.advance(6000);
        QVERIFY(breaker.allowRequest());
        clock.advance(200);
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.openUntilMs(), clock.nowMs() + 5000);
        clock.advance(4999);
        QVERIFY(!breaker.allowRequest());
        clock.advance(1);
        QVERIFY(breaker.allowRequest());
    }

    void closedAfterProbeNeedsAFreshThreshold()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(2, 10000, 1000), clock);
        breaker.recordFailure();
        breaker.recordFailure();
        clock.advance(1000);
        QVERIFY(breaker.allowRequest());
        breaker.recordSuccess();
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Closed);
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Open);
    }

    void abandonedProbeAllowsAnother()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(1, 10000, 1000), clock);
        breaker.recordFailure();
        clock.advance(1000);
        QVERIFY(breaker.allowRequest());
        QVERIFY(!breaker.allowRequest());
        breaker.releaseProbe();
        QVERIFY(breaker.allowRequest());
    }

    void lateResultsWhileOpenAreIgnored()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(1, 10000, 5000), clock);
        breaker.recordFailure();
        clock.advance(100);
        breaker.recordSuccess();
        breaker.recordFailure();
        QCOMPARE(breaker.state(), BreakerState::Open);
        QCOMPARE(breaker.openUntilMs(), clock.nowMs() - 100 + 5000);
    }

    void thresholdZeroNeverOpens()
    {
        ScriptedClock clock;
        CircuitBreaker breaker(policy(0, 10000, 5000), clock);
        for (int i = 0; i < 1000; ++i) {
            breaker.recordFailure();
        }
        QCOMPARE(breaker.state(), BreakerState::Closed);
        QVERIFY(breaker.allowRequest());
    }
};

QTEST_APPLESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
