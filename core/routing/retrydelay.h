#pragma once

#include "core/routing/route.h"

#include <QByteArrayView>

namespace Switchyard::Routing {

class RandomSource;

// How long to wait before retrying the same target.
class RetryDelay
{
public:
    // A server-given delay longer than this is ignored in favour of the backoff (as the OpenAI and
    // Anthropic SDKs do): the route would rather fall back than sit idle.
    static constexpr qint64 MaxServerDelayMs = 60000;

    // The server's wish when usable: `retry-after-ms` (milliseconds), else `Retry-After` (seconds or
    // an HTTP-date, relative to nowEpochMs). Otherwise exponential backoff with full jitter:
    // uniform(0, min(maxDelayMs, baseDelayMs * 2^retryIndex)), retryIndex counting from 0.
    static qint64 delayMs(int retryIndex, const RetryPolicy &policy, RandomSource &random,
        QByteArrayView retryAfterHeader, QByteArrayView retryAfterMsHeader, qint64 nowEpochMs);

    // Whether a retry that waits delayMs, elapsedMs into the request, still starts before the
    // route's deadline (deadlineMs 0: no deadline).
    static bool fitsDeadline(qint64 delayMs, qint64 elapsedMs, int deadlineMs);
};

} // namespace Switchyard::Routing
