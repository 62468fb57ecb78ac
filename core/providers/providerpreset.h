#pragma once

#include <QMetaType>
#include <QString>
#include <QUrl>

namespace Switchyard::Providers {

// The request format a provider speaks; it decides the URL, the auth header and the codec.
enum class WireFormat {
    OpenAiChat,        // baseUrl + "/chat/completions", Authorization: Bearer
    AnthropicMessages, // baseUrl + "/messages", x-api-key and anthropic-version
    GeminiGenerate,    // baseUrl + "/models/{model}:generateContent", x-goog-api-key
};

// A known kind of upstream with the defaults a new ProviderProfile starts from.
struct ProviderPreset
{
    QString id;
    QString displayName; // translated
    QUrl defaultBaseUrl; // the endpoints of wireFormat are appended to it
    bool requiresKey = true;
    QString defaultCredentialRef; // e.g. "env:OPENAI_API_KEY"; empty for keyless local servers
    // Prefix of this provider's model keys in the LiteLLM price catalog ("groq" -> "groq/<model>");
    // empty means the catalog's unprefixed keys (OpenAI's) or, for custom, no catalog prefix.
    QString pricingPrefix;
    bool supportsStreamUsage = false; // accepts stream_options.include_usage
    WireFormat wireFormat = WireFormat::OpenAiChat;

    friend bool operator==(const ProviderPreset &, const ProviderPreset &) = default;
};

} // namespace Switchyard::Providers

Q_DECLARE_METATYPE(Switchyard::Providers::ProviderPreset)
