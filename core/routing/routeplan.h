#pragma once

#include "core/routing/route.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Switchyard::Routing {

// A target the request will try, with why it sits at its position.
struct PlannedTarget
{
    RouteTarget target;
    QString route; // the (possibly nested) route it came from; empty for a direct provider/model
    BreakerPolicy breaker; // that route's breaker policy, for RouterState::attemptStarted
    QString reason; // e.g. "weighted pick (weight 3 of 5)"; translated

    friend bool operator==(const PlannedTarget &, const PlannedTarget &) = default;
};

// A target left out of the plan, and why.
struct SkippedTarget
{
    enum class Why {
        BreakerOpen,
        ContextWindow, // the model's window is smaller than the estimated prompt
        NestedRoute, // a nested route that is undefined, part of a cycle or nested too deep
        OverBudget,  // the target's provider has no budget left
        RateLimited, // the target is over its requests- or tokens-per-minute limit
    };

    RouteTarget target;
    QString route;
    Why why = Why::BreakerOpen;
    QString reason; // e.g. "context window 8192 < estimated prompt 12000 tokens"; translated

    friend bool operator==(const SkippedTarget &, const SkippedTarget &) = default;
};

// Everything decided before the first byte goes upstream: the order to try targets in and the
// policies of the route the client named (they govern the whole request, nested routes included).
struct RoutePlan
{
    QString routeName; // empty when the client named "provider/model" directly
    Strategy strategy = Strategy::Fallback;
    FallbackConditions fallbackOn = Route::defaultFallbackConditions();
    RetryPolicy retry;
    int deadlineMs = 0;
    QList<PlannedTarget> targets; // may be empty when every target was skipped
    QList<SkippedTarget> skipped;

    friend bool operator==(const RoutePlan &, const RoutePlan &) = default;
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::RoutePlan)
