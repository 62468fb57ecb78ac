#include "core/workbench/conversationstore.h"

#include "core/workbench/workbenchtr.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Workbench {

namespace {

Q_LOGGING_CATEGORY(lcStore, "switchyard.workbench.conversationstore")

const auto Suffix = ".json"_L1;

ConversationSummary summaryOf(const Conversation &conversation)
{
    return {conversation.id, conversation.displayTitle(), conversation.target, conversation.updatedAt,
        int(conversation.entries.size())};
}

Result<Conversation> readConversation(const QString &path, const QString &id)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Result<Conversation>::failure(
            Tr::tr("The conversation %1 cannot be read: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    Result<Conversation> conversation = Conversation::fromJson(file.readAll());
    if (!conversation) {
        return Result<Conversation>::failure(
            Tr::tr("The conversation %1 was not opened: %2. The file was left as it is.")
                .arg(QDir::toNativeSeparators(path), conversation.errorMessage()));
    }
    conversation->id = id;
    return conversation;
}

Status writeConversation(const QString &directory, const Conversation &conversation)
{
    if (!QDir().mkpath(directory)) {
        return Status::failure(Tr::tr("The conversation was not saved: the folder %1 cannot be created.")
                                   .arg(QDir::toNativeSeparators(directory)));
    }
    const QString path = QDir(directory).filePath(conversation.id + Suffix);
    const bool isNew = !QFileInfo::exists(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Status::failure(
            Tr::tr("The conversation was not saved to %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    if (isNew) {
        // Prompts and answers are nobody else's business.
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    const QByteArray json = conversation.toJson();
    if (file.write(json) != json.size() || !file.commit()) {
        return Status::failure(
            Tr::tr("The conversation was not saved to %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    return success();
}

} // namespace

ConversationStore::ConversationStore(QString directory, QObject *parent)
    : QObject(parent)
    , m_directory(std::move(directory))
{
    m_pool.setMaxThreadCount(1);
}

// The tasks post their answers to this object, so it must outlive them.
ConversationStore::~ConversationStore()
{
    m_pool.waitForDone();
}

void ConversationStore::list()
{
    m_pool.start([this, directory = m_directory] {
        QList<ConversationSummary> conversations;
        QStringList problems;
        const QFileInfoList files
            = QDir(directory).entryInfoList({u"*"_s + Suffix}, QDir::Files | QDir::Readable | QDir::Hidden, QDir::Name);
        for (const QFileInfo &info : files) {
            const QString id = info.completeBaseName();
            if (!Conversation::isValidId(id)) {
                continue; // not a file this store wrote
            }
            const Result<Conversation> conversation = readConversation(info.filePath(), id);
            if (conversation) {
                conversations.append(summaryOf(conversation.value()));
            } else {
                problems.append(conversation.errorMessage());
            }
        }
        std::stable_sort(conversations.begin(), conversations.end(),
            [](const ConversationSummary &a, const ConversationSummary &b) { return a.updatedAt > b.updatedAt; });
        QMetaObject::invokeMethod(
            this, [this, conversations, problems] { emit listed(conversations, problems); }, Qt::QueuedConnection);
    });
}

void ConversationStore::open(const QString &id)
{
    if (!Conversation::isValidId(id)) {
        QMetaObject::invokeMethod(
            this, [this, id] { emit openFailed(id, tr("\"%1\" is not the name of a saved conversation.").arg(id)); },
            Qt::QueuedConnection);
        return;
    }
    m_pool.start([this, id, path = QDir(m_directory).filePath(id + Suffix)] {
        const Result<Conversation> conversation = readConversation(path, id);
        QMetaObject::invokeMethod(
            this,
            [this, id, conversation] {
                if (conversation) {
                    emit opened(conversation.value());
                } else {
                    emit openFailed(id, conversation.errorMessage());
                }
            },
            Qt::QueuedConnection);
    });
}

void ConversationStore::save(const Conversation &conversation)
{
    if (!Conversation::isValidId(conversation.id)) {
        QMetaObject::invokeMethod(
            this,
            [this, id = conversation.id] {
                emit saveFailed(id, tr("The conversation was not saved: \"%1\" cannot be a file name.").arg(id));
            },
            Qt::QueuedConnection);
        return;
    }
    m_pool.start([this, conversation, directory = m_directory] {
        const Status written = writeConversation(directory, conversation);
        if (!written) {
            qCWarning(lcStore).noquote() << written.errorMessage();
        }
        QMetaObject::invokeMethod(
            this,
            [this, written, summary = summaryOf(conversation)] {
                if (written) {
                    emit saved(summary);
                } else {
                    emit saveFailed(summary.id, written.errorMessage());
                }
            },
            Qt::QueuedConnection);
    });
}

} // namespace Switchyard::Workbench
