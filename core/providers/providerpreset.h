#pragma once

#include <QMetaType>
#include <QString>
#include <QUrl>

namespace Switchyard::Providers {

// A known kind of upstream with the defaults a new ProviderProfile starts from.
struct ProviderPreset
{
    QString id;
    QString displayName; // translated
    QUrl defaultBaseUrl; // requests go to baseUrl + "/chat/completions"
    bool requiresKey = true;
    QString defaultCredentialRef; // e.g. "env:OPENAI_API_KEY"; empty for keyless local servers
    // Prefix of this provider's model keys in the LiteLLM price catalog ("groq" -> "groq/<model>");
    // empty means the catalog's unprefixed keys (OpenAI's) or, for custom, no catalog prefix.
    QString pricingPrefix;
    bool supportsStreamUsage = false; // accepts stream_options.include_usage

    friend bool operator==(const ProviderPreset &, const ProviderPreset &) = default;
};

} // namespace Switchyard::Providers

Q_DECLARE_METATYPE(Switchyard::Providers::ProviderPreset)
