#include "ui/pages/providers/providerspage.h"

#include "core/catalog/connectiontest.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/ledger/ledger.h"
#include "core/providers/credentialref.h"
#include "core/secrets/keychain.h"
#include "ui/dialogs/providerdialog.h"
#include "ui/models/ledgerqueryworker.h"
#include "ui/models/providersmodel.h"
#include "ui/widgets/connectionreporttext.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/readonlytableview.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace Switchyard::Ui {

ProvidersPage::ProvidersPage(Config::WorkspaceStore *store, Secrets::Keychain *keychain,
    Gateway::GatewayRuntime *runtime, Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_keychain(keychain)
    , m_model(new ProvidersModel(store, this))
    , m_healthWorker(new LedgerQueryWorker(ledgerPath, this))
    , m_connectionTest(new Catalog::ConnectionTest(keychain->serviceName(), this))
    , m_healthTimer(new QTimer(this))
    , m_view(new ReadOnlyTableView(this))
    , m_editButton(new QPushButton(tr("Edit Provider…"), this))
    , m_testButton(new QPushButton(tr("Test Connection"), this))
    , m_deleteButton(new QPushButton(tr("Delete Provider…"), this))
    , m_message(new InlineMessage(this))
    , m_problemsLabel(new InlineMessage(this))
{
    auto *intro = new QLabel(tr("Upstream services the gateway forwards requests to. Clients call a model as "
                                "id/model, e.g. openai/gpt-4o-mini. API keys stay in the system keychain."),
        this);
    intro->setWordWrap(true);
    m_view->setObjectName(u"providersView"_s);
    m_view->setModel(m_model);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(int(ProvidersModel::Column::BaseUrl), QHeaderView::Stretch);
    auto *addButton = new QPushButton(tr("Add Provider…"), this);
    addButton->setObjectName(u"addProviderButton"_s);
    m_editButton->setObjectName(u"editProviderButton"_s);
    m_testButton->setObjectName(u"testProviderButton"_s);
    m_deleteButton->setObjectName(u"deleteProviderButton"_s);
    m_message->setObjectName(u"providersMessageLabel"_s);
    m_problemsLabel->setObjectName(u"credentialProblemsLabel"_s);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(addButton);
    buttons->addWidget(m_editButton);
    buttons->addWidget(m_testButton);
    buttons->addWidget(m_deleteButton);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_view, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_problemsLabel);
    layout->addLayout(row, 1);
    layout->addWidget(m_message);

    connect(addButton, &QPushButton::clicked, this, &ProvidersPage::openAddDialog);
    connect(m_editButton, &QPushButton::clicked, this, &ProvidersPage::openEditDialog);
    connect(m_view, &QTableView::doubleClicked, this, &ProvidersPage::openEditDialog);
    connect(m_testButton, &QPushButton::clicked, this, &ProvidersPage::testSelected);
    connect(m_connectionTest, &Catalog::ConnectionTest::finished, this, &ProvidersPage::showTestReport);
    connect(m_deleteButton, &QPushButton::clicked, this, &ProvidersPage::confirmDeleteSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProvidersPage::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ProvidersPage::updateButtons);
    connect(m_keychain, &Secrets::Keychain::removeFinished, this, &ProvidersPage::handleRemoveFinished);
    connect(runtime, &Gateway::GatewayRuntime::credentialProblemsChanged, this, &ProvidersPage::showCredentialProblems);
    connect(ledger, &Ledger::Ledger::recordsAppended, this, &ProvidersPage::refreshHealth);
    connect(m_store, &Config::WorkspaceStore::changed, this, &ProvidersPage::refreshHealth);
    connect(m_healthWorker, &LedgerQueryWorker::providerHealthLoaded, this, &ProvidersPage::handleHealthLoaded);
    connect(m_healthWorker, &LedgerQueryWorker::queryFailed, this, [this](quint64 ticket, const QString &message) {
        if (ticket == m_healthTicket) {
            m_healthTicket = 0;
            m_message->showError(tr("Provider health cannot be shown: %1").arg(message));
        }
    });
    // The window slides even when nothing is recorded.
    m_healthTimer->setInterval(1min);
    connect(m_healthTimer, &QTimer::timeout, this, &ProvidersPage::refreshHealth);
    m_healthTimer->start();
    showCredentialProblems(runtime->credentialProblems());
    updateButtons();
    refreshHealth();
}

QString ProvidersPage::selectedId() const
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    return selected.isEmpty() ? QString() : m_model->row(selected.first().row()).id;
}

