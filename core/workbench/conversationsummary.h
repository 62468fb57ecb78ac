#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Switchyard::Workbench {

// What a list of saved conversations shows, without their messages.
struct ConversationSummary
{
    QString id;
    QString title; // Conversation::displayTitle()
    QString target;
    QDateTime updatedAt; // UTC
    int messageCount = 0;

    friend bool operator==(const ConversationSummary &, const ConversationSummary &) = default;
};

} // namespace Switchyard::Workbench

Q_DECLARE_METATYPE(Switchyard::Workbench::ConversationSummary)
