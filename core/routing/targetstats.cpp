#include "core/routing/targetstats.h"

namespace Switchyard::Routing {

void TargetStats::record(qint64 latencyMs, bool ok, qint64 nowMs)
{
    if (!ok) {
        ++m_errors;
        return;
    }
    m_lastSuccessMs = nowMs;
    if (latencyMs < 0) {
        return;
    }
    m_ewmaLatencyMs
        = m_samples == 0 ? double(latencyMs) : LatencyAlpha * double(latencyMs) + (1 - LatencyAlpha) * m_ewmaLatencyMs;
    ++m_samples;
}

} // namespace Switchyard::Routing
