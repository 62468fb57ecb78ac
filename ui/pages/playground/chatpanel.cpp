#include "ui/pages/playground/chatpanel.h"

#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/workbench/chatexchange.h"
#include "core/workbench/conversationstore.h"
#include "ui/models/chattargetsmodel.h"
#include "ui/models/conversationlistmodel.h"
#include "ui/pages/playground/parameterseditor.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/transcriptview.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

using Workbench::Conversation;

namespace {
constexpr int PromptLines = 4;
constexpr int ConversationsWidth = 220;
constexpr int SettingsWidth = 280;
} // namespace

ChatPanel::ChatPanel(
    Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, const QString &conversationsDir, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_conversations(new Workbench::ConversationStore(conversationsDir, this))
    , m_targetsModel(new ChatTargetsModel(store, false, this))
    , m_listModel(new ConversationListModel(this))
    , m_conversation(Conversation::create())
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createConversationsPane());
    splitter->addWidget(createTranscriptPane());
    splitter->addWidget(createSettingsPane());
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ConversationsWidth, 1000, SettingsWidth});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    auto *sendAction = new QAction(tr("Send"), this);
    sendAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    sendAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(sendAction, &QAction::triggered, this, &ChatPanel::send);
    addAction(sendAction);

    connect(m_conversations, &Workbench::ConversationStore::listed, this, &ChatPanel::handleListed);
    connect(m_conversations, &Workbench::ConversationStore::saved, this, &ChatPanel::handleSaved);
    connect(m_conversations, &Workbench::ConversationStore::saveFailed, this,
        [this](const QString &, const QString &message) { m_message->showError(message); });
    connect(m_conversations, &Workbench::ConversationStore::opened, this, [this](const Conversation &conversation) {
        if (conversation.id == m_openingId && !isBusy()) {
            showConversation(conversation);
        }
    });
    connect(m_conversations, &Workbench::ConversationStore::openFailed, this,
        [this](const QString &, const QString &message) {
            m_listMessage->showError(message);
            selectListedConversation();
        });
    connect(m_runtime->gateway(), &Gateway::GatewayService::runningChanged, this, &ChatPanel::updateButtons);
    connect(m_targetsModel, &QAbstractItemModel::rowsInserted, this, &ChatPanel::updateButtons);
    connect(m_targetsModel, &QAbstractItemModel::rowsRemoved, this, &ChatPanel::updateButtons);
    connect(m_targetsModel, &QAbstractItemModel::modelReset, this, &ChatPanel::updateButtons);

    m_transcript->setEntries({});
    m_conversations->list();
    updateAttachments();
}

QWidget *ChatPanel::createConversationsPane()
{
    auto *pane = new QWidget(this);
    // A one-column tree rather than a list view: it fits titles to its width, eliding the long ones.
    m_listView = new QTreeView(pane);
    m_listView->setObjectName(u"conversationList"_s);
    m_listView->setModel(m_listModel);
    m_listView->setHeaderHidden(true);
    m_listView->setRootIsDecorated(false);
    m_listView->setItemsExpandable(false);
    m_listView->setUniformRowHeights(true);
    m_listView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_newButton = new QPushButton(tr("New Conversation"), pane);
    m_newButton->setObjectName(u"newConversationButton"_s);
    m_listMessage = new InlineMessage(pane);
    m_listMessage->setObjectName(u"conversationListMessage"_s);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Conversations"), pane));
    layout->addWidget(m_listView, 1);
    layout->addWidget(m_listMessage);
    layout->addWidget(m_newButton);

    connect(m_newButton, &QPushButton::clicked, this, &ChatPanel::startNewConversation);
    connect(m_listView, &QTreeView::clicked, this, &ChatPanel::openConversation);
    connect(m_listView, &QTreeView::activated, this, &ChatPanel::openConversation);
    return pane;
}

