#pragma once

#include "core/routing/route.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Switchyard::Routing {

class Clock;

enum class BreakerState {
    Closed, // requests flow; failures are counted
    Open, // the target is skipped until the cooldown ends
    HalfOpen, // one probe request decides: success closes, failure opens again
};

// One observed change of a target's breaker, kept for explanations and the GUI's history.
struct BreakerTransition
{
    enum class Cause {
        FailureThreshold, // closed -> open: policy.failureThreshold failures within policy.windowMs
        CooldownEnded, // open -> half-open: the next request is the probe
        ProbeSucceeded, // -> closed
        ProbeFailed, // half-open -> open
    };

    QString targetKey;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    qint64 atMs = 0; // Clock::nowMs() time of the change
    Cause cause = Cause::FailureThreshold;
    BreakerPolicy policy; // in force at the change

    // Why, for a person, e.g. "5 failures within 60 s" or "probe succeeded"; translated.
    QString reason() const;

    friend bool operator==(const BreakerTransition &, const BreakerTransition &) = default;
};

// A per-target circuit breaker: failureThreshold failures within windowMs open it for cooldownMs;
// then exactly one probe is let through. Time comes from the injected clock, so the state turns
// half-open by itself when the cooldown has passed (state() reports that without a call).
class CircuitBreaker
{
public:
    CircuitBreaker(const BreakerPolicy &policy, const Clock &clock);

    void setPolicy(const BreakerPolicy &policy) { m_policy = policy; }
    const BreakerPolicy &policy() const { return m_policy; }

    // "closed", "open" or "half_open": stable keys for logs and the ledger.
    static QLatin1StringView stateKey(BreakerState state);

    BreakerState state() const;
    // When the current state began (for Open past its cooldown: when the cooldown ended).
    qint64 stateSinceMs() const;
    // When an open breaker lets its probe through; meaningful while state() is Open.
    qint64 openUntilMs() const { return m_openedAtMs + m_policy.cooldownMs; }

    // Asks to send a request now. Half-open grants this once until the probe's verdict arrives.
    bool allowRequest();
    void recordSuccess();
    void recordFailure();
    // The probe was abandoned without a verdict (e.g. the client went away): allow another.
    void releaseProbe();

private:
    void open(qint64 nowMs);
    void settleCooldown();

    BreakerPolicy m_policy;
    const Clock *m_clock = nullptr;
    BreakerState m_state = BreakerState::Closed;
    qint64 m_sinceMs = 0;
    qint64 m_openedAtMs = 0;
    bool m_probeOut = false;
    QList<qint64> m_failureTimesMs; // failures within the window, oldest first (Closed only)
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::BreakerState)
Q_DECLARE_METATYPE(Switchyard::Routing::BreakerTransition)
