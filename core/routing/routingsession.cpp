#include "core/routing/routingsession.h"

#include "core/routing/fallbackclassifier.h"
#include "core/routing/retrydelay.h"
#include "core/routing/routerstate.h"
#include "core/routing/routingtr.h"

#include <QDateTime>

namespace Switchyard::Routing {

namespace {
int secondsUntil(const QDateTime &now, const QDateTime &when)
{
    return int(qMax<qint64>(1, now.secsTo(when)));
}
} // namespace

RoutingSession::RoutingSession(RoutePlan plan, Context context)
    : m_plan(std::move(plan))
    , m_context(std::move(context))
{
}

std::optional<RoutingSession::Attempt> RoutingSession::next(qint64 nowMs)
{
    m_refusal.reset();
    if (!admitKey()) {
        return std::nullopt;
    }
    while (true) {
        Attempt attempt;
        if (m_retry) {
            attempt = *m_retry;
            m_retry.reset();
        } else if (hasTargetsLeft()) {
            attempt.planned = m_plan.targets.at(m_nextIndex++);
        } else {
            if (!m_attempts.isEmpty() && m_attempts.last().next == DecisionTrace::Next::Fallback) {
                m_attempts.last().next = DecisionTrace::Next::Exhausted;
            }
            m_refusal = Refusal{Refusal::Kind::NoTargetLeft,
                                Tr::tr("No target of the route could be tried; the ones left were passed over (see "
                                       "the trace)."),
                                0};
            return std::nullopt;
        }
        if (m_plan.deadlineMs > 0 && nowMs - m_context.startedAtMs >= m_plan.deadlineMs) {
            m_refusal = Refusal{Refusal::Kind::NoTargetLeft,
                                Tr::tr("The route's deadline of %1 ms passed before another target could be tried.")
                                    .arg(m_plan.deadlineMs),
                                0};
            return std::nullopt;
        }
        if (admit(attempt.planned)) {
            m_current = attempt;
            m_currentStartedMs = nowMs;
            return attempt;
        }
        if (m_refusal) {
            return std::nullopt;
        }
    }
}

bool RoutingSession::admitKey()
{
    // The key's requests-per-minute count the client's request once, however many attempts it takes.
    if (m_keyChecked || m_context.limiter == nullptr) {
        return true;
    }
    RateLimiter::Refusal refusal;
    auto admission = m_context.limiter->admit(m_context.keyName, QString(), m_context.estimatedTokens, &refusal);
    if (!admission) {
        m_refusal = Refusal{Refusal::Kind::RateLimit, admission.errorMessage(), refusal.retryAfterSeconds};
        return false;
    }
    m_keyChecked = true;
    m_keyAdmission = admission.value();
    return true;
}

bool RoutingSession::admit(const PlannedTarget &planned)
{
    const QString targetKey = planned.target.toString();
    // Each check below undoes the ones before it when it refuses, so a refused target holds
    // nothing: no breaker probe, no budget reservation, no rate-limit count.
    if (!m_context.state->attemptStarted(targetKey, planned.breaker)) {
        skip(planned, SkippedTarget::Why::BreakerOpen, Tr::tr("circuit breaker open"));
        return false;
    }
    if (m_context.budgets != nullptr) {
        BudgetBook::Refusal refusal;
        auto reservation = m_context.budgets->reserve(m_context.keyName, m_plan.routeName, planned.target.provider,
                                                      m_context.estimatedCost, &refusal);
        if (!reservation) {
            m_context.state->attemptAbandoned(targetKey);
            if (refusal.budget.scope == Budget::Scope::Provider) {
                skip(planned, SkippedTarget::Why::OverBudget, reservation.errorMessage());
                return false;
            }
            m_refusal = Refusal{Refusal::Kind::Budget, reservation.errorMessage(), secondsUntil(m_context.budgets->now(), refusal.resetsAt)};
            return false;
        }
        m_reservation = reservation.value();
    }
    if (m_context.limiter != nullptr) {
        RateLimiter::Refusal refusal;
        auto admission = m_context.limiter->admit(QString(), targetKey, m_context.estimatedTokens, &refusal);
        if (!admission) {
            m_context.state->attemptAbandoned(targetKey);
            if (m_context.budgets != nullptr) {
                m_context.budgets->release(m_reservation);
                m_reservation = {};
            }
            skip(planned, SkippedTarget::Why::RateLimited, admission.errorMessage());
            return false;
        }
        m_targetAdmission = admission.value();
    }
    return true;
}

void RoutingSession::skip(const PlannedTarget &planned, SkippedTarget::Why why, const QString &reason)
{
    SkippedTarget skipped;
    skipped.target = planned.target;
    skipped.route = planned.route;
    skipped.why = why;
    skipped.reason = reason;
    m_plan.skipped.append(skipped);
}

RoutingSession::Verdict RoutingSession::finish(const AttemptOutcome &outcome, Money cost, qint64 tokens, qint64 nowMs,
                                               qint64 nowEpochMs, QByteArrayView retryAfter,
                                               QByteArrayView retryAfterMs)
{
    Q_ASSERT(m_current);
    const Attempt attempt = *m_current;
    m_current.reset();
    m_context.state->attemptFinished(attempt.planned.target.toString(), outcome);
    if (m_context.budgets != nullptr && m_reservation.isValid()) {
        if (cost.isZero()) {
            m_context.budgets->release(m_reservation);
        } else {
            m_context.budgets->settle(m_reservation, cost);
        }
        m_reservation = {};
    }
    if (m_context.limiter != nullptr && m_targetAdmission) {
        m_context.limiter->recordTokens(*m_targetAdmission, tokens);
        m_targetAdmission.reset();
        if (m_keyAdmission && outcome.succeeded()) {
            m_context.limiter->recordTokens(*m_keyAdmission, tokens);
        }
    }

    DecisionTrace::Attempt traced;
    traced.target = attempt.planned.target;
    traced.startedAtMs = m_currentStartedMs - m_context.startedAtMs;
    traced.outcome = outcome;
    const auto answer = [&] {
        traced.next = DecisionTrace::Next::Answered;
        m_attempts.append(traced);
        return Verdict::Answer;
    };
    if (outcome.succeeded()) {
        return answer();
    }
    traced.condition = FallbackClassifier::classify(outcome);
    if (!traced.condition || !m_plan.fallbackOn.testFlag(*traced.condition)) {
        return answer(); // not a failure this route falls back on: the client gets it as it is
    }
    const int maxRetries = attempt.planned.target.retries >= 0 ? attempt.planned.target.retries : m_plan.retry.maxRetries;
    if (FallbackClassifier::isRetryableOnSameTarget(*traced.condition) && attempt.retryIndex < maxRetries) {
        const qint64 delay = RetryDelay::delayMs(attempt.retryIndex, m_plan.retry, *m_context.random, retryAfter,
                                                 retryAfterMs, nowEpochMs);
        if (RetryDelay::fitsDeadline(delay, nowMs - m_context.startedAtMs, m_plan.deadlineMs)) {
            traced.next = DecisionTrace::Next::Retry;
            traced.delayMs = delay;
            m_attempts.append(traced);
            m_retry = Attempt{attempt.planned, attempt.retryIndex + 1};
            m_delayMs = delay;
            return Verdict::Retry;
        }
    }
    const bool timeLeft = m_plan.deadlineMs <= 0 || nowMs - m_context.startedAtMs < m_plan.deadlineMs;
    if (hasTargetsLeft() && timeLeft) {
        traced.next = DecisionTrace::Next::Fallback;
        m_attempts.append(traced);
        return Verdict::Fallback;
    }
    traced.next = DecisionTrace::Next::Exhausted;
    m_attempts.append(traced);
    return Verdict::Answer;
}

void RoutingSession::abandon()
{
    if (!m_current) {
        return;
    }
    m_context.state->attemptAbandoned(m_current->planned.target.toString());
    if (m_context.budgets != nullptr && m_reservation.isValid()) {
        m_context.budgets->release(m_reservation);
        m_reservation = {};
    }
    m_current.reset();
}

DecisionTrace RoutingSession::trace() const
{
    return DecisionTrace(m_plan, m_attempts);
}

} // namespace Switchyard::Routing
