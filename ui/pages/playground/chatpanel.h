#pragma once

#include "core/workbench/conversation.h"
#include "core/workbench/imageattachment.h"

#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QTreeView;
class QPlainTextEdit;
class QPushButton;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}
namespace Switchyard::Workbench {
class ChatExchange;
class ConversationStore;
struct ConversationSummary;
struct ExchangeResult;
} // namespace Switchyard::Workbench

namespace Switchyard::Ui {

class ChatTargetsModel;
class ConversationListModel;
class InlineMessage;
class ParametersEditor;
class TranscriptView;

// One conversation with one target at a time, answers streamed in as Markdown; conversations are
// saved after every answer and listed for reopening.
class ChatPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPanel)

public:
    // Conversations are kept as files in conversationsDir.
    ChatPanel(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, const QString &conversationsDir,
        QWidget *parent = nullptr);

    const Workbench::Conversation &conversation() const { return m_conversation; }
    bool isBusy() const { return m_exchange != nullptr; }
    QString currentTarget() const;
    // Starts a new conversation with `target` (a route or "provider/model", listed if the
    // workspace does not name it); while an answer streams only the target is chosen.
    void openTarget(const QString &target);

private:
    QWidget *createConversationsPane();
    QWidget *createTranscriptPane();
    QWidget *createSettingsPane();
    void startNewConversation();
    void openConversation(const QModelIndex &index);
    void showConversation(const Workbench::Conversation &conversation);
    void selectListedConversation();
    void send();
    void stop();
    void chooseImages();
    void loadImage(const QString &path);
    void clearAttachments();
    void updateAttachments();
    void appendToAnswer(const QString &text, const QString &reasoning);
    void handleFinished(const Workbench::ExchangeResult &result);
    void handleListed(const QList<Workbench::ConversationSummary> &conversations, const QStringList &problems);
    void handleSaved(const Workbench::ConversationSummary &summary);
    void updateButtons();

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    Workbench::ConversationStore *m_conversations = nullptr;
    ChatTargetsModel *m_targetsModel = nullptr;
    ConversationListModel *m_listModel = nullptr;
    Workbench::Conversation m_conversation;
    Workbench::ChatExchange *m_exchange = nullptr;
    QList<Workbench::ImageAttachment> m_attachments;
    QString m_openingId; // asked the store for it; shown when it arrives

    QTreeView *m_listView = nullptr;
    QPushButton *m_newButton = nullptr;
    InlineMessage *m_listMessage = nullptr;
    TranscriptView *m_transcript = nullptr;
    QLabel *m_attachmentsLabel = nullptr;
    QPushButton *m_clearAttachmentsButton = nullptr;
    QPlainTextEdit *m_promptEdit = nullptr;
    QPushButton *m_attachButton = nullptr;
    QPushButton *m_sendButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    InlineMessage *m_message = nullptr;
    QComboBox *m_targetCombo = nullptr;
    ParametersEditor *m_parametersEditor = nullptr;
};

} // namespace Switchyard::Ui
