#include "core/gateway/gatewayruntime.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/secrets/credentialresolver.h"

#include <QLoggingCategory>

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcRuntime, "switchyard.gateway.gatewayruntime")
}

GatewayRuntime::GatewayRuntime(Config::WorkspaceStore *workspace, Ledger::Ledger *ledger, Pricing::PriceCatalog catalog,
                               Secrets::Keychain *keychain, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_ledger(ledger)
    , m_catalog(std::move(catalog))
    , m_resolver(new Secrets::CredentialResolver(keychain, this))
    , m_gateway(new GatewayService(this))
{
    connect(m_resolver, &Secrets::CredentialResolver::resolved, this, &GatewayRuntime::applySecrets);
    connect(m_workspace, &Config::WorkspaceStore::changed, this, &GatewayRuntime::refreshCredentials);
    if (m_ledger != nullptr) {
        connect(m_gateway, &GatewayService::attemptRecorded, this,
                [ledger = m_ledger](const Ledger::UsageRecord &record) { ledger->append(record); });
    }
}

GatewayRuntime::~GatewayRuntime() = default;

void GatewayRuntime::refreshCredentials()
{
    m_resolver->resolve(m_workspace->workspace().providers);
}

void GatewayRuntime::applySecrets(const QHash<QString, QString> &secretByProviderId, const QStringList &problems)
{
    m_gateway->setTables(GatewayTables::build(m_workspace->workspace(), secretByProviderId, m_catalog));
    for (const QString &problem : problems) {
        qCWarning(lcRuntime).noquote() << problem;
    }
    m_problems = problems;
    emit credentialProblemsChanged(problems);
    const bool first = !m_ready;
    m_ready = true;
    if (first) {
        emit ready();
    }
}

} // namespace Switchyard::Gateway
