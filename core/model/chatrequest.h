#pragma once

#include "core/model/chatmessage.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Switchyard {

// A chat request in canonical form, independent of the dialect it arrived in.
struct ChatRequest
{
    QString model;
    QList<ChatMessage> messages;
    bool stream = false;
    bool includeUsage = false; // stream_options.include_usage
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxTokens; // max_completion_tokens (or legacy max_tokens)
    QJsonArray stop;
    QJsonArray tools;       // OpenAI-shaped tool definitions
    QJsonValue toolChoice;  // undefined when absent
    QJsonObject extra;      // fields the gateway does not interpret, passed through unchanged

    friend bool operator==(const ChatRequest &, const ChatRequest &) = default;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::ChatRequest)
