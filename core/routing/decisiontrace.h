#pragma once

#include "core/routing/attemptoutcome.h"
#include "core/routing/route.h"
#include "core/routing/routeplan.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>

#include <optional>

namespace Switchyard::Routing {

// The explanation of one request's routing: the plan (chosen and skipped targets with reasons)
// and every attempt with what came of it and what the router did next.
class DecisionTrace
{
public:
    enum class Next {
        Answered, // this attempt's answer went to the client (success, or an error not to fall back on)
        Retry, // the same target again after delayMs
        Fallback, // on to the plan's next target
        Exhausted, // a fallback condition, but no target or time was left: the error went to the client
    };

    struct Attempt
    {
        RouteTarget target;
        qint64 startedAtMs = 0; // since the request arrived
        AttemptOutcome outcome;
        std::optional<FallbackCondition> condition; // FallbackClassifier::classify(outcome)
        Next next = Next::Answered;
        qint64 delayMs = 0; // the wait before the retry (Next::Retry)

        friend bool operator==(const Attempt &, const Attempt &) = default;
    };

    DecisionTrace() = default;
    explicit DecisionTrace(RoutePlan plan);
    DecisionTrace(RoutePlan plan, QList<Attempt> attempts);

    const RoutePlan &plan() const { return m_plan; }
    const QList<Attempt> &attempts() const { return m_attempts; }
    void addAttempt(const Attempt &attempt) { m_attempts.append(attempt); }

    // One line for the x-switchyard-trace response header, e.g.
    // "smart fallback: openai/gpt-4o 503 http_5xx -> retry in 412ms; openai/gpt-4o 200 ok".
    // Skipped targets follow as "skipped TARGET (breaker_open)". Control characters become '?'.
    QByteArray toHeaderSummary() const;
    // Everything, for the ledger record. Provider error messages are left out (they may quote the prompt).
    QJsonObject toJson() const;

    friend bool operator==(const DecisionTrace &, const DecisionTrace &) = default;

private:
    RoutePlan m_plan;
    QList<Attempt> m_attempts;
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::DecisionTrace)
