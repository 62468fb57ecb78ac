#pragma once

#include "core/model/chatmessage.h"
#include "core/model/chatrequest.h"
#include "core/model/result.h"
#include "core/workbench/exchangeresult.h"
#include "core/workbench/samplingparameters.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Switchyard::Workbench {

// A chat in the window: its settings and messages, each answer with how it went. Stored as one
// JSON file per conversation by ConversationStore.
struct Conversation
{
    // The file format this build writes; files of a newer format are refused, not rewritten.
    static constexpr int FormatVersion = 1;

    struct Entry
    {
        ChatMessage message; // "user" or "assistant"
        std::optional<ExchangeResult> result; // assistant entries: how the answer went

        friend bool operator==(const Entry &, const Entry &) = default;
    };

    QString id; // the file's base name; letters, digits, '-' and '_'
    QString title; // empty: displayTitle() derives one
    QDateTime createdAt; // UTC
    QDateTime updatedAt; // UTC
    QString target; // route name or provider/model
    QString systemPrompt;
    SamplingParameters parameters;
    QList<Entry> entries;

    // A new, empty conversation with a fresh id, created now.
    static Conversation create();
    static bool isValidId(const QString &id);

    // The request that asks for the next answer: the system prompt, then every entry that has
    // content (answers that failed before any text are left out), with the parameters.
    ChatRequest nextRequest() const;
    // The title, or the start of the first question, or "New conversation".
    QString displayTitle() const;

    QByteArray toJson() const;
    // Failure messages name the field, e.g. `entries[2].role: "robot" is not user or assistant`.
    // The id is not in the file: the caller sets it from the file name.
    static Result<Conversation> fromJson(const QByteArray &json);

    friend bool operator==(const Conversation &, const Conversation &) = default;
};

} // namespace Switchyard::Workbench

Q_DECLARE_METATYPE(Switchyard::Workbench::Conversation)
