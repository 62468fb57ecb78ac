#include "app/guiapplication.h"

#include "core/catalog/pricelayer.h"
#include "core/config/workspacefilewatcher.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "core/pricing/pricecatalog.h"
#include "core/secrets/keychain.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

namespace {
constexpr int ShutdownGraceMs = 2000;
} // namespace

GuiApplication::GuiApplication(QObject *parent)
    : QObject(parent)
{
}

GuiApplication::~GuiApplication() = default;

bool GuiApplication::start()
{
    m_paths = AppPaths::defaults();
    m_workspace = new Config::WorkspaceStore(m_paths.workspaceFile, this);
    // A workspace that cannot be read still opens the window: the store is then read-only (it never
    // overwrites a file it did not understand), the user sees why, and the ledger history stays
    // visible. The gateway is not started automatically from a workspace that failed to load.
    const Status loaded = m_workspace->load();
    m_workspaceLoaded = loaded.isOk();

    m_ledger = new Ledger::Ledger(m_paths.ledgerFile(), this);
    if (Status opened = m_ledger->open(); !opened) {
        QMessageBox::critical(nullptr, tr("Switchyard"), opened.errorMessage());
        return false;
    }
    QStringList priceProblems;
    Pricing::PriceCatalog catalog = Catalog::PriceLayer::bundledWithLayer(m_paths.dataDir, &priceProblems);
    m_keychain = new Secrets::Keychain(u"switchyard"_s, this);
    m_runtime = new Gateway::GatewayRuntime(m_workspace, m_ledger, std::move(catalog), m_keychain, this);
    connect(m_runtime, &Gateway::GatewayRuntime::ready, this, &GuiApplication::startGatewayIfWanted);

    m_window = std::make_unique<Ui::MainWindow>(m_workspace, m_keychain, m_runtime, m_ledger, m_paths.ledgerFile());
    QApplication::setQuitOnLastWindowClosed(false);
    // Queued: the window is destroyed in finish(), which must not happen inside its own close().
    connect(qApp, &QGuiApplication::lastWindowClosed, this, &GuiApplication::finish, Qt::QueuedConnection);
    // With a tray icon, closing the window only hides it; Quit is the way out.
    connect(m_window.get(), &Ui::MainWindow::quitRequested, this, &GuiApplication::finish, Qt::QueuedConnection);
    m_window->show();
    auto *watcher = new Config::WorkspaceFileWatcher(m_workspace, this);
    connect(watcher, &Config::WorkspaceFileWatcher::reloadFailed, this, [this](const QString &message) {
        if (m_window) {
            m_window->statusBar()->showMessage(message);
        }
    });
    if (!loaded) {
        showLoadError(tr("Workspace Not Loaded"),
            tr("%1\n\nChanges cannot be saved until the file is fixed; restart Switchyard afterwards.")
                .arg(loaded.errorMessage()));
    }
    if (!priceProblems.isEmpty()) {
        showLoadError(tr("Prices Not Loaded"),
            tr("Some costs will show as unknown: %1").arg(priceProblems.join(u'\n')));
    }
    m_runtime->refreshCredentials();
    return true;
}

void GuiApplication::startGatewayIfWanted()
{
    if (!m_workspaceLoaded || !m_workspace->workspace().gateway.autoStart) {
        return;
    }
    // A failure (e.g. the port is taken) is not fatal: the window's status bar says why, and the
    // Gateway page and the tray offer Start.
    if (m_window) {
        m_window->startGateway();
    }
}

void GuiApplication::showLoadError(const QString &title, const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window.get());
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void GuiApplication::finish()
{
    if (m_finishing) {
        return;
    }
    m_finishing = true;
    m_window.reset();
    Gateway::GatewayService *gateway = m_runtime->gateway();
    connect(gateway, &Gateway::GatewayService::stopped, this, [this] {
        m_ledger->close();
        QCoreApplication::quit();
    });
    gateway->shutdown(ShutdownGraceMs);
}

} // namespace Switchyard::App
