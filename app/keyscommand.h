#pragma once

#include "app/apppaths.h"

#include <QObject>
#include <QStringList>

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::App {

// `switchyard keys`: provider secrets in the OS keychain (set / list / delete; a secret is
// read from standard input, never from the command line) and the gateway's local API keys
// (local create / list / revoke).
class KeysCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeysCommand)

public:
    explicit KeysCommand(QObject *parent = nullptr);

    // Returns false after printing why when the command cannot run; otherwise the event loop
    // runs until the command calls QCoreApplication::exit().
    bool start(const QStringList &arguments);

private:
    bool setSecret(const QString &name);
    bool deleteSecret(const QString &name);
    bool listSecrets();
    bool createLocalKey(const QString &name);
    bool listLocalKeys();
    bool revokeLocalKey(const QString &name);
    bool saveWorkspace(const Config::Workspace &workspace);
    void finish(int exitCode);
    static bool isValidSecretName(const QString &name);

    Config::WorkspaceStore *m_workspace = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
};

} // namespace Switchyard::App
