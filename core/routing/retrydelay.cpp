#include "core/routing/retrydelay.h"

#include "core/routing/randomsource.h"

#include <QDateTime>
#include <QLocale>
#include <QStringList>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

std::optional<double> parseNumber(QByteArrayView text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0) {
        return std::nullopt;
    }
    return value;
}

// RFC 9110 IMF-fixdate, the form servers send: "Sun, 06 Nov 1994 08:49:37 GMT". Date and time are
// read apart so that the local time zone (and its DST gaps) never takes part.
std::optional<qint64> parseHttpDate(QByteArrayView text)
{
    const QStringList parts = QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts);
    if (parts.size() != 6 || parts.at(5) != "GMT"_L1) {
        return std::nullopt;
    }
    const QDate date = QLocale::c().toDate(QStringList(parts.mid(1, 3)).join(u' '), u"dd MMM yyyy"_s);
    const QTime time = QTime::fromString(parts.at(4), u"HH:mm:ss"_s);
    if (!date.isValid() || !time.isValid()) {
        return std::nullopt;
    }
    return QDateTime(date, time, QTimeZone::utc()).toMSecsSinceEpoch();
}

std::optional<qint64> serverDelayMs(QByteArrayView retryAfter, QByteArrayView retryAfterMs, qint64 nowEpochMs)
{
    if (const auto ms = parseNumber(retryAfterMs)) {
        return std::llround(*ms);
    }
    if (retryAfter.trimmed().isEmpty()) {
        return std::nullopt;
    }
    if (const auto seconds = parseNumber(retryAfter)) {
        return std::llround(*seconds * 1000);
    }
    if (const auto date = parseHttpDate(retryAfter)) {
        return std::max<qint64>(0, *date - nowEpochMs);
    }
    return std::nullopt;
}

} // namespace

qint64 RetryDelay::delayMs(int retryIndex, const RetryPolicy &policy, RandomSource &random,
    QByteArrayView retryAfterHeader, QByteArrayView retryAfterMsHeader, qint64 nowEpochMs)
{
    if (const auto server = serverDelayMs(retryAfterHeader, retryAfterMsHeader, nowEpochMs);
        server && *server <= MaxServerDelayMs) {
        return *server;
    }
    const qint64 maxDelay = std::max(0, policy.maxDelayMs);
    // Shifting past 2^30 overflows long before any sane cap; the cap is reached by then anyway.
    const int exponent = std::clamp(retryIndex, 0, 30);
    const qint64 ceiling = std::min(maxDelay, qint64(std::max(0, policy.baseDelayMs)) << exponent);
    return qint64(std::floor(random.uniform() * double(ceiling)));
}

bool RetryDelay::fitsDeadline(qint64 delayMs, qint64 elapsedMs, int deadlineMs)
{
    return deadlineMs <= 0 || elapsedMs + delayMs < deadlineMs;
}

} // namespace Switchyard::Routing
