#include "core/workbench/samplingparameters.h"

namespace Switchyard::Workbench {

void SamplingParameters::applyTo(ChatRequest &request) const
{
    request.temperature = temperature;
    request.topP = topP;
    request.maxTokens = maxTokens;
}

} // namespace Switchyard::Workbench