QWidget *ChatPanel::createTranscriptPane()
{
    auto *pane = new QWidget(this);
    m_transcript = new TranscriptView(pane);
    m_transcript->setObjectName(u"transcriptView"_s);
    m_transcript->setEmptyText(
        tr("*Ask something below. Answers stream in here with who served them, how fast, how many tokens and what "
           "they cost.*"));
    m_attachmentsLabel = new QLabel(pane);
    m_attachmentsLabel->setObjectName(u"attachmentsLabel"_s);
    m_attachmentsLabel->setTextFormat(Qt::PlainText);
    m_clearAttachmentsButton = new QPushButton(tr("Remove Images"), pane);
    m_clearAttachmentsButton->setObjectName(u"clearAttachmentsButton"_s);
    m_promptEdit = new QPlainTextEdit(pane);
    m_promptEdit->setObjectName(u"promptEdit"_s);
    m_promptEdit->setPlaceholderText(tr("Message (Ctrl+Enter sends)"));
    m_promptEdit->setTabChangesFocus(true);
    m_promptEdit->setFixedHeight(m_promptEdit->fontMetrics().lineSpacing() * PromptLines + 12);
    m_attachButton = new QPushButton(tr("Attach Image…"), pane);
    m_attachButton->setObjectName(u"attachButton"_s);
    m_sendButton = new QPushButton(tr("Send"), pane);
    m_sendButton->setObjectName(u"sendButton"_s);
    m_sendButton->setDefault(true);
    m_stopButton = new QPushButton(tr("Stop"), pane);
    m_stopButton->setObjectName(u"stopButton"_s);
    m_message = new InlineMessage(pane);
    m_message->setObjectName(u"chatMessageLabel"_s);

    auto *attachmentsRow = new QHBoxLayout;
    attachmentsRow->addWidget(m_attachmentsLabel, 1);
    attachmentsRow->addWidget(m_clearAttachmentsButton);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_attachButton);
    buttons->addStretch(1);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_sendButton);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_transcript, 1);
    layout->addLayout(attachmentsRow);
    layout->addWidget(m_promptEdit);
    layout->addWidget(m_message);
    layout->addLayout(buttons);

    connect(m_sendButton, &QPushButton::clicked, this, &ChatPanel::send);
    connect(m_stopButton, &QPushButton::clicked, this, &ChatPanel::stop);
    connect(m_attachButton, &QPushButton::clicked, this, &ChatPanel::chooseImages);
    connect(m_clearAttachmentsButton, &QPushButton::clicked, this, &ChatPanel::clearAttachments);
    connect(m_promptEdit, &QPlainTextEdit::textChanged, this, &ChatPanel::updateButtons);
    return pane;
}

QWidget *ChatPanel::createSettingsPane()
{
    auto *pane = new QWidget(this);
    m_targetCombo = new QComboBox(pane);
    m_targetCombo->setObjectName(u"targetCombo"_s);
    m_targetCombo->setModel(m_targetsModel);
    m_targetCombo->setPlaceholderText(tr("Choose a route or model"));
    m_targetCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_targetCombo->setMinimumContentsLength(16);
    m_parametersEditor = new ParametersEditor(pane);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Send to:"), pane));
    layout->addWidget(m_targetCombo);
    layout->addSpacing(8);
    layout->addWidget(m_parametersEditor);
    layout->addStretch(1);
    connect(m_targetCombo, &QComboBox::currentIndexChanged, this, &ChatPanel::updateButtons);
    return pane;
}

QString ChatPanel::currentTarget() const
{
    return m_targetCombo->currentData(ChatTargetsModel::NameRole).toString();
}

void ChatPanel::openTarget(const QString &target)
{
    startNewConversation();
    m_targetCombo->setCurrentIndex(m_targetsModel->addModelTarget(target));
}

void ChatPanel::startNewConversation()
{
    if (isBusy()) {
        return;
    }
    m_openingId.clear();
    m_conversation = Conversation::create();
    m_transcript->setEntries({});
    m_listView->clearSelection();
    m_listView->setCurrentIndex({});
    m_message->dismiss();
    m_promptEdit->setFocus();
    updateButtons();
}

void ChatPanel::openConversation(const QModelIndex &index)
{
    const QString id = index.data(ConversationListModel::IdRole).toString();
    if (isBusy() || id.isEmpty() || id == m_conversation.id) {
        return;
    }
    m_listMessage->dismiss();
    m_openingId = id;
    m_conversations->open(id);
}

void ChatPanel::showConversation(const Conversation &conversation)
{
    m_openingId.clear();
    m_conversation = conversation;
    const int targetRow = m_targetsModel->rowOf(conversation.target);
    if (targetRow >= 0) {
        m_targetCombo->setCurrentIndex(targetRow);
    } else if (!conversation.target.isEmpty()) {
        m_message->showInfo(
            tr("This conversation was held with %1, which the workspace no longer has; choose another target to go on.")
                .arg(conversation.target));
    }
    m_parametersEditor->setSystemPrompt(conversation.systemPrompt);
    m_parametersEditor->setParameters(conversation.parameters);
    m_transcript->setEntries(conversation.entries);
    selectListedConversation();
    updateButtons();
}

void ChatPanel::selectListedConversation()
{
    const int row = m_listModel->rowOf(m_conversation.id);
    if (row >= 0) {
        m_listView->setCurrentIndex(m_listModel->index(row));
    } else {
        m_listView->clearSelection();
    }
}

