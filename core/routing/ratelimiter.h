#pragma once

#include "core/model/result.h"
#include "core/routing/budget.h"

#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <functional>
#include <limits>
#include <optional>

namespace Switchyard::Routing {

// Requests-per-minute and tokens-per-minute limits per local key and per provider/model target,
// over a sliding window of the last 60 seconds (kept as one bucket per second). A request is
// admitted only if it fits every limit that applies; it then counts one request and its estimated
// tokens, corrected with recordTokens() once the actual count is known.
// Single-threaded: use it from the thread that owns it.
class RateLimiter
{
public:
    // Monotonic milliseconds, e.g. [&clock] { return clock.nowMs(); } for a Routing::Clock.
    using NowMs = std::function<qint64()>;

    static constexpr int WindowSeconds = 60;

    // What admit() counted, to correct with recordTokens().
    struct Admission
    {
        QString keyName;
        QString targetKey;
        qint64 second = 0; // the bucket the request was counted in (clock seconds)
        qint64 estimatedTokens = 0;
    };

    // Why admit() refused, for the 429 response and its Retry-After header.
    struct Refusal
    {
        enum class Kind {
            Requests,
            Tokens,
        };

        RateLimit limit;
        Kind kind = Kind::Requests;
        qint64 inWindow = 0; // requests or tokens counted in the last 60 seconds
        // Seconds until the request would fit; -1 when it never will (it alone needs more tokens
        // than the limit allows per minute).
        int retryAfterSeconds = 0;
    };

    // The default reads the steady system clock.
    explicit RateLimiter(NowMs nowMs = {});

    // Replaces the limits; counts of a key or target that keeps a limit are kept.
    void setLimits(const QList<RateLimit> &limits);
    QList<RateLimit> limits() const { return m_limits; }

    // targetKey is "provider/model". Empty names match no limit.
    Result<Admission> admit(
        const QString &keyName, const QString &targetKey, qint64 estimatedTokens, Refusal *refusal = nullptr);
    // Replaces the admission's estimate with the tokens actually used (no effect once its second
    // has left the window).
    void recordTokens(const Admission &admission, qint64 actualTokens);

private:
    struct Bucket
    {
        qint64 second = std::numeric_limits<qint64>::min(); // none yet
        qint64 requests = 0;
        qint64 tokens = 0;
    };
    using Ring = std::array<Bucket, WindowSeconds>;

    static QString subject(RateLimit::Scope scope, const QString &name);
    static Bucket &slot(Ring &ring, qint64 second);
    qint64 nowMs();
    std::optional<Refusal> check(const RateLimit &limit, const Ring &ring, qint64 nowMs, qint64 tokens) const;

    NowMs m_clock;
    QList<RateLimit> m_limits;
    QHash<QString, Ring> m_rings; // by subject()
    qint64 m_lastMs = std::numeric_limits<qint64>::min(); // an injected clock is not trusted to run forwards
};

} // namespace Switchyard::Routing
