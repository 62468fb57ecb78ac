#pragma once

#include "core/model/chatrequest.h"

#include <QMetaType>

#include <optional>

namespace Switchyard::Workbench {

// The sampling settings a person chose for the window's requests; unset ones are left to the model.
struct SamplingParameters
{
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxTokens;

    void applyTo(ChatRequest &request) const;
    friend bool operator==(const SamplingParameters &, const SamplingParameters &) = default;
};

} // namespace Switchyard::Workbench

Q_DECLARE_METATYPE(Switchyard::Workbench::SamplingParameters)
