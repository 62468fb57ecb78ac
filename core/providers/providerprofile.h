#pragma once

#include "core/providers/providerpreset.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace Switchyard::Providers {

// One configured upstream in the workspace.
struct ProviderProfile
{
    QString id; // unique slug [a-z0-9][a-z0-9_-]*, the "id" in "id/model" names
    QString preset; // a ProviderPresets id
    QString displayName; // may be empty: show the preset's name
    QUrl baseUrl; // without trailing '/'; requests go to baseUrl + "/chat/completions"
    QString credentialRef; // "keychain:NAME", "env:VAR", or empty for keyless local servers
    QList<std::pair<QByteArray, QByteArray>> extraHeaders; // sent on every upstream request, in order
    QStringList models; // known model ids, optional

    static ProviderProfile fromPreset(const ProviderPreset &preset, const QString &id);
    static bool isValidId(const QString &id);
    // An RFC 9110 token, e.g. "OpenAI-Organization".
    static bool isValidHeaderName(const QString &name);
    // No line break or other control character (a tab is fine): such a value could inject
    // further headers into upstream requests.
    static bool isValidHeaderValue(const QString &value);

    friend bool operator==(const ProviderProfile &, const ProviderProfile &) = default;
};

} // namespace Switchyard::Providers

Q_DECLARE_METATYPE(Switchyard::Providers::ProviderProfile)
