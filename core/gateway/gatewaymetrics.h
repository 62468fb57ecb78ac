#pragma once

#include "core/ledger/usagerecord.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <functional>
#include <utility>

namespace Switchyard::Gateway {

// Counters and latency histograms of the gateway since it started, rendered in the
// Prometheus text exposition format for GET /metrics.
class GatewayMetrics
{
public:
    // A gauge sampled when /metrics is read (breaker states, budget remaining, ...).
    struct GaugeSample
    {
        QByteArray labels; // already formatted: {target="openai/gpt-4o"}
        double value = 0;
    };
    struct Gauge
    {
        QByteArray name;
        QByteArray help;
        std::function<QList<GaugeSample>()> sample;
    };

    // One client request finished with `status` (the status the client received).
    void requestFinished(const QString &route, int status);
    // One upstream attempt, as recorded in the ledger.
    void attemptRecorded(const Ledger::UsageRecord &record);
    void addGauge(Gauge gauge) { m_gauges.append(std::move(gauge)); }

    QByteArray render(int callsInFlight) const;

    // Label helpers for gauge samples: labels({label("target", "openai/gpt-4o")}).
    static QByteArray label(const char *name, const QString &value);
    static QByteArray labels(std::initializer_list<QByteArray> parts);

    // Upper bounds (seconds) of the latency histogram buckets.
    static constexpr std::array<double, 12> BucketBounds{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120};

private:
    struct Histogram
    {
        std::array<quint64, BucketBounds.size()> buckets{};
        quint64 count = 0;
        double sum = 0;
        void observe(double seconds);
    };
    // What tells attempts' label sets apart.
    struct AttemptKind
    {
        QString route;
        QString provider;
        QString model;
        QString errorClass;
        QString keyName;
        friend bool operator==(const AttemptKind &, const AttemptKind &) = default;
        friend size_t qHash(const AttemptKind &kind, size_t seed = 0)
        {
            return qHashMulti(seed, kind.route, kind.provider, kind.model, kind.errorClass, kind.keyName);
        }
    };
    // The label sets of one kind of attempt, formatted (and escaped) when it is first seen.
    struct AttemptLabels
    {
        QByteArray attempts;
        QByteArray errors;
        QByteArray target;
        QByteArray promptTokens;
        QByteArray completionTokens;
        QByteArray cost;
    };
    // Bounds the label caches: clients may name any model of a provider directly.
    static constexpr qsizetype MaxCachedLabels = 4096;

    const AttemptLabels &attemptLabels(const Ledger::UsageRecord &record);
    const QByteArray &requestLabels(const QString &route, int status);

    QHash<QByteArray, quint64> m_requests;   // labels -> count
    QHash<QByteArray, quint64> m_attempts;   // labels -> count
    QHash<QByteArray, quint64> m_errors;     // labels -> count
    QHash<QByteArray, quint64> m_tokens;     // labels -> count
    QHash<QByteArray, qint64> m_costNanoUsd; // labels -> nano-dollars
    QHash<QByteArray, Histogram> m_latency;  // labels -> attempt latency
    QHash<QByteArray, Histogram> m_ttft;     // labels -> time to first token
    QList<Gauge> m_gauges;
    QHash<AttemptKind, AttemptLabels> m_attemptLabels;
    QHash<std::pair<QString, int>, QByteArray> m_requestLabels;
};

} // namespace Switchyard::Gateway
