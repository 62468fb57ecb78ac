#include "core/routing/decisiontrace.h"

#include "core/routing/fallbackclassifier.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

QLatin1StringView strategyKey(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Fallback:
        return "fallback"_L1;
    case Strategy::Weighted:
        return "weighted"_L1;
    case Strategy::LowestLatency:
        return "lowest_latency"_L1;
    case Strategy::LowestCost:
        return "lowest_cost"_L1;
    case Strategy::LeastBusy:
        return "least_busy"_L1;
    }
    return {};
}

QLatin1StringView transportKey(AttemptOutcome::Transport transport)
{
    switch (transport) {
    case AttemptOutcome::Transport::None:
        return {};
    case AttemptOutcome::Transport::Connect:
        return "connect"_L1;
    case AttemptOutcome::Transport::Timeout:
        return "timeout"_L1;
    case AttemptOutcome::Transport::TtftTimeout:
        return "ttft_timeout"_L1;
    case AttemptOutcome::Transport::Reset:
        return "reset"_L1;
    case AttemptOutcome::Transport::InvalidResponse:
        return "invalid_response"_L1;
    }
    return {};
}

QLatin1StringView nextKey(DecisionTrace::Next next)
{
    switch (next) {
    case DecisionTrace::Next::Answered:
        return "answered"_L1;
    case DecisionTrace::Next::Retry:
        return "retry"_L1;
    case DecisionTrace::Next::Fallback:
        return "fallback"_L1;
    case DecisionTrace::Next::Exhausted:
        return "exhausted"_L1;
    }
    return {};
}

QLatin1StringView skipKey(SkippedTarget::Why why)
{
    switch (why) {
    case SkippedTarget::Why::BreakerOpen:
        return "breaker_open"_L1;
    case SkippedTarget::Why::ContextWindow:
        return "context_window"_L1;
    case SkippedTarget::Why::NestedRoute:
        return "nested_route"_L1;
    case SkippedTarget::Why::OverBudget:
        return "over_budget"_L1;
    case SkippedTarget::Why::RateLimited:
        return "rate_limited"_L1;
    }
    return {};
}

// Header values must not carry control characters (CR/LF would end the header).
QByteArray headerSafe(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    for (char &c : bytes) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = '?';
        }
    }
    return bytes;
}

QByteArray attemptSummary(const DecisionTrace::Attempt &attempt)
{
    QByteArray text = headerSafe(attempt.target.toString());
    if (attempt.outcome.httpStatus > 0) {
        text += ' ' + QByteArray::number(attempt.outcome.httpStatus);
    }
    if (attempt.outcome.transport != AttemptOutcome::Transport::None) {
        text += ' ' + QByteArray(transportKey(attempt.outcome.transport).data());
    } else if (attempt.condition) {
        text += ' ' + QByteArray(FallbackClassifier::key(*attempt.condition).data());
    } else {
        text += attempt.outcome.succeeded() ? " ok"_ba : " error"_ba;
    }
    switch (attempt.next) {
    case DecisionTrace::Next::Answered:
        break;
    case DecisionTrace::Next::Retry:
        text += " -> retry in "_ba + QByteArray::number(attempt.delayMs) + "ms"_ba;
        break;
    case DecisionTrace::Next::Fallback:
        text += " -> fallback"_ba;
        break;
    case DecisionTrace::Next::Exhausted:
        text += " -> no target left"_ba;
        break;
    }
    return text;
}

} // namespace

DecisionTrace::DecisionTrace(RoutePlan plan)
    : m_plan(std::move(plan))
{
}

QByteArray DecisionTrace::toHeaderSummary() const
{
    QByteArray text = m_plan.routeName.isEmpty()
        ? "direct"_ba
        : QByteArray(headerSafe(m_plan.routeName) + ' ' + QByteArray(strategyKey(m_plan.strategy).data()));
    text += ": "_ba;
    QByteArrayList parts;
    for (const Attempt &attempt : m_attempts) {
        parts.append(attemptSummary(attempt));
    }
    if (parts.isEmpty()) {
        parts.append("no attempts"_ba);
    }
    for (const SkippedTarget &skipped : m_plan.skipped) {
        parts.append("skipped "_ba + headerSafe(skipped.target.toString()) + " ("_ba
            + QByteArray(skipKey(skipped.why).data()) + ')');
    }
    return text + parts.join("; "_ba);
}

QJsonObject DecisionTrace::toJson() const
{
    QJsonArray planned;
    for (const PlannedTarget &target : m_plan.targets) {
        planned.append(QJsonObject {
            {u"target"_s, target.target.toString()}, {u"route"_s, target.route}, {u"reason"_s, target.reason}});
    }
    QJsonArray skipped;
    for (const SkippedTarget &target : m_plan.skipped) {
        skipped.append(QJsonObject {{u"target"_s, target.target.toString()}, {u"route"_s, target.route},
            {u"why"_s, skipKey(target.why)}, {u"reason"_s, target.reason}});
    }
    QJsonArray attempts;
    for (const Attempt &attempt : m_attempts) {
        QJsonObject object {{u"target"_s, attempt.target.toString()}, {u"startedAtMs"_s, attempt.startedAtMs},
            {u"latencyMs"_s, attempt.outcome.latencyMs}, {u"status"_s, attempt.outcome.httpStatus},
            {u"next"_s, nextKey(attempt.next)}};
        if (attempt.outcome.transport != AttemptOutcome::Transport::None) {
            object.insert(u"transport"_s, transportKey(attempt.outcome.transport));
        }
        if (!attempt.outcome.errorType.isEmpty()) {
            object.insert(u"errorType"_s, attempt.outcome.errorType);
        }
        if (!attempt.outcome.errorCode.isEmpty()) {
            object.insert(u"errorCode"_s, attempt.outcome.errorCode);
        }
        if (attempt.condition) {
            object.insert(u"condition"_s, FallbackClassifier::key(*attempt.condition));
        }
        if (attempt.next == Next::Retry) {
            object.insert(u"delayMs"_s, attempt.delayMs);
        }
        attempts.append(object);
    }
    return QJsonObject {{u"route"_s, m_plan.routeName}, {u"strategy"_s, strategyKey(m_plan.strategy)},
        {u"planned"_s, planned}, {u"skipped"_s, skipped}, {u"attempts"_s, attempts}};
}

} // namespace Switchyard::Routing
