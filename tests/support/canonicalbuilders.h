#pragma once

#include "core/model/chatmessage.h"
#include "core/model/usage.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

// Small builders of canonical values shared by the codec tests.
namespace Switchyard::Testing {

inline QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

inline Usage usage(qint64 prompt, qint64 completion, qint64 cached, qint64 cacheWrite, qint64 reasoning)
{
    return Usage {prompt, completion, cached, cacheWrite, reasoning, true, {}};
}

inline ChatMessage message(const QString &role, const QString &text)
{
    ChatMessage result;
    result.role = role;
    result.text = text;
    return result;
}

// An OpenAI-shaped tool call as it appears in ChatMessage::toolCalls.
inline QJsonObject toolCall(const QString &id, const QString &name, const QString &arguments)
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("type"), QStringLiteral("function")},
                       {QStringLiteral("function"),
                        QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("arguments"), arguments}}}};
}

} // namespace Switchyard::Testing
