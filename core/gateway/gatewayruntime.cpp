#include "core/gateway/gatewayruntime.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/routing/clock.h"
#include "core/routing/routerstate.h"
#include "core/secrets/credentialresolver.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <tuple>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcRuntime, "switchyard.gateway.gatewayruntime")

Ledger::BreakerEvent breakerEvent(const Routing::BreakerTransition &transition, const Routing::Clock &clock)
{
    Ledger::BreakerEvent event;
    // The router's clock is monotonic; the ledger keeps wall-clock time. A cooldown's end is
    // noticed after the fact, so the change may lie in the past.
    event.time = QDateTime::currentDateTimeUtc().addMSecs(transition.atMs - clock.nowMs());
    const auto target = Routing::RouteTarget::parse(transition.targetKey);
    event.provider = target ? target->provider : transition.targetKey;
    event.model = target ? target->model : QString();
    event.fromState = Routing::CircuitBreaker::stateKey(transition.from);
    event.toState = Routing::CircuitBreaker::stateKey(transition.to);
    event.reason = transition.reason();
    return event;
}
} // namespace

GatewayRuntime::GatewayRuntime(Config::WorkspaceStore *workspace, Ledger::Ledger *ledger, Pricing::PriceCatalog catalog,
    Secrets::Keychain *keychain, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_ledger(ledger)
    , m_catalog(std::move(catalog))
    , m_resolver(new Secrets::CredentialResolver(keychain, this))
    , m_gateway(new GatewayService(this))
{
    std::tie(m_workbenchLocalKey, m_workbenchKey) = Config::LocalKey::generate(Config::LocalKey::workbenchName());
    connect(m_resolver, &Secrets::CredentialResolver::resolved, this, &GatewayRuntime::applySecrets);
    connect(m_workspace, &Config::WorkspaceStore::changed, this, &GatewayRuntime::refreshCredentials);
    if (m_ledger != nullptr) {
        connect(m_gateway, &GatewayService::attemptRecorded, this,
            [ledger = m_ledger](const Ledger::UsageRecord &record) { ledger->append(record); });
        Routing::RouterState *state = &m_gateway->routerState();
        connect(state, &Routing::RouterState::breakerTransitioned, this,
            [ledger = m_ledger, state](const Routing::BreakerTransition &transition) {
                ledger->appendBreakerEvent(breakerEvent(transition, state->clock()));
            });
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
    m_gateway->setTables(
        GatewayTables::build(m_workspace->workspace(), secretByProviderId, m_catalog, nullptr, m_workbenchLocalKey));
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
    // Requests of unknown price were charged at the unpriced rate when they ran; the ledger
    // keeps them unpriced, so their tokens are charged again at the workspace's current rate.
    const double unpricedUsdPerToken = m_gateway->tables()->unpricedCostPerMillionTokens() / 1e6;
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
                const Money unpriced = Money::fromUsd(double(row.unpricedTokens) * unpricedUsdPerToken);
                spend.append({account.budget.scope, account.budget.name, account.budget.window, row.cost + unpriced});
            }
        }
    }
    m_gateway->seedBudgets(spend);
}

} // namespace Switchyard::Gateway
