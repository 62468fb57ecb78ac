#pragma once

#include "core/providers/providerpreset.h"

#include <QList>
#include <QString>

#include <optional>

namespace Switchyard::Providers {

// The built-in catalogue of provider presets.
class ProviderPresets
{
public:
    // Display names are translated on first use: install translators before calling this.
    static const QList<ProviderPreset> &all();
    static std::optional<ProviderPreset> find(const QString &id);
};

} // namespace Switchyard::Providers
