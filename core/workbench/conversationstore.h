#pragma once

#include "core/workbench/conversation.h"
#include "core/workbench/conversationsummary.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

namespace Switchyard::Workbench {

// Saved conversations as one JSON file each (<id>.json) in a folder. Files are read and written on
// a thread of the store's own, one operation at a time in call order, and each call is answered by
// one signal on the caller's thread. Files that cannot be read (malformed, or written by a newer
// version) are reported and left exactly as they are. Destroying the store waits for the
// operations already asked for, so a save requested at exit is not lost.
class ConversationStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationStore)

public:
    explicit ConversationStore(QString directory, QObject *parent = nullptr);
    ~ConversationStore() override;

    QString directory() const { return m_directory; }

    // Answered by listed(): newest first. A missing folder holds no conversations.
    void list();
    // Answered by opened() or openFailed().
    void open(const QString &id);
    // Writes atomically (the previous file stays whole if writing fails); answered by saved() or
    // saveFailed().
    void save(const Conversation &conversation);

signals:
    // problems: one sentence per file that was not read, naming the file and why.
    void listed(const QList<Switchyard::Workbench::ConversationSummary> &conversations, const QStringList &problems);
    void opened(const Switchyard::Workbench::Conversation &conversation);
    void openFailed(const QString &id, const QString &message);
    void saved(const Switchyard::Workbench::ConversationSummary &summary);
    void saveFailed(const QString &id, const QString &message);

private:
    QString m_directory;
    QThreadPool m_pool; // one thread: operations run in call order
};

} // namespace Switchyard::Workbench
