#pragma once

#include "core/model/money.h"
#include "core/routing/budgetbook.h"
#include "core/routing/decisiontrace.h"
#include "core/routing/ratelimiter.h"
#include "core/routing/routeplan.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace Switchyard::Routing {

class RandomSource;
class RouterState;

// Carries one request through its plan, deciding without doing any I/O: which target to try
// next (asking its circuit breaker, its provider's budget and its rate limits), whether a
// failure is retried on the same target, falls back to the next one, or goes back to the client,
// and what the decision trace says. The gateway executes the attempts over the network; the
// rehearsal executes them against a scripted scenario, so both follow the same rules.
class RoutingSession
{
public:
    struct Context
    {
        RouterState *state = nullptr;
        RandomSource *random = nullptr;
        BudgetBook *budgets = nullptr;   // optional
        RateLimiter *limiter = nullptr;  // optional
        QString keyName;
        qint64 startedAtMs = 0;          // the router's Clock when the request arrived
        Money estimatedCost;             // held against the budgets per attempt
        qint64 estimatedTokens = 0;      // counted against tokens-per-minute limits
    };

    // One attempt to carry out.
    struct Attempt
    {
        PlannedTarget planned;
        int retryIndex = 0; // 0: first try of this target
    };

    // Why no attempt can be made: the request's own key or route is out of budget or over its
    // rate limit (the client gets a 429 saying which), or every target was used or passed over.
    struct Refusal
    {
        enum class Kind {
            Budget,
            RateLimit,
            NoTargetLeft,
        };
        Kind kind = Kind::NoTargetLeft;
        QString message;         // translated, names the budget or limit and when it resets
        int retryAfterSeconds = 0;
    };

    enum class Verdict {
        Answer,   // pass this attempt's answer (success or error) to the client
        Retry,    // wait delayMs, then call next() for the same target
        Fallback, // call next() for the plan's next target
    };

    RoutingSession(RoutePlan plan, Context context);

    // The next attempt, or nullopt with refusal() set.
    std::optional<Attempt> next(qint64 nowMs);
    // Must follow every attempt next() returned. `cost` is what the attempt is charged (the
    // caller's default for an unknown price, zero when nothing was generated).
    Verdict finish(const AttemptOutcome &outcome, Money cost, qint64 tokens, qint64 nowMs, qint64 nowEpochMs,
                   QByteArrayView retryAfter = {}, QByteArrayView retryAfterMs = {});
    // The attempt in progress was abandoned (client gone, shutdown): nothing is judged or charged.
    void abandon();

    qint64 delayMs() const { return m_delayMs; }
    const std::optional<Refusal> &refusal() const { return m_refusal; }
    const RoutePlan &plan() const { return m_plan; }
    int attemptCount() const { return int(m_attempts.size()); }
    DecisionTrace trace() const;

private:
    bool hasTargetsLeft() const { return m_nextIndex < m_plan.targets.size(); }
    bool admitKey();
    bool admit(const PlannedTarget &planned);
    void skip(const PlannedTarget &planned, SkippedTarget::Why why, const QString &reason);

    RoutePlan m_plan;
    Context m_context;
    qsizetype m_nextIndex = 0;
    std::optional<Attempt> m_current;      // granted by next(), not yet finished
    std::optional<Attempt> m_retry;        // the attempt next() should repeat
    qint64 m_currentStartedMs = 0;
    BudgetBook::Reservation m_reservation;
    std::optional<RateLimiter::Admission> m_keyAdmission;    // once per request
    std::optional<RateLimiter::Admission> m_targetAdmission; // per attempt
    bool m_keyChecked = false;
    QList<DecisionTrace::Attempt> m_attempts;
    std::optional<Refusal> m_refusal;
    qint64 m_delayMs = 0;
};

} // namespace Switchyard::Routing
