#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace Switchyard::Pricing {

// What one model costs and can do, as the catalog or a workspace override states it.
// Prices are USD per single token; an absent cache or reasoning price means "no separate
// price known" (such tokens are billed at the plain input/output price), never zero.
struct ModelPrice
{
    double inputPerToken = 0;
    double outputPerToken = 0;
    std::optional<double> cachedInputPerToken;
    std::optional<double> cacheWritePerToken;
    std::optional<double> reasoningPerToken;
    qint64 maxInputTokens = 0; // 0 = unknown
    qint64 maxOutputTokens = 0; // 0 = unknown
    QString mode; // LiteLLM mode: "chat", "completion", "responses" or "embedding"
    QString provider; // LiteLLM provider, e.g. "openai", "groq", "openrouter"
    bool supportsFunctionCalling = false;
    bool supportsVision = false;
    bool supportsReasoning = false;
    bool supportsPromptCaching = false;
    // Where the figures come from, kept on every ledger row: "litellm 2025-11-21", "workspace override".
    QString source;

    friend bool operator==(const ModelPrice &, const ModelPrice &) = default;
};

} // namespace Switchyard::Pricing

Q_DECLARE_METATYPE(Switchyard::Pricing::ModelPrice)
