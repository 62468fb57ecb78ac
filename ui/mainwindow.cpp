#include "ui/mainwindow.h"

#include "core/catalog/modeldiscovery.h"
#include "core/catalog/modelindexservice.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "core/secrets/keychain.h"
#include "ui/pages/gateway/gatewaypage.h"
#include "ui/pages/logs/logspage.h"
#include "ui/pages/models/modelspage.h"
#include "ui/pages/playground/playgroundpage.h"
#include "ui/pages/providers/providerspage.h"
#include "ui/pages/routes/routespage.h"
#include "ui/widgets/gatewaytrayicon.h"
#include "ui/widgets/todayspendlabel.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHideEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QListWidgetItem>
#include <QMenu>
#include <QMenuBar>
#include <QPalette>
#include <QSettings>
#include <QShowEvent>
#include <QSize>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
const auto GeometryKey = "mainWindow/geometry"_L1;
const auto PageKey = "mainWindow/page"_L1;
const auto TrayHintShownKey = "mainWindow/trayHintShown"_L1;
constexpr int StatusMessageMs = 15000;
constexpr int PageShortcuts = 9; // Ctrl+1 … Ctrl+9
} // namespace

MainWindow::MainWindow(Config::WorkspaceStore *store, Secrets::Keychain *keychain, Gateway::GatewayRuntime *runtime,
    Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_gatewayStatus(new QLabel(this))
    , m_todaySpend(new TodaySpendLabel(ledger, ledgerPath, this))
    , m_credentialStatus(new QLabel(this))
{
    setWindowTitle(tr("Switchyard"));
    createActions();
    m_sidebar->setObjectName(u"sidebar"_s);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    // The sidebar reads as navigation, not as a list inside the window.
    m_sidebar->setBackgroundRole(QPalette::Window);
    m_pages->setObjectName(u"pages"_s);
    const QString dataDir = QFileInfo(ledgerPath).absolutePath();
    auto *playground = new PlaygroundPage(store, runtime, dataDir, m_pages);
    auto *models = new ModelsPage(store,
        new Catalog::ModelIndexService(
            store, keychain->serviceName(), dataDir, Catalog::ModelDiscovery::defaultCacheDirectory(), this),
        m_pages);
    connect(models, &ModelsPage::openInPlaygroundRequested, this, [this, playground](const QString &target) {
        playground->openTarget(target);
        setCurrentPage(u"playground"_s);
    });
    connect(models, &ModelsPage::compareRequested, this, [this, playground](const QStringList &targets) {
        playground->compareTargets(targets);
        setCurrentPage(u"playground"_s);
    });
    // One line per page, in sidebar order.
    addPage(u"playground"_s, tr("Playground"), playground);
    addPage(u"models"_s, tr("Models"), models);
    addPage(u"routes"_s, tr("Routes"), new RoutesPage(store, runtime, m_pages));
    addPage(u"providers"_s, tr("Providers"), new ProvidersPage(store, keychain, runtime, ledger, ledgerPath, m_pages));
    addPage(u"gateway"_s, tr("Gateway"), new GatewayPage(store, runtime, ledger, ledgerPath, m_pages));
    addPage(u"logs"_s, tr("Logs"), new LogsPage(ledger, ledgerPath, m_pages));
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 2 * m_sidebar->spacing() + 32);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_gatewayStatus->setObjectName(u"gatewayStatusLabel"_s);
    m_credentialStatus->setObjectName(u"credentialStatusLabel"_s);
    statusBar()->addWidget(m_gatewayStatus);
    statusBar()->addPermanentWidget(m_credentialStatus);
    statusBar()->addPermanentWidget(m_todaySpend);

    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(runtime->gateway(), &Gateway::GatewayService::runningChanged, this, [this] {
        m_gatewayError.clear();
        updateGatewayStatus();
    });
    connect(runtime, &Gateway::GatewayRuntime::ready, this, &MainWindow::updateGatewayStatus);
    connect(runtime, &Gateway::GatewayRuntime::credentialProblemsChanged, this, &MainWindow::updateCredentialStatus);
    connect(ledger, &Ledger::Ledger::writeFailed, this,
        [this](const QString &message) { statusBar()->showMessage(message, StatusMessageMs); });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        createTrayIcon();
    }
    updateGatewayStatus();
    updateCredentialStatus(runtime->credentialProblems());
    restoreState();
}

void MainWindow::createActions()
{
    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(u"quitAction"_s);
    m_quitAction->setShortcut(QKeySequence::Quit);
    // Ctrl+Q everywhere, also where the platform has no standard quit key.
    if (m_quitAction->shortcut().isEmpty()) {
        m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    }
    connect(m_quitAction, &QAction::triggered, this, [this] {
        saveState();
        emit quitRequested();
    });
    m_gatewayAction = new QAction(this);
    m_gatewayAction->setObjectName(u"gatewayAction"_s);
    m_gatewayAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    connect(m_gatewayAction, &QAction::triggered, this, &MainWindow::toggleGateway);
    m_showHideAction = new QAction(tr("Show Window"), this);
    m_showHideAction->setObjectName(u"showHideAction"_s);
    connect(m_showHideAction, &QAction::triggered, this, &MainWindow::toggleVisible);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_quitAction);
    QMenu *gatewayMenu = menuBar()->addMenu(tr("&Gateway"));
    gatewayMenu->addAction(m_gatewayAction);
    m_viewMenu = menuBar()->addMenu(tr("&View"));
}