void ChatPanel::send()
{
    const QString text = m_promptEdit->toPlainText().trimmed();
    if (isBusy() || (text.isEmpty() && m_attachments.isEmpty())) {
        return;
    }
    const QString target = currentTarget();
    if (target.isEmpty()) {
        m_message->showError(tr("Choose where to send: a route or a provider's model. Providers are added on the "
                                "Providers page."));
        return;
    }
    if (!m_runtime->gateway()->isRunning()) {
        m_message->showError(tr("The gateway is stopped; start it above to send."));
        return;
    }
    m_message->dismiss();
    m_conversation.target = target;
    m_conversation.systemPrompt = m_parametersEditor->systemPrompt();
    m_conversation.parameters = m_parametersEditor->parameters();

    ChatMessage question;
    question.role = u"user"_s;
    question.text = text;
    if (!m_attachments.isEmpty()) {
        if (!text.isEmpty()) {
            question.contentParts.append(QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, text}});
        }
        for (const Workbench::ImageAttachment &attachment : std::as_const(m_attachments)) {
            question.contentParts.append(attachment.toContentPart());
        }
    }
    m_conversation.entries.append({question, std::nullopt});
    const ChatRequest request = m_conversation.nextRequest();
    ChatMessage answer;
    answer.role = u"assistant"_s;
    m_conversation.entries.append({answer, std::nullopt});
    m_conversation.updatedAt = QDateTime::currentDateTimeUtc();
    m_promptEdit->clear();
    clearAttachments();

    m_exchange = new Workbench::ChatExchange(this);
    connect(m_exchange, &Workbench::ChatExchange::textDelta, this,
        [this](const QString &delta) { appendToAnswer(delta, {}); });
    connect(m_exchange, &Workbench::ChatExchange::reasoningDelta, this,
        [this](const QString &delta) { appendToAnswer({}, delta); });
    connect(m_exchange, &Workbench::ChatExchange::finished, this, &ChatPanel::handleFinished);
    m_exchange->start(Workbench::GatewayAccess::of(*m_runtime), request);
    m_transcript->setEntries(m_conversation.entries);
    updateButtons();
}

void ChatPanel::stop()
{
    if (m_exchange != nullptr) {
        m_exchange->cancel();
    }
}

void ChatPanel::appendToAnswer(const QString &text, const QString &reasoning)
{
    ChatMessage &answer = m_conversation.entries.last().message;
    answer.text += text;
    answer.reasoning += reasoning;
    m_transcript->setEntries(m_conversation.entries);
}

void ChatPanel::handleFinished(const Workbench::ExchangeResult &result)
{
    m_conversation.entries.last().result = result;
    m_conversation.updatedAt = QDateTime::currentDateTimeUtc();
    m_exchange->deleteLater();
    m_exchange = nullptr;
    m_transcript->setEntries(m_conversation.entries);
    m_transcript->flush(); // the finished answer shows at once, not at the next streaming tick
    m_conversations->save(m_conversation);
    updateButtons();
}

void ChatPanel::handleListed(const QList<Workbench::ConversationSummary> &conversations, const QStringList &problems)
{
    m_listModel->setSummaries(conversations);
    selectListedConversation();
    if (problems.isEmpty()) {
        m_listMessage->dismiss();
    } else {
        m_listMessage->showError(problems.join(u'\n'));
    }
}

void ChatPanel::handleSaved(const Workbench::ConversationSummary &summary)
{
    m_listModel->upsert(summary);
    if (summary.id == m_conversation.id) {
        selectListedConversation();
    }
}

void ChatPanel::chooseImages()
{
    auto *dialog
        = new QFileDialog(this, tr("Attach Images"), QString(), tr("Images (*.png *.jpg *.jpeg *.gif *.webp)"));
    dialog->setObjectName(u"attachImageDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    connect(dialog, &QFileDialog::filesSelected, this, [this](const QStringList &paths) {
        for (const QString &path : paths) {
            loadImage(path);
        }
    });
    dialog->open();
}

void ChatPanel::loadImage(const QString &path)
{
    auto *watcher = new QFutureWatcher<Result<Workbench::ImageAttachment>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const Result<Workbench::ImageAttachment> loaded = watcher->result();
        watcher->deleteLater();
        if (!loaded) {
            m_message->showError(loaded.errorMessage());
            return;
        }
        m_attachments.append(loaded.value());
        updateAttachments();
    });
    watcher->setFuture(QtConcurrent::run(&Workbench::ImageAttachment::load, path));
}

void ChatPanel::clearAttachments()
{
    m_attachments.clear();
    updateAttachments();
}

void ChatPanel::updateAttachments()
{
    QStringList names;
    for (const Workbench::ImageAttachment &attachment : std::as_const(m_attachments)) {
        names.append(attachment.fileName);
    }
    m_attachmentsLabel->setText(tr("Images to send: %1").arg(names.join(u", "_s)));
    m_attachmentsLabel->setVisible(!names.isEmpty());
    m_clearAttachmentsButton->setVisible(!names.isEmpty());
    updateButtons();
}

void ChatPanel::updateButtons()
{
    const bool running = m_runtime->gateway()->isRunning();
    const bool hasInput = !m_promptEdit->toPlainText().trimmed().isEmpty() || !m_attachments.isEmpty();
    m_sendButton->setEnabled(!isBusy() && running && hasInput && !currentTarget().isEmpty());
    m_sendButton->setToolTip(running ? QString() : tr("The gateway is stopped."));
    m_stopButton->setEnabled(isBusy());
    m_newButton->setEnabled(!isBusy());
    m_listView->setEnabled(!isBusy());
    m_targetCombo->setEnabled(!isBusy());
}

} // namespace Switchyard::Ui
