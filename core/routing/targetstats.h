#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace Switchyard::Routing {

// What the router has seen of one "provider/model" target: recent latency, load and errors.
class TargetStats
{
public:
    // Weight of the newest sample in the latency average.
    static constexpr double LatencyAlpha = 0.3;

    void begin() { ++m_inFlight; }
    void end() { m_inFlight = m_inFlight > 0 ? m_inFlight - 1 : 0; }
    // Successful attempts feed the latency average (a fast error must not look attractive);
    // failed ones count as errors.
    void record(qint64 latencyMs, bool ok, qint64 nowMs);

    int inFlight() const { return m_inFlight; }
    bool hasLatency() const { return m_samples > 0; }
    double ewmaLatencyMs() const { return m_ewmaLatencyMs; } // 0 until the first sample
    qint64 samples() const { return m_samples; }
    qint64 lastSuccessMs() const { return m_lastSuccessMs; } // -1: never
    qint64 errorCount() const { return m_errors; }

private:
    int m_inFlight = 0;
    double m_ewmaLatencyMs = 0;
    qint64 m_samples = 0;
    qint64 m_lastSuccessMs = -1;
    qint64 m_errors = 0;
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::TargetStats)
