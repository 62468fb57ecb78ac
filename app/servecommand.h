#pragma once

#include "app/apppaths.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}
namespace Switchyard::Ledger {
class Ledger;
}
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::App {

class UnixSignalWatcher;

// `switchyard serve`: runs the gateway headless until SIGINT/SIGTERM, then stops accepting,
// lets open requests finish (streams are ended cleanly after a grace period) and flushes
// the ledger.
class ServeCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServeCommand)

public:
    explicit ServeCommand(QObject *parent = nullptr);
    ~ServeCommand() override;

    // Returns false (after printing why) when the gateway cannot start; otherwise the event
    // loop runs until the command calls QCoreApplication::exit().
    bool start(const QStringList &arguments);

private:
    void startGateway();
    void handleTermination(int signalNumber);
    void finish(int exitCode);

    AppPaths m_paths;
    QString m_listenHost;
    int m_listenPort = -1;
    int m_graceMs = 10000;
    bool m_stopping = false;
    Config::WorkspaceStore *m_workspace = nullptr;
    Ledger::Ledger *m_ledger = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    UnixSignalWatcher *m_signals = nullptr;
};

} // namespace Switchyard::App
