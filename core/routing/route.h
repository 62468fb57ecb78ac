#pragma once

#include "core/model/result.h"

#include <QFlags>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <utility>

namespace Switchyard::Routing {

// Why a failed attempt may move on to the route's next target (each switchable per route).
// Single bits, as QFlags needs.
enum class FallbackCondition {
    Connect = 0x001,       // refused, unreachable, DNS or TLS failure
    Timeout = 0x002,       // no complete answer within the target's timeout
    TtftTimeout = 0x004,   // no first token within the target's time-to-first-token timeout
    Http408 = 0x008,
    Http409 = 0x010,
    Http429 = 0x020,
    Http5xx = 0x040,
    ContextWindow = 0x080, // the prompt does not fit the model (each provider words this differently)
    ContentPolicy = 0x100, // the provider refused the content
    Auth = 0x200,          // the provider rejected the credential (401/403)
};
Q_DECLARE_FLAGS(FallbackConditions, FallbackCondition)

// How a route orders its targets for one request.
enum class Strategy {
    Fallback,      // in the order written
    Weighted,      // random by weight, the rest following by weight
    LowestLatency, // by recent latency (EWMA), with some exploration
    LowestCost,    // by the request's estimated cost
    LeastBusy,     // by requests in flight
};

// One entry of a route: a provider's model, or (when `route` is set) another route.
struct RouteTarget
{
    RouteTarget() = default;
    RouteTarget(QString provider, QString model)
        : provider(std::move(provider))
        , model(std::move(model))
    {
    }

    QString provider;
    QString model; // may itself contain '/', e.g. "anthropic/claude-3.5-sonnet" on OpenRouter
    QString route; // nested route name; provider and model are then empty
    int weight = 1;
    int timeoutMs = 0;     // 0: the gateway's default
    int ttftTimeoutMs = 0; // 0: the gateway's default
    int retries = -1;      // -1: the route's retry policy
    QJsonObject params;    // request fields to override, e.g. {"temperature": 0.2}

    bool isNested() const { return !route.isEmpty(); }
    // "provider/model": the provider is everything before the first '/'.
    static Result<RouteTarget> parse(const QString &text);
    // "provider/model", or "route:name" for a nested route.
    QString toString() const;
    friend bool operator==(const RouteTarget &, const RouteTarget &) = default;
};

struct RetryPolicy
{
    int maxRetries = 0;    // retries of the same target before moving on
    int baseDelayMs = 500; // exponential backoff with full jitter, capped by maxDelayMs
    int maxDelayMs = 8000;
    friend bool operator==(const RetryPolicy &, const RetryPolicy &) = default;
};

struct BreakerPolicy
{
    int failureThreshold = 5; // failures within windowMs that open the breaker (0: never)
    int windowMs = 60000;
    int cooldownMs = 30000;   // open this long, then one probe request (half-open)
    friend bool operator==(const BreakerPolicy &, const BreakerPolicy &) = default;
};

// A named model alias clients call, with how it chooses and falls back among its targets.
struct Route
{
    Route() = default;
    Route(QString name, QList<RouteTarget> targets)
        : name(std::move(name))
        , targets(std::move(targets))
    {
    }

    QString name; // never contains '/', never equal to a provider id
    QList<RouteTarget> targets;
    Strategy strategy = Strategy::Fallback;
    FallbackConditions fallbackOn = defaultFallbackConditions();
    RetryPolicy retry;
    BreakerPolicy breaker;
    int deadlineMs = 0; // whole request incl. retries and fallbacks; 0: none beyond the timeouts

    static FallbackConditions defaultFallbackConditions()
    {
        return FallbackConditions(FallbackCondition::Connect) | FallbackCondition::Timeout
            | FallbackCondition::TtftTimeout | FallbackCondition::Http429 | FallbackCondition::Http5xx;
    }
    friend bool operator==(const Route &, const Route &) = default;
};

} // namespace Switchyard::Routing

Q_DECLARE_OPERATORS_FOR_FLAGS(Switchyard::Routing::FallbackConditions)

Q_DECLARE_METATYPE(Switchyard::Routing::RouteTarget)
Q_DECLARE_METATYPE(Switchyard::Routing::Route)
