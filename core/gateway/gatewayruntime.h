#pragma once

#include "core/config/localkey.h"
#include "core/model/result.h"
#include "core/pricing/pricecatalog.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ledger {
class Ledger;
}

namespace Switchyard::Secrets {
class CredentialResolver;
class Keychain;
} // namespace Switchyard::Secrets

namespace Switchyard::Gateway {

class GatewayService;

// Keeps the gateway in step with the workspace: whenever the workspace loads or changes it
// resolves the providers' credentials (keychain reads happen here, never per request),
// rebuilds the gateway's tables, and sends every attempt to the ledger. Used by both
// `switchyard serve` and the desktop window.
class GatewayRuntime final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayRuntime)

public:
    GatewayRuntime(Config::WorkspaceStore *workspace, Ledger::Ledger *ledger, Pricing::PriceCatalog catalog,
                   Secrets::Keychain *keychain, QObject *parent = nullptr);
    ~GatewayRuntime() override;

    GatewayService *gateway() const { return m_gateway; }
    // Problems found by the last credential resolution (one line per provider).
    QStringList credentialProblems() const { return m_problems; }
    bool isReady() const { return m_ready; }
    // Re-reads every credential (after a key was stored in the keychain).
    void refreshCredentials();
    // The key the desktop window's own requests authenticate with (ledger key name "workbench").
    // It lives only in memory, for this process: it is never written to the workspace.
    QString workbenchKey() const { return m_workbenchKey; }

signals:
    // The gateway's tables reflect the current workspace and secrets.
    void ready();
    void credentialProblemsChanged(const QStringList &problems);

private:
    void applySecrets(const QHash<QString, QString> &secretByProviderId, const QStringList &problems);
    void seedBudgets();

    Config::WorkspaceStore *m_workspace = nullptr;
    Ledger::Ledger *m_ledger = nullptr;
    Pricing::PriceCatalog m_catalog;
    Secrets::CredentialResolver *m_resolver = nullptr;
    GatewayService *m_gateway = nullptr;
    QStringList m_problems;
    bool m_ready = false;
    Config::LocalKey m_workbenchLocalKey;
    QString m_workbenchKey;
};

} // namespace Switchyard::Gateway
