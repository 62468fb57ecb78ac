#include "app/servecommand.h"

#include "app/console.h"
#include "app/unixsignalwatcher.h"
#include "core/catalog/pricelayer.h"
#include "core/config/workspacefilewatcher.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "core/pricing/pricecatalog.h"
#include "core/secrets/keychain.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

ServeCommand::ServeCommand(QObject *parent)
    : QObject(parent)
{
}

ServeCommand::~ServeCommand() = default;

bool ServeCommand::start(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Runs the local gateway without a window."));
    parser.addHelpOption();
    const QCommandLineOption configOption(u"config"_s, tr("Workspace file to use."), tr("FILE"));
    const QCommandLineOption listenOption(u"listen"_s, tr("Address to listen on (default from the workspace, "
                                                          "127.0.0.1:4000)."),
                                          tr("HOST:PORT"));
    const QCommandLineOption dataDirOption(u"data-dir"_s, tr("Folder for the usage ledger."), tr("DIR"));
    parser.addOptions({configOption, listenOption, dataDirOption});
    if (!parser.parse(arguments)) {
        Console::err(parser.errorText());
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        Console::out(parser.helpText());
        QMetaObject::invokeMethod(this, [this] { finish(0); }, Qt::QueuedConnection);
        return true;
    }
    m_paths = AppPaths::defaults();
    if (parser.isSet(configOption)) {
        m_paths.workspaceFile = parser.value(configOption);
    }
    if (parser.isSet(dataDirOption)) {
        m_paths.dataDir = parser.value(dataDirOption);
    }
    if (parser.isSet(listenOption)) {
        const QString listen = parser.value(listenOption);
        const qsizetype colon = listen.lastIndexOf(u':');
        bool portOk = false;
        const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : -1;
        if (!portOk || port < 0 || port > 65535) {
            Console::err(tr("--listen expects HOST:PORT, e.g. 127.0.0.1:4000 (got \"%1\").").arg(listen));
            return false;
        }
        m_listenHost = listen.left(colon);
        m_listenPort = port;
    }

    m_workspace = new Config::WorkspaceStore(m_paths.workspaceFile, this);
    if (Status loaded = m_workspace->load(); !loaded) {
        Console::err(loaded.errorMessage());
        return false;
    }
    m_ledger = new Ledger::Ledger(m_paths.ledgerFile(), this);
    if (Status opened = m_ledger->open(); !opened) {
        Console::err(opened.errorMessage());
        return false;
    }
    connect(m_ledger, &Ledger::Ledger::writeFailed, this, [](const QString &message) { Console::err(message); });
    QStringList priceProblems;
    Pricing::PriceCatalog catalog = Catalog::PriceLayer::bundledWithLayer(m_paths.dataDir, &priceProblems);
    for (const QString &problem : std::as_const(priceProblems)) {
        Console::err(tr("Some costs will show as unknown: %1").arg(problem));
    }
    m_keychain = new Secrets::Keychain(u"switchyard"_s, this);
    m_runtime = new Gateway::GatewayRuntime(m_workspace, m_ledger, std::move(catalog), m_keychain, this);
    connect(m_runtime, &Gateway::GatewayRuntime::ready, this, &ServeCommand::startGateway);
    m_signals = new UnixSignalWatcher(this);
    connect(m_signals, &UnixSignalWatcher::terminationRequested, this, &ServeCommand::handleTermination);

    auto *watcher = new Config::WorkspaceFileWatcher(m_workspace, this);
    connect(watcher, &Config::WorkspaceFileWatcher::reloadFailed, this, [](const QString &message) {
        Console::err(message);
    });
    m_runtime->refreshCredentials();
    return true;
}

void ServeCommand::startGateway()
{
    Gateway::GatewayService *gateway = m_runtime->gateway();
    if (Status started = gateway->start(m_listenHost, m_listenPort); !started) {
        Console::err(started.errorMessage());
        finish(1);
        return;
    }
    const Config::Workspace &workspace = m_workspace->workspace();
    Console::out(tr("Switchyard gateway listening on http://%1:%2/v1").arg(gateway->host()).arg(gateway->port()));
    Console::out(tr("Workspace: %1").arg(m_paths.workspaceFile));
    Console::out(tr("Ledger: %1").arg(m_paths.ledgerFile()));
    if (workspace.providers.isEmpty()) {
        Console::err(tr("No providers are configured yet: add one in the Switchyard window or in the workspace file."));
    }
    if (workspace.localKeys.isEmpty()) {
        Console::err(tr("No local API keys exist yet; clients will get 401. Create one with: switchyard keys local "
                        "create NAME"));
    }
}

void ServeCommand::handleTermination(int)
{
    if (m_stopping) {
        Console::err(tr("Stopping now."));
        m_runtime->gateway()->stop();
        finish(0);
        return;
    }
    m_stopping = true;
    Console::err(tr("Shutting down: finishing open requests (up to %1 s; press Ctrl+C again to stop now)...")
                     .arg(m_graceMs / 1000));
    connect(m_runtime->gateway(), &Gateway::GatewayService::stopped, this, [this] { finish(0); });
    m_runtime->gateway()->shutdown(m_graceMs);
}

void ServeCommand::finish(int exitCode)
{
    if (m_ledger != nullptr) {
        m_ledger->close();
    }
    QCoreApplication::exit(exitCode);
}

} // namespace Switchyard::App
