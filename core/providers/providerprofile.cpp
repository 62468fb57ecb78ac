#include "core/providers/providerprofile.h"

#include <QRegularExpression>

#include <algorithm>

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

bool ProviderProfile::isValidHeaderName(const QString &name)
{
    static const QRegularExpression token(u"\\A[!#$%&'*+.^_`|~0-9A-Za-z-]+\\z"_s);
    return token.match(name).hasMatch();
}

bool ProviderProfile::isValidHeaderValue(const QString &value)
{
    return std::none_of(
        value.cbegin(), value.cend(), [](QChar c) { return c != u'\t' && c.category() == QChar::Other_Control; });
}

} // namespace Switchyard::Providers