void ProvidersPage::openEditDialog()
{
    const QString id = selectedId();
    if (id.isEmpty()) {
        return;
    }
    m_message->dismiss();
    auto *dialog = new ProviderDialog(m_store, m_keychain, id, this);
    dialog->setObjectName(u"providerDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void ProvidersPage::testSelected()
{
    const Providers::ProviderProfile *provider = m_store->workspace().provider(selectedId());
    if (provider == nullptr) {
        return;
    }
    m_testButton->setEnabled(false);
    m_message->showInfo(tr("Testing the connection to %1…").arg(provider->id));
    m_connectionTest->start(*provider);
}

void ProvidersPage::showTestReport(const Catalog::ConnectionReport &report)
{
    ConnectionReportText::show(m_message, report);
    updateButtons();
}

void ProvidersPage::refreshHealth()
{
    if (m_healthTicket != 0) {
        m_healthStale = true;
        return;
    }
    m_healthStale = false;
    QStringList ids;
    for (const Providers::ProviderProfile &provider : m_store->workspace().providers) {
        ids.append(provider.id);
    }
    m_healthTicket = m_healthWorker->queryProviderHealth(
        ids, QDateTime::currentDateTimeUtc().addSecs(-qint64(ProvidersModel::HealthWindowHours) * 3600));
}

void ProvidersPage::handleHealthLoaded(quint64 ticket, const QList<Ledger::ProviderHealth> &health)
{
    if (ticket != m_healthTicket) {
        return;
    }
    m_healthTicket = 0;
    m_model->setHealth(health);
    if (m_healthStale) {
        refreshHealth();
    }
}

void ProvidersPage::openAddDialog()
{
    m_message->dismiss();
    auto *dialog = new ProviderDialog(m_store, m_keychain, this);
    dialog->setObjectName(u"providerDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void ProvidersPage::confirmDeleteSelected()
{
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    if (selected.isEmpty()) {
        return;
    }
    m_message->dismiss();
    const QString id = m_model->row(selected.first().row()).id;
    QStringList routes;
    for (const Routing::Route &route : m_store->workspace().routes) {
        for (const Routing::RouteTarget &target : route.targets) {
            if (target.provider == id && !routes.contains(route.name)) {
                routes.append(route.name);
            }
        }
    }
    if (!routes.isEmpty()) {
        m_message->showError(tr("The provider \"%1\" cannot be deleted while routes send requests to it: %2. "
                                "Remove it from those routes first.")
                                 .arg(id, QLocale().createSeparatedList(routes)));
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete Provider"),
        tr("Delete the provider \"%1\"? A key stored for it in the system keychain is "
           "deleted too.")
            .arg(id),
        QMessageBox::Cancel, this);
    box->setObjectName(u"deleteProviderConfirmation"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *confirm = box->addButton(tr("Delete Provider"), QMessageBox::DestructiveRole);
    confirm->setObjectName(u"confirmButton"_s);
    connect(box, &QMessageBox::buttonClicked, this, [this, confirm, id](QAbstractButton *button) {
        if (button == confirm) {
            deleteProvider(id);
        }
    });
    box->open();
}

void ProvidersPage::deleteProvider(const QString &id)
{
    Config::Workspace workspace = m_store->workspace();
    const Providers::ProviderProfile *provider = workspace.provider(id);
    if (provider == nullptr) {
        return;
    }
    const QString ownKeyRef = Providers::CredentialRef {Providers::CredentialRef::Kind::Keychain, id}.toString();
    const QString credentialRef = provider->credentialRef;
    workspace.providers.removeIf([&id](const Providers::ProviderProfile &p) { return p.id == id; });
    // The keychain entry goes only if it is this provider's own and no other provider shares it.
    bool removeKey = credentialRef == ownKeyRef;
    for (const Providers::ProviderProfile &other : std::as_const(workspace.providers)) {
        removeKey = removeKey && other.credentialRef != ownKeyRef;
    }
    if (removeKey) {
        workspace.secretNames.removeAll(id);
    }
    if (Status saved = m_store->save(workspace); !saved) {
        m_message->showError(saved.errorMessage());
        return;
    }
    if (removeKey) {
        m_pendingRemovals.append(id);
        m_keychain->remove(id);
    }
}

void ProvidersPage::handleRemoveFinished(const QString &name, const QString &error)
{
    if (m_pendingRemovals.removeOne(name) && !error.isEmpty()) {
        m_message->showError(
            tr("The provider \"%1\" was deleted, but its key is still in the system keychain: %2").arg(name, error));
    }
}

void ProvidersPage::showCredentialProblems(const QStringList &problems)
{
    if (problems.isEmpty()) {
        m_problemsLabel->dismiss();
        return;
    }
    m_problemsLabel->showError(
        tr("Requests to these providers will fail until their keys are available:\n%1").arg(problems.join(u'\n')));
}

void ProvidersPage::updateButtons()
{
    const bool selected = m_view->selectionModel()->hasSelection();
    m_editButton->setEnabled(selected);
    m_testButton->setEnabled(selected && !m_connectionTest->isRunning());
    m_deleteButton->setEnabled(selected);
}

} // namespace Switchyard::Ui
