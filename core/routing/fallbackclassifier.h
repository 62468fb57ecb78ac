#pragma once

#include "core/routing/attemptoutcome.h"
#include "core/routing/route.h"

#include <QLatin1StringView>

#include <optional>

namespace Switchyard::Routing {

// Decides which fallback condition (if any) a failed attempt falls under, recognising each
// provider's wording. No condition means the answer goes back to the client unchanged.
class FallbackClassifier
{
public:
    static std::optional<FallbackCondition> classify(const AttemptOutcome &outcome);
    // Whether trying the same target again can help (transient failures).
    static bool isRetryableOnSameTarget(FallbackCondition condition);
    // Whether the failure says the target is unhealthy (counts toward its circuit breaker),
    // as opposed to something about this particular request.
    static bool countsAgainstTarget(FallbackCondition condition);
    // Stable snake_case key for traces, the ledger and metrics, e.g. "http_5xx".
    static QLatin1StringView key(FallbackCondition condition);
};

} // namespace Switchyard::Routing
