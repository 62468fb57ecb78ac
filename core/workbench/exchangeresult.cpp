#include "core/workbench/exchangeresult.h"

namespace Switchyard::Workbench {

std::optional<double> ExchangeResult::tokensPerSecond() const
{
    // Generation speed, not latency: the wait for the first token is TTFT's business.
    if (!usage.isReported || usage.completionTokens <= 0 || ttftMs < 0 || totalMs <= ttftMs) {
        return std::nullopt;
    }
    return double(usage.completionTokens) * 1000.0 / double(totalMs - ttftMs);
}

} // namespace Switchyard::Workbench
