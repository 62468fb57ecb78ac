#pragma once

#include "core/routing/attemptoutcome.h"
#include "core/routing/circuitbreaker.h"
#include "core/routing/targetstats.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace Switchyard::Routing {

class Clock;

// The router's memory across requests: per-target statistics and circuit breakers, keyed by
// "provider/model" (RouteTarget::toString()). Lives in the gateway's thread; the planner reads it.
class RouterState final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RouterState)

public:
    // How many breaker transitions recentTransitions() keeps.
    static constexpr qsizetype MaxTransitions = 200;

    explicit RouterState(const Clock &clock, QObject *parent = nullptr);

    const Clock &clock() const { return *m_clock; }

    // Call before sending to a target, with the breaker policy of the route it was planned from.
    // False: its breaker refuses (open, or half-open with the probe already out); do not send,
    // move on, and do not call attemptFinished.
    [[nodiscard]] bool attemptStarted(const QString &targetKey, const BreakerPolicy &policy);
    // Exactly once per granted attemptStarted, when the attempt's outcome is known.
    void attemptFinished(const QString &targetKey, const AttemptOutcome &outcome);
    // A granted attempt ended without a verdict (the client went away): in-flight is released,
    // and a half-open breaker may send another probe.
    void attemptAbandoned(const QString &targetKey);

    TargetStats stats(const QString &targetKey) const;
    BreakerState breakerState(const QString &targetKey) const;
    // When an open breaker lets a probe through (Clock time); -1 when it is not open.
    qint64 breakerOpenUntilMs(const QString &targetKey) const;
    // Oldest first.
    const QList<BreakerTransition> &recentTransitions() const { return m_transitions; }

    // Reports breakers whose cooldown has passed as half-open; for a periodic timer when the
    // state is shown live (requests report it by themselves).
    void refreshBreakers();

signals:
    void breakerStateChanged(const QString &targetKey, Switchyard::Routing::BreakerState state);
    // The same change with where it came from and why (also kept in recentTransitions()).
    void breakerTransitioned(const Switchyard::Routing::BreakerTransition &transition);

private:
    void reportBreaker(const QString &targetKey);

    const Clock *m_clock = nullptr;
    QHash<QString, TargetStats> m_stats;
    QHash<QString, CircuitBreaker> m_breakers;
    QHash<QString, BreakerState> m_reported;
    QList<BreakerTransition> m_transitions;
};

} // namespace Switchyard::Routing
