#include "core/routing/ratelimiter.h"

#include "core/routing/routingtr.h"

#include <QDeadlineTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

qint64 secondOf(qint64 ms)
{
    return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

bool inWindow(qint64 bucketSecond, qint64 nowSecond)
{
    return bucketSecond > nowSecond - RateLimiter::WindowSeconds;
}

QString describe(const RateLimit &limit)
{
    switch (limit.scope) {
    case RateLimit::Scope::Key:
        return Tr::tr("key \"%1\"").arg(limit.name);
    case RateLimit::Scope::Target:
        break;
    }
    return Tr::tr("target \"%1\"").arg(limit.name);
}

QString refusalMessage(const RateLimiter::Refusal &refusal, qint64 estimatedTokens)
{
    if (refusal.kind == RateLimiter::Refusal::Kind::Requests) {
        return Tr::tr("Rate limit for %1 reached: %2 requests per minute; retry after %3 s.")
            .arg(describe(refusal.limit), QString::number(refusal.limit.requestsPerMinute),
                QString::number(refusal.retryAfterSeconds));
    }
    if (refusal.retryAfterSeconds < 0) {
        return Tr::tr("The request needs about %1 tokens, more than the %2 tokens per minute allowed for %3; raise "
                      "the limit under \"limits\" in the workspace.")
            .arg(QString::number(estimatedTokens), QString::number(refusal.limit.tokensPerMinute),
                describe(refusal.limit));
    }
    return Tr::tr("Token limit for %1 reached: %2 tokens per minute (%3 used in the last minute, this request needs "
                  "about %4); retry after %5 s.")
        .arg(describe(refusal.limit), QString::number(refusal.limit.tokensPerMinute), QString::number(refusal.inWindow),
            QString::number(estimatedTokens), QString::number(refusal.retryAfterSeconds));
}

} // namespace

RateLimiter::RateLimiter(NowMs nowMs)
    : m_clock(nowMs ? std::move(nowMs) : [] { return QDeadlineTimer::current(Qt::PreciseTimer).deadline(); })
{
}

void RateLimiter::setLimits(const QList<RateLimit> &limits)
{
    m_limits = limits;
    QHash<QString, Ring> kept;
    for (const RateLimit &limit : limits) {
        const QString key = subject(limit.scope, limit.name);
        const auto ring = m_rings.constFind(key);
        kept.insert(key, ring == m_rings.constEnd() ? Ring {} : *ring);
    }
    m_rings = std::move(kept);
}

Result<RateLimiter::Admission> RateLimiter::admit(
    const QString &keyName, const QString &targetKey, qint64 estimatedTokens, Refusal *refusal)
{
    const qint64 now = nowMs();
    estimatedTokens = std::max<qint64>(estimatedTokens, 0);
    QList<Ring *> rings;
    for (const RateLimit &limit : std::as_const(m_limits)) {
        const QString &name = limit.scope == RateLimit::Scope::Key ? keyName : targetKey;
        if (name.isEmpty() || limit.name != name) {
            continue;
        }
        Ring &ring = m_rings[subject(limit.scope, limit.name)];
        if (const std::optional<Refusal> refused = check(limit, ring, now, estimatedTokens)) {
            if (refusal) {
                *refusal = *refused;
            }
            return Result<Admission>::failure(refusalMessage(*refused, estimatedTokens));
        }
        rings.append(&ring);
    }

    const qint64 second = secondOf(now);
    for (Ring *ring : std::as_const(rings)) {
        Bucket &bucket = slot(*ring, second);
        if (bucket.second != second) {
            bucket = Bucket {second, 0, 0};
        }
        bucket.requests += 1;
        bucket.tokens += estimatedTokens;
    }
    return Admission {keyName, targetKey, second, estimatedTokens};
}

void RateLimiter::recordTokens(const Admission &admission, qint64 actualTokens)
{
    const qint64 nowSecond = secondOf(nowMs());
    if (!inWindow(admission.second, nowSecond)) {
        return;
    }
    const qint64 correction = std::max<qint64>(actualTokens, 0) - admission.estimatedTokens;
    for (const RateLimit &limit : std::as_const(m_limits)) {
        const QString &name = limit.scope == RateLimit::Scope::Key ? admission.keyName : admission.targetKey;
        if (name.isEmpty() || limit.name != name) {
            continue;
        }
        Ring &ring = m_rings[subject(limit.scope, limit.name)];
        Bucket &bucket = slot(ring, admission.second);
        // The bucket may have been reused for a later second only if the admission left the window.
        if (bucket.second == admission.second) {
            bucket.tokens = std::max<qint64>(bucket.tokens + correction, 0);
        }
    }
}

QString RateLimiter::subject(RateLimit::Scope scope, const QString &name)
{
    return (scope == RateLimit::Scope::Key ? u"key:"_s : u"target:"_s) + name;
}

RateLimiter::Bucket &RateLimiter::slot(Ring &ring, qint64 second)
{
    return ring[size_t(((second % WindowSeconds) + WindowSeconds) % WindowSeconds)];
}

qint64 RateLimiter::nowMs()
{
    m_lastMs = std::max(m_lastMs, m_clock());
    return m_lastMs;
}

std::optional<RateLimiter::Refusal> RateLimiter::check(
    const RateLimit &limit, const Ring &ring, qint64 nowMs, qint64 tokens) const
{
    const qint64 nowSecond = secondOf(nowMs);
    std::array<const Bucket *, WindowSeconds> live {};
    size_t liveCount = 0;
    qint64 requests = 0;
    qint64 used = 0;
    for (const Bucket &bucket : ring) {
        if (inWindow(bucket.second, nowSecond)) {
            live[liveCount++] = &bucket;
            requests += bucket.requests;
            used += bucket.tokens;
        }
    }
    std::sort(live.begin(), live.begin() + qsizetype(liveCount),
        [](const Bucket *a, const Bucket *b) { return a->second < b->second; });

    // The request fits once enough of the oldest buckets have left the window to make room.
    const auto retryAfter = [&](qint64 excess, auto count) {
        qint64 freed = 0;
        for (size_t i = 0; i < liveCount; ++i) {
            freed += count(*live[i]);
            if (freed >= excess) {
                const qint64 leavesAtMs = (live[i]->second + WindowSeconds) * 1000;
                return int(std::max<qint64>(1, (leavesAtMs - nowMs + 999) / 1000));
            }
        }
        return WindowSeconds;
    };

    if (limit.requestsPerMinute > 0 && requests + 1 > limit.requestsPerMinute) {
        return Refusal {limit, Refusal::Kind::Requests, requests,
            retryAfter(requests + 1 - limit.requestsPerMinute, [](const Bucket &b) { return b.requests; })};
    }
    if (limit.tokensPerMinute > 0 && tokens > limit.tokensPerMinute) {
        return Refusal {limit, Refusal::Kind::Tokens, used, -1};
    }
    if (limit.tokensPerMinute > 0 && used + tokens > limit.tokensPerMinute) {
        return Refusal {limit, Refusal::Kind::Tokens, used,
            retryAfter(used + tokens - limit.tokensPerMinute, [](const Bucket &b) { return b.tokens; })};
    }
    return std::nullopt;
}

} // namespace Switchyard::Routing
