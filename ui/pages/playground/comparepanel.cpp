#include "ui/pages/playground/comparepanel.h"

#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/workbench/gatewayaccess.h"
#include "ui/models/chattargetsmodel.h"
#include "ui/pages/playground/comparecolumn.h"
#include "ui/pages/playground/parameterseditor.h"
#include "ui/widgets/inlinemessage.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
constexpr int PromptLines = 3;
constexpr int SettingsWidth = 280;
} // namespace

ComparePanel::ComparePanel(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_targetsModel(new ChatTargetsModel(store, true, this))
{
    m_targetsModel->setMaxChecked(MaxTargets);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createSettingsPane());
    splitter->addWidget(createComparisonPane());
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({SettingsWidth, 1000});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    auto *compareAction = new QAction(tr("Compare"), this);
    compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    compareAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(compareAction, &QAction::triggered, this, &ComparePanel::compare);
    addAction(compareAction);

    connect(m_targetsModel, &ChatTargetsModel::checkedChanged, this, &ComparePanel::updateButtons);
    connect(m_runtime->gateway(), &Gateway::GatewayService::runningChanged, this, &ComparePanel::updateButtons);
    updateButtons();
}

QWidget *ComparePanel::createSettingsPane()
{
    auto *pane = new QWidget(this);
    m_targetsView = new QListView(pane);
    m_targetsView->setObjectName(u"compareTargetsView"_s);
    m_targetsView->setModel(m_targetsModel);
    m_targetsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_targetsView->setUniformItemSizes(true);
    m_targetsCountLabel = new QLabel(pane);
    m_targetsCountLabel->setObjectName(u"targetsCountLabel"_s);
    m_targetsCountLabel->setWordWrap(true);
    m_parametersEditor = new ParametersEditor(pane);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Compare these targets:"), pane));
    layout->addWidget(m_targetsView, 1);
    layout->addWidget(m_targetsCountLabel);
    layout->addSpacing(8);
    layout->addWidget(m_parametersEditor);
    return pane;
}

QWidget *ComparePanel::createComparisonPane()
{
    auto *pane = new QWidget(this);
    m_promptEdit = new QPlainTextEdit(pane);
    m_promptEdit->setObjectName(u"comparePromptEdit"_s);
    m_promptEdit->setPlaceholderText(tr("One prompt for every ticked target (Ctrl+Enter compares)"));
    m_promptEdit->setTabChangesFocus(true);
    m_promptEdit->setFixedHeight(m_promptEdit->fontMetrics().lineSpacing() * PromptLines + 12);
    m_compareButton = new QPushButton(tr("Compare"), pane);
    m_compareButton->setObjectName(u"compareButton"_s);
    m_compareButton->setDefault(true);
    m_stopButton = new QPushButton(tr("Stop"), pane);
    m_stopButton->setObjectName(u"compareStopButton"_s);
    m_message = new InlineMessage(pane);
    m_message->setObjectName(u"compareMessageLabel"_s);
    m_emptyLabel = new QLabel(
        tr("Tick two to six targets, write a prompt and press Compare: the answers stream in side by side with their "
           "time to first token, speed, tokens and cost. Promote the best one into a route."),
        pane);
    m_emptyLabel->setObjectName(u"compareEmptyLabel"_s);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setEnabled(false);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_compareButton);
    buttons->addWidget(m_stopButton);
    buttons->addStretch(1);
    auto *promptRow = new QHBoxLayout;
    promptRow->addWidget(m_promptEdit, 1);
    promptRow->addLayout(buttons);
    m_columnsLayout = new QHBoxLayout;
    m_columnsLayout->addWidget(m_emptyLabel);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(promptRow);
    layout->addWidget(m_message);
    layout->addLayout(m_columnsLayout, 1);

    connect(m_compareButton, &QPushButton::clicked, this, &ComparePanel::compare);
    connect(m_stopButton, &QPushButton::clicked, this, &ComparePanel::stop);
    connect(m_promptEdit, &QPlainTextEdit::textChanged, this, &ComparePanel::updateButtons);
    return pane;
}

bool ComparePanel::isBusy() const
{
    return std::any_of(
        m_columns.cbegin(), m_columns.cend(), [](const CompareColumn *column) { return column->isRunning(); });
}

void ComparePanel::setTargets(const QStringList &targets)
{
    if (isBusy()) {
        return;
    }
    for (const QString &target : targets) {
        m_targetsModel->addModelTarget(target);
    }
    m_targetsModel->setCheckedNames(targets);
    m_promptEdit->setFocus();
}

void ComparePanel::compare()
{
    const QString prompt = m_promptEdit->toPlainText().trimmed();
    const QStringList targets = m_targetsModel->checkedNames();
    if (isBusy() || prompt.isEmpty() || targets.size() < MinTargets) {
        return;
    }
    if (!m_runtime->gateway()->isRunning()) {
        m_message->showError(tr("The gateway is stopped; start it above to compare."));
        return;
    }
    m_message->dismiss();
    qDeleteAll(m_columns);
    m_columns.clear();
    m_emptyLabel->hide();

    ChatRequest request;
    const QString systemPrompt = m_parametersEditor->systemPrompt();
    if (!systemPrompt.trimmed().isEmpty()) {
        ChatMessage system;
        system.role = u"system"_s;
        system.text = systemPrompt;
        request.messages.append(system);
    }
    ChatMessage question;
    question.role = u"user"_s;
    question.text = prompt;
    request.messages.append(question);
    m_parametersEditor->parameters().applyTo(request);

    const Workbench::GatewayAccess access = Workbench::GatewayAccess::of(*m_runtime);
    for (const QString &target : targets) {
        auto *column = new CompareColumn(m_store, target, this);
        connect(column, &CompareColumn::finished, this, &ComparePanel::updateButtons);
        m_columnsLayout->addWidget(column, 1);
        m_columns.append(column);
        column->start(access, request);
    }
    updateButtons();
}

void ComparePanel::stop()
{
    for (CompareColumn *column : std::as_const(m_columns)) {
        column->cancel();
    }
}

void ComparePanel::updateButtons()
{
    const int ticked = int(m_targetsModel->checkedNames().size());
    const bool running = m_runtime->gateway()->isRunning();
    const bool busy = isBusy();
    m_targetsCountLabel->setText(
        tr("%1 ticked; compare %2 to %3 at a time.").arg(ticked).arg(MinTargets).arg(MaxTargets));
    m_compareButton->setEnabled(
        !busy && running && ticked >= MinTargets && !m_promptEdit->toPlainText().trimmed().isEmpty());
    m_compareButton->setToolTip(running ? QString() : tr("The gateway is stopped."));
    m_stopButton->setEnabled(busy);
    m_targetsView->setEnabled(!busy);
}

} // namespace Switchyard::Ui
