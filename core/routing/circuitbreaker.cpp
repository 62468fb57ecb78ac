#include "core/routing/circuitbreaker.h"

#include "core/routing/clock.h"
#include "core/routing/routingtr.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

// Whole seconds where the policy is written in them, milliseconds otherwise.
QString duration(qint64 ms)
{
    return ms % 1000 == 0 ? Tr::tr("%1 s").arg(ms / 1000) : Tr::tr("%1 ms").arg(ms);
}

} // namespace

QString BreakerTransition::reason() const
{
    switch (cause) {
    case Cause::FailureThreshold:
        return Tr::tr("%n failure(s) within %1", nullptr, policy.failureThreshold).arg(duration(policy.windowMs));
    case Cause::CooldownEnded:
        return Tr::tr("cooldown of %1 ended").arg(duration(policy.cooldownMs));
    case Cause::ProbeSucceeded:
        return Tr::tr("probe succeeded");
    case Cause::ProbeFailed:
        return Tr::tr("probe failed");
    }
    return {};
}

QLatin1StringView CircuitBreaker::stateKey(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return "closed"_L1;
    case BreakerState::Open:
        return "open"_L1;
    case BreakerState::HalfOpen:
        return "half_open"_L1;
    }
    return {};
}

CircuitBreaker::CircuitBreaker(const BreakerPolicy &policy, const Clock &clock)
    : m_policy(policy)
    , m_clock(&clock)
    , m_sinceMs(clock.nowMs())
{
}

BreakerState CircuitBreaker::state() const
{
    if (m_state == BreakerState::Open && m_clock->nowMs() >= openUntilMs()) {
        return BreakerState::HalfOpen;
    }
    return m_state;
}

qint64 CircuitBreaker::stateSinceMs() const
{
    if (m_state == BreakerState::Open && m_clock->nowMs() >= openUntilMs()) {
        return openUntilMs();
    }
    return m_sinceMs;
}

bool CircuitBreaker::allowRequest()
{
    settleCooldown();
    switch (m_state) {
    case BreakerState::Closed:
        return true;
    case BreakerState::Open:
        return false;
    case BreakerState::HalfOpen:
        if (m_probeOut) {
            return false;
        }
        m_probeOut = true;
        return true;
    }
    return false;
}

void CircuitBreaker::recordSuccess()
{
    settleCooldown();
    if (m_state == BreakerState::HalfOpen) {
        m_state = BreakerState::Closed;
        m_sinceMs = m_clock->nowMs();
        m_probeOut = false;
        m_failureTimesMs.clear();
    }
}

void CircuitBreaker::recordFailure()
{
    settleCooldown();
    const qint64 now = m_clock->nowMs();
    switch (m_state) {
    case BreakerState::Closed: {
        if (m_policy.failureThreshold <= 0) {
            return;
        }
        m_failureTimesMs.append(now);
        const qint64 windowStart = now - m_policy.windowMs;
        while (!m_failureTimesMs.isEmpty() && m_failureTimesMs.constFirst() <= windowStart) {
            m_failureTimesMs.removeFirst();
        }
        if (m_failureTimesMs.size() >= m_policy.failureThreshold) {
            open(now);
        }
        return;
    }
    case BreakerState::HalfOpen:
        open(now);
        return;
    case BreakerState::Open: // a late answer from before it opened: the cooldown stands
        return;
    }
}

void CircuitBreaker::releaseProbe()
{
    m_probeOut = false;
}

void CircuitBreaker::open(qint64 nowMs)
{
    m_state = BreakerState::Open;
    m_sinceMs = nowMs;
    m_openedAtMs = nowMs;
    m_probeOut = false;
    m_failureTimesMs.clear();
}

void CircuitBreaker::settleCooldown()
{
    if (m_state == BreakerState::Open && m_clock->nowMs() >= openUntilMs()) {
        m_state = BreakerState::HalfOpen;
        m_sinceMs = openUntilMs();
        m_probeOut = false;
    }
}

} // namespace Switchyard::Routing
