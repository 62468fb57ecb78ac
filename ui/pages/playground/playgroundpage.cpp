#include "ui/pages/playground/playgroundpage.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "ui/pages/playground/chatpanel.h"
#include "ui/pages/playground/comparepanel.h"
#include "ui/widgets/inlinemessage.h"

#include <QDir>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

PlaygroundPage::PlaygroundPage(
    Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, const QString &dataDir, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_tabs(new QTabWidget(this))
    , m_chatPanel(new ChatPanel(store, runtime, QDir(dataDir).filePath(u"conversations"_s), m_tabs))
    , m_comparePanel(new ComparePanel(store, runtime, m_tabs))
{
    m_tabs->setObjectName(u"playgroundTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_chatPanel, tr("Chat"));
    m_tabs->addTab(m_comparePanel, tr("Compare"));
    m_chatPanel->setObjectName(u"chatPanel"_s);
    m_comparePanel->setObjectName(u"comparePanel"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createGatewayBanner());
    layout->addWidget(m_tabs, 1);

    connect(m_runtime->gateway(), &Gateway::GatewayService::runningChanged, this, &PlaygroundPage::updateGatewayBanner);
    connect(m_runtime, &Gateway::GatewayRuntime::ready, this, &PlaygroundPage::updateGatewayBanner);
    updateGatewayBanner();
}

QWidget *PlaygroundPage::createGatewayBanner()
{
    auto *banner = new QFrame(this);
    banner->setObjectName(u"gatewayBanner"_s);
    banner->setFrameShape(QFrame::StyledPanel);
    auto *text = new QLabel(tr("The gateway is stopped. The Playground sends its requests through it, so that routes, "
                               "fallbacks, budgets and the ledger apply to them as to any other application."),
        banner);
    text->setWordWrap(true);
    m_startButton = new QPushButton(tr("Start Gateway"), banner);
    m_startButton->setObjectName(u"startGatewayButton"_s);
    m_startMessage = new InlineMessage(banner);
    m_startMessage->setObjectName(u"startGatewayMessage"_s);
    auto *row = new QHBoxLayout;
    row->addWidget(text, 1);
    row->addWidget(m_startButton);
    auto *layout = new QVBoxLayout(banner);
    layout->addLayout(row);
    layout->addWidget(m_startMessage);
    connect(m_startButton, &QPushButton::clicked, this, &PlaygroundPage::startGateway);
    m_banner = banner;
    return banner;
}

PlaygroundPage::Mode PlaygroundPage::mode() const
{
    return m_tabs->currentWidget() == m_comparePanel ? Mode::Compare : Mode::Chat;
}

void PlaygroundPage::setMode(Mode mode)
{
    m_tabs->setCurrentWidget(mode == Mode::Compare ? static_cast<QWidget *>(m_comparePanel) : m_chatPanel);
}

void PlaygroundPage::openTarget(const QString &target)
{
    m_chatPanel->openTarget(target);
    setMode(Mode::Chat);
}

void PlaygroundPage::compareTargets(const QStringList &targets)
{
    m_comparePanel->setTargets(targets);
    setMode(Mode::Compare);
}

void PlaygroundPage::startGateway()
{
    m_startMessage->dismiss();
    const Config::GatewaySettings &settings = m_store->workspace().gateway;
    if (Status started = m_runtime->gateway()->start(settings.host, settings.port); !started) {
        m_startMessage->showError(started.errorMessage());
    }
}

void PlaygroundPage::updateGatewayBanner()
{
    m_banner->setVisible(!m_runtime->gateway()->isRunning());
    // Until the first credential resolution the gateway has no tables to serve from.
    m_startButton->setEnabled(m_runtime->isReady());
    m_startButton->setToolTip(m_runtime->isReady() ? QString() : tr("Reading provider credentials…"));
}

} // namespace Switchyard::Ui
