#include "core/gateway/gatewayruntime.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/secrets/credentialresolver.h"

#include <QLoggingCategory>

#include <tuple>

using namespace Qt::StringLiterals;

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
    std::tie(m_workbenchLocalKey, m_workbenchKey) = Config::LocalKey::generate(u"workbench"_s);
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
    const QList<Routing::Budget> budgetsBefore = m_gateway->budgets().budgets();
    Config::Workspace served = m_workspace->workspace();
    served.localKeys.append(m_workbenchLocalKey);
    m_gateway->setTables(GatewayTables::build(served, secretByProviderId, m_catalog));
    // Budgets that stay keep their live spend; new ones start from what the ledger holds.
    if (!m_ready || m_gateway->budgets().budgets() != budgetsBefore) {
        seedBudgets();
    }
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

void GatewayRuntime::seedBudgets()
{
    // Spend already in the ledger counts against the budgets' current windows, so a restart
    // does not hand out a fresh allowance.
    if (m_ledger == nullptr || m_gateway->budgets().budgets().isEmpty()) {
        return;
    }
    auto reader = Ledger::LedgerReader::open(m_ledger->databasePath());
    if (!reader) {
        return; // no ledger yet: nothing spent
    }
    QList<Routing::BudgetBook::Spend> spend;
    for (const Routing::BudgetBook::Account &account : m_gateway->budgets().accounts()) {
        const Ledger::Grouping grouping = account.budget.scope == Routing::Budget::Scope::Key ? Ledger::Grouping::Key
            : account.budget.scope == Routing::Budget::Scope::Route                           ? Ledger::Grouping::Route
                                                                                               : Ledger::Grouping::Provider;
        const auto rows = reader->spend(grouping, account.windowStart);
        if (!rows) {
            qCWarning(lcRuntime).noquote() << rows.errorMessage();
            continue;
        }
        for (const Ledger::SpendRow &row : rows.value()) {
            if (row.group == account.budget.name) {
                spend.append({account.budget.scope, account.budget.name, account.budget.window, row.cost});
            }
        }
    }
    m_gateway->seedBudgets(spend);
}

} // namespace Switchyard::Gateway
