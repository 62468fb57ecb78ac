#include "core/providers/providerprofile.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Switchyard::Providers {

ProviderProfile ProviderProfile::fromPreset(const ProviderPreset &preset, const QString &id)
{
    ProviderProfile profile;
    profile.id = id;
    profile.preset = preset.id;
    profile.displayName = preset.displayName;
    profile.baseUrl = preset.defaultBaseUrl;
    profile.credentialRef = preset.defaultCredentialRef;
    return profile;
}

bool ProviderProfile::isValidId(const QString &id)
{
    static const QRegularExpression pattern(u"\\A[a-z0-9][a-z0-9_-]*\\z"_s);
    return pattern.match(id).hasMatch();
}

} // namespace Switchyard::Providers
