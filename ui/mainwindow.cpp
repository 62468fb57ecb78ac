#include "ui/mainwindow.h"

#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "ui/pages/gateway/gatewaypage.h"
#include "ui/pages/playground/playgroundpage.h"
#include "ui/pages/providers/providerspage.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QListWidgetItem>
#include <QPalette>
#include <QSettings>
#include <QSize>
#include <QStackedWidget>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
const auto GeometryKey = "mainWindow/geometry"_L1;
const auto PageKey = "mainWindow/page"_L1;
constexpr int StatusMessageMs = 15000;
} // namespace

MainWindow::MainWindow(Config::WorkspaceStore *store, Secrets::Keychain *keychain, Gateway::GatewayRuntime *runtime,
    Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent)
    : QMainWindow(parent)
    , m_runtime(runtime)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_gatewayStatus(new QLabel(this))
    , m_credentialStatus(new QLabel(this))
{
    setWindowTitle(tr("Switchyard"));
    m_sidebar->setObjectName(u"sidebar"_s);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    // The sidebar reads as navigation, not as a list inside the window.
    m_sidebar->setBackgroundRole(QPalette::Window);
    m_pages->setObjectName(u"pages"_s);
    addPage(Page::Gateway, tr("Gateway"), new GatewayPage(store, runtime, ledger, ledgerPath, m_pages));
    addPage(Page::Providers, tr("Providers"), new ProvidersPage(store, keychain, runtime, m_pages));
    addPage(Page::Playground, tr("Playground"),
        new PlaygroundPage(store, runtime, QFileInfo(ledgerPath).absolutePath(), m_pages));
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

    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(runtime->gateway(), &Gateway::GatewayService::runningChanged, this, &MainWindow::updateGatewayStatus);
    connect(runtime, &Gateway::GatewayRuntime::credentialProblemsChanged, this, &MainWindow::updateCredentialStatus);
    connect(ledger, &Ledger::Ledger::writeFailed, this,
        [this](const QString &message) { statusBar()->showMessage(message, StatusMessageMs); });
    updateGatewayStatus();
    updateCredentialStatus(runtime->credentialProblems());
    restoreState();
}

void MainWindow::addPage(Page page, const QString &title, QWidget *widget)
{
    auto *item = new QListWidgetItem(title, m_sidebar);
    const QFontMetrics metrics = m_sidebar->fontMetrics();
    item->setSizeHint(QSize(metrics.horizontalAdvance(title) + 4 * metrics.averageCharWidth(), metrics.height() * 2));
    m_pages->addWidget(widget);
    // Ctrl+1, Ctrl+2, … in sidebar order.
    auto *action = new QAction(title, this);
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + int(page))));
    action->setShortcutContext(Qt::WindowShortcut);
    connect(action, &QAction::triggered, this, [this, page] { setCurrentPage(page); });
    addAction(action);
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void MainWindow::setCurrentPage(Page page)
{
    m_sidebar->setCurrentRow(int(page));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreState()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(GeometryKey).toByteArray())) {
        resize(1280, 800);
    }
    const int page = settings.value(PageKey, 0).toInt();
    setCurrentPage(page >= 0 && page < int(Page::Count) ? Page(page) : Page::Gateway);
}

void MainWindow::saveState() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(PageKey, int(currentPage()));
}

void MainWindow::updateGatewayStatus()
{
    const Gateway::GatewayService *gateway = m_runtime->gateway();
    m_gatewayStatus->setText(
        gateway->isRunning() ? tr("Gateway running on %1").arg(GatewayPage::baseUrl(gateway)) : tr("Gateway stopped"));
}

void MainWindow::updateCredentialStatus(const QStringList &problems)
{
    m_credentialStatus->setText(
        problems.isEmpty() ? QString() : tr("%n credential problem(s)", nullptr, int(problems.size())));
    m_credentialStatus->setToolTip(problems.join(u'\n'));
}

} // namespace Switchyard::Ui
