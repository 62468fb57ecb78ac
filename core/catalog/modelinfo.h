#pragma once

#include "core/model/result.h"

#include <QFlags>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchyard::Catalog {

// What a model is stated to do. A missing flag means "not stated", not "cannot".
enum class Capability {
    Chat = 0x01,
    Tools = 0x02,
    Vision = 0x04,
    Reasoning = 0x08,
    Embeddings = 0x10,
};
Q_DECLARE_FLAGS(Capabilities, Capability)
Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities)

// One model as a provider's live model list describes it. Lists differ in what they state:
// OpenAI's gives only the id; OpenRouter, Together, Groq, Mistral, Anthropic and Gemini add
// limits, names, capabilities and (OpenRouter, Together) prices.
struct ModelInfo
{
    QString id; // as the provider's API expects it (Gemini's without "models/")
    QString displayName; // empty when the list has none
    qint64 contextWindow = 0; // tokens; 0 = not stated
    qint64 maxOutputTokens = 0; // tokens; 0 = not stated
    Capabilities capabilities;
    // USD per token, as the price catalog keeps them; nullopt = the list states no price.
    std::optional<double> inputPerToken;
    std::optional<double> outputPerToken;
    std::optional<double> cachedInputPerToken;
    std::optional<double> cacheWritePerToken;

    // The form kept in the discovery cache; absent members stay absent.
    QJsonObject toJson() const;
    static Result<ModelInfo> fromJson(const QJsonObject &object);

    // "chat", "tools", "vision", "reasoning", "embeddings", in that order; unknown names are ignored.
    static QStringList capabilityNames(Capabilities capabilities);
    static Capabilities capabilitiesFromNames(const QStringList &names);

    friend bool operator==(const ModelInfo &, const ModelInfo &) = default;
};

} // namespace Switchyard::Catalog

Q_DECLARE_METATYPE(Switchyard::Catalog::ModelInfo)
