#include "core/providers/providerpresets.h"

#include "core/providers/providerstr.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Providers {

namespace {

ProviderPreset preset(QString id, const char *displayName, QString baseUrl, bool requiresKey, QString credentialRef,
    QString pricingPrefix, bool supportsStreamUsage, WireFormat wireFormat = WireFormat::OpenAiChat)
{
    return ProviderPreset {std::move(id), Tr::tr(displayName), QUrl(baseUrl, QUrl::StrictMode), requiresKey,
        std::move(credentialRef), std::move(pricingPrefix), supportsStreamUsage, wireFormat};
}

QList<ProviderPreset> buildPresets()
{
    // Stream-usage flags follow the providers' documentation; where support is undocumented
    // (Mistral, Together, LM Studio, arbitrary servers) the gateway must not send stream_options.
    // Local servers get a catalog prefix with no paid entries (or none at all) so that a local
    // model named like an OpenAI one is never priced at OpenAI's rates.
    return {
        preset(u"openai"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "OpenAI"), u"https://api.openai.com/v1"_s, true,
            u"env:OPENAI_API_KEY"_s, QString(), true),
        // Anthropic's models are the catalog's unprefixed "claude-…" keys; usage always streams.
        preset(u"anthropic"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Anthropic"),
            u"https://api.anthropic.com/v1"_s, true, u"env:ANTHROPIC_API_KEY"_s, QString(), true,
            WireFormat::AnthropicMessages),
        preset(u"gemini"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Google Gemini"),
            u"https://generativelanguage.googleapis.com/v1beta"_s, true, u"env:GEMINI_API_KEY"_s, u"gemini"_s, true,
            WireFormat::GeminiGenerate),
        preset(u"openrouter"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "OpenRouter"),
            u"https://openrouter.ai/api/v1"_s, true, u"env:OPENROUTER_API_KEY"_s, u"openrouter"_s, true),
        preset(u"groq"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Groq"), u"https://api.groq.com/openai/v1"_s, true,
            u"env:GROQ_API_KEY"_s, u"groq"_s, true),
        preset(u"mistral"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Mistral AI"), u"https://api.mistral.ai/v1"_s,
            true, u"env:MISTRAL_API_KEY"_s, u"mistral"_s, false),
        preset(u"deepseek"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "DeepSeek"), u"https://api.deepseek.com"_s,
            true, u"env:DEEPSEEK_API_KEY"_s, u"deepseek"_s, true),
        preset(u"together"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Together AI"),
            u"https://api.together.xyz/v1"_s, true, u"env:TOGETHER_API_KEY"_s, u"together_ai"_s, false),
        preset(u"xai"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "xAI"), u"https://api.x.ai/v1"_s, true,
            u"env:XAI_API_KEY"_s, u"xai"_s, true),
        preset(u"ollama"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Ollama"), u"http://localhost:11434/v1"_s, false,
            QString(), u"ollama"_s, true),
        preset(u"lmstudio"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "LM Studio"), u"http://localhost:1234/v1"_s,
            false, QString(), u"lm_studio"_s, false),
        preset(u"vllm"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "vLLM"), u"http://localhost:8000/v1"_s, false,
            QString(), u"hosted_vllm"_s, true),
        preset(u"custom"_s, QT_TRANSLATE_NOOP("Switchyard::Providers", "Custom (OpenAI-compatible)"),
            u"http://localhost:8080/v1"_s, false, QString(), QString(), false),
    };
}

} // namespace

const QList<ProviderPreset> &ProviderPresets::all()
{
    static const QList<ProviderPreset> presets = buildPresets();
    return presets;
}

std::optional<ProviderPreset> ProviderPresets::find(const QString &id)
{
    for (const ProviderPreset &preset : all()) {
        if (preset.id == id) {
            return preset;
        }
    }
    return std::nullopt;
}

} // namespace Switchyard::Providers