void MainWindow::addPage(const QString &id, const QString &title, QWidget *page)
{
    const int index = int(m_pageIds.size());
    m_pageIds.append(id);
    page->setObjectName(id + u"Page"_s);
    auto *item = new QListWidgetItem(title, m_sidebar);
    const QFontMetrics metrics = m_sidebar->fontMetrics();
    item->setSizeHint(QSize(metrics.horizontalAdvance(title) + 4 * metrics.averageCharWidth(), metrics.height() * 2));
    m_pages->addWidget(page);
    auto *action = new QAction(title, this);
    if (index < PageShortcuts) {
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
        item->setToolTip(tr("%1 (%2)").arg(title, action->shortcut().toString(QKeySequence::NativeText)));
    }
    connect(action, &QAction::triggered, this, [this, id] { setCurrentPage(id); });
    m_viewMenu->addAction(action);
}

QString MainWindow::currentPage() const
{
    return m_pageIds.value(m_pages->currentIndex());
}

void MainWindow::setCurrentPage(const QString &id)
{
    if (const auto index = m_pageIds.indexOf(id); index >= 0) {
        m_sidebar->setCurrentRow(int(index));
    }
}

void MainWindow::startGateway()
{
    const Config::GatewaySettings &settings = m_store->workspace().gateway;
    if (Status started = m_runtime->gateway()->start(settings.host, settings.port); !started) {
        m_gatewayError = started.errorMessage();
        updateGatewayStatus();
        if (m_trayIcon != nullptr && !isVisible()) {
            m_trayIcon->showMessage(tr("Gateway Not Started"), m_gatewayError, QSystemTrayIcon::Warning);
        }
    }
}

void MainWindow::toggleGateway()
{
    if (m_runtime->gateway()->isRunning()) {
        m_runtime->gateway()->stop();
    } else {
        startGateway();
    }
}

void MainWindow::createTrayIcon()
{
    m_trayIcon = new GatewayTrayIcon(
        m_runtime->gateway(), {m_showHideAction, nullptr, m_gatewayAction, nullptr, m_quitAction}, this);
    m_trayIcon->setObjectName(u"trayIcon"_s);
    connect(m_trayIcon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            toggleVisible();
        }
    });
    m_trayIcon->show();
}

void MainWindow::toggleVisible()
{
    if (isVisible() && !isMinimized()) {
        hide();
    } else {
        showNormal();
        raise();
        activateWindow();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    if (m_trayIcon == nullptr || !m_trayIcon->isVisible()) {
        QMainWindow::closeEvent(event);
        return;
    }
    // The gateway keeps serving with the window closed; Quit ends both.
    event->ignore();
    hide();
    QSettings settings;
    if (!settings.value(TrayHintShownKey, false).toBool()) {
        m_trayIcon->showMessage(tr("Switchyard Is Still Running"),
            tr("The gateway keeps serving from the notification area. Choose Quit from this icon's menu to end it."));
        settings.setValue(TrayHintShownKey, true);
    }
}

void MainWindow::showEvent(QShowEvent *event)
{
    m_showHideAction->setText(tr("Hide Window"));
    QMainWindow::showEvent(event);
}

void MainWindow::hideEvent(QHideEvent *event)
{
    m_showHideAction->setText(tr("Show Window"));
    QMainWindow::hideEvent(event);
}

void MainWindow::restoreState()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(GeometryKey).toByteArray())) {
        resize(1280, 800);
    }
    const QString page = settings.value(PageKey).toString();
    setCurrentPage(m_pageIds.contains(page) ? page : m_pageIds.constFirst());
}

void MainWindow::saveState() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(PageKey, currentPage());
}

void MainWindow::updateGatewayStatus()
{
    const Gateway::GatewayService *gateway = m_runtime->gateway();
    const bool running = gateway->isRunning();
    QString state;
    if (running) {
        state = tr("Gateway running on %1").arg(GatewayPage::baseUrl(gateway));
    } else if (!m_gatewayError.isEmpty()) {
        state = tr("Gateway not running: %1").arg(m_gatewayError);
    } else {
        state = tr("Gateway stopped");
    }
    m_gatewayStatus->setText(state);
    m_gatewayAction->setText(running ? tr("&Stop Gateway") : tr("&Start Gateway"));
    // Until the first credential resolution the gateway has no tables to serve from.
    m_gatewayAction->setEnabled(running || m_runtime->isReady());
    if (m_trayIcon != nullptr) {
        m_trayIcon->setGatewayState(state);
    }
}

void MainWindow::updateCredentialStatus(const QStringList &problems)
{
    m_credentialStatus->setText(
        problems.isEmpty() ? QString() : tr("%n credential problem(s)", nullptr, int(problems.size())));
    m_credentialStatus->setToolTip(problems.join(u'\n'));
}

} // namespace Switchyard::Ui
