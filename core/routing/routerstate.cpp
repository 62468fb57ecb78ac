#include "core/routing/routerstate.h"

#include "core/routing/clock.h"
#include "core/routing/fallbackclassifier.h"

#include <QLoggingCategory>

namespace Switchyard::Routing {

namespace {
Q_LOGGING_CATEGORY(lcRouterState, "switchyard.routing.routerstate")

BreakerTransition::Cause causeOf(BreakerState from, BreakerState to)
{
    switch (to) {
    case BreakerState::Open:
        return from == BreakerState::HalfOpen ? BreakerTransition::Cause::ProbeFailed
                                              : BreakerTransition::Cause::FailureThreshold;
    case BreakerState::HalfOpen:
        return BreakerTransition::Cause::CooldownEnded;
    case BreakerState::Closed:
        break;
    }
    // Also open -> closed: an answer after the cooldown, before half-open was reported, acted as the probe.
    return BreakerTransition::Cause::ProbeSucceeded;
}
} // namespace

RouterState::RouterState(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(&clock)
{
}

bool RouterState::attemptStarted(const QString &targetKey, const BreakerPolicy &policy)
{
    auto breaker = m_breakers.find(targetKey);
    if (breaker == m_breakers.end()) {
        breaker = m_breakers.insert(targetKey, CircuitBreaker(policy, *m_clock));
    } else {
        breaker->setPolicy(policy);
    }
    const bool allowed = breaker->allowRequest();
    reportBreaker(targetKey);
    if (allowed) {
        m_stats[targetKey].begin();
    }
    return allowed;
}

void RouterState::attemptFinished(const QString &targetKey, const AttemptOutcome &outcome)
{
    TargetStats &stats = m_stats[targetKey];
    stats.end();
    stats.record(outcome.latencyMs, outcome.succeeded(), m_clock->nowMs());

    const auto breaker = m_breakers.find(targetKey);
    if (breaker == m_breakers.end()) {
        return;
    }
    const auto condition = FallbackClassifier::classify(outcome);
    if (condition && FallbackClassifier::countsAgainstTarget(*condition)) {
        breaker->recordFailure();
    } else {
        // The target answered properly, even if the answer was a refusal of this request.
        breaker->recordSuccess();
    }
    reportBreaker(targetKey);
}

void RouterState::attemptAbandoned(const QString &targetKey)
{
    m_stats[targetKey].end();
    if (const auto breaker = m_breakers.find(targetKey); breaker != m_breakers.end()) {
        breaker->releaseProbe();
    }
}

TargetStats RouterState::stats(const QString &targetKey) const
{
    return m_stats.value(targetKey);
}

BreakerState RouterState::breakerState(const QString &targetKey) const
{
    const auto breaker = m_breakers.constFind(targetKey);
    return breaker == m_breakers.cend() ? BreakerState::Closed : breaker->state();
}

qint64 RouterState::breakerOpenUntilMs(const QString &targetKey) const
{
    const auto breaker = m_breakers.constFind(targetKey);
    if (breaker == m_breakers.cend() || breaker->state() != BreakerState::Open) {
        return -1;
    }
    return breaker->openUntilMs();
}

void RouterState::refreshBreakers()
{
    // Keys first: a slot connected to the signal may start an attempt and add a breaker.
    const QList<QString> keys = m_breakers.keys();
    for (const QString &key : keys) {
        reportBreaker(key);
    }
}

void RouterState::reportBreaker(const QString &targetKey)
{
    const CircuitBreaker &breaker = m_breakers.constFind(targetKey).value();
    const BreakerState now = breaker.state();
    const BreakerState before = m_reported.value(targetKey, BreakerState::Closed);
    if (now == before) {
        return;
    }
    m_reported.insert(targetKey, now);
    const BreakerTransition transition {
        targetKey, before, now, breaker.stateSinceMs(), causeOf(before, now), breaker.policy()};
    m_transitions.append(transition);
    if (m_transitions.size() > MaxTransitions) {
        m_transitions.removeFirst();
    }
    qCInfo(lcRouterState).noquote() << "breaker of" << targetKey << "is now" << CircuitBreaker::stateKey(now) << "("
                                    << transition.reason() << ")";
    emit breakerStateChanged(targetKey, now);
    emit breakerTransitioned(transition);
}

} // namespace Switchyard::Routing
