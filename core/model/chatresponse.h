#pragma once

#include "core/model/chatmessage.h"
#include "core/model/usage.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Switchyard {

struct ChatChoice
{
    int index = 0;
    ChatMessage message;
    QString finishReason; // "stop", "length", "tool_calls", "content_filter"
    QString stopSequence; // the stop sequence that ended the answer, when the provider names it

    friend bool operator==(const ChatChoice &, const ChatChoice &) = default;
};

// A complete (non-stream) answer in canonical form.
struct ChatResponse
{
    QString id;
    QString model;
    qint64 created = 0;
    QList<ChatChoice> choices;
    Usage usage;

    friend bool operator==(const ChatResponse &, const ChatResponse &) = default;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::ChatResponse)
