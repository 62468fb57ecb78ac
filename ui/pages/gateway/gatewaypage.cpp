#include "ui/pages/gateway/gatewaypage.h"

#include "core/config/workspacestore.h"
#include "core/gateway/clientsnippets.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "ui/dialogs/createlocalkeydialog.h"
#include "ui/dialogs/keylimitsdialog.h"
#include "ui/dialogs/localkeycreateddialog.h"
#include "ui/models/ledgerhistoryloader.h"
#include "ui/models/localkeysmodel.h"
#include "ui/models/requestfeedmodel.h"
#include "ui/widgets/clientsnippetsview.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/readonlytableview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFont>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

QTableView *createTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new ReadOnlyTableView(parent);
    view->setModel(model);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

GatewayPage::GatewayPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, Ledger::Ledger *ledger,
    const QString &ledgerPath, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_keysModel(new LocalKeysModel(store, this))
    , m_feedModel(new RequestFeedModel(FeedCapacity, this))
    , m_historyLoader(new LedgerHistoryLoader(this))
{
    auto *middle = new QHBoxLayout;
    middle->addWidget(createKeysGroup(), 1);
    middle->addWidget(createSnippetsGroup(), 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createGatewayGroup());
    layout->addLayout(middle, 3);
    layout->addWidget(createFeedGroup(), 4);

    Gateway::GatewayService *gateway = m_runtime->gateway();
    connect(gateway, &Gateway::GatewayService::runningChanged, this, &GatewayPage::updateGatewayState);
    connect(m_runtime, &Gateway::GatewayRuntime::ready, this, &GatewayPage::updateGatewayState);
    connect(m_store, &Config::WorkspaceStore::changed, this, &GatewayPage::updateSettingsFields);
    connect(m_store, &Config::WorkspaceStore::changed, this, &GatewayPage::updateSnippetModels);
    connect(m_store, &Config::WorkspaceStore::changed, this, &GatewayPage::updateSnippets);
    connect(gateway, &Gateway::GatewayService::runningChanged, this, &GatewayPage::updateSnippets);
    connect(ledger, &Ledger::Ledger::recordsAppended, m_feedModel, &RequestFeedModel::prependRecords);
    connect(m_historyLoader, &LedgerHistoryLoader::loaded, m_feedModel, &RequestFeedModel::appendHistory);
    connect(m_historyLoader, &LedgerHistoryLoader::failed, this, [this](const QString &message) {
        m_feedMessage->showError(tr("Earlier requests cannot be shown: %1").arg(message));
    });
    updateSettingsFields(m_store->workspace());
    updateSnippetModels(m_store->workspace());
    updateGatewayState();
    updateKeyButtons();
    updateSnippets();
    m_historyLoader->load(ledgerPath, HistoryRows);
}

QString GatewayPage::baseUrl(const Gateway::GatewayService *gateway)
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(gateway->host());
    url.setPort(gateway->port());
    url.setPath(u"/v1"_s);
    return url.toString();
}

Gateway::ClientSnippets GatewayPage::clientSnippets(const QString &apiKey) const
{
    const Gateway::GatewayService *gateway = m_runtime->gateway();
    const Config::GatewaySettings &settings = m_store->workspace().gateway;
    QString model = m_snippetModelCombo->currentText().trimmed();
    if (model.isEmpty()) {
        model = u"provider/model"_s;
    }
    return gateway->isRunning() ? Gateway::ClientSnippets(gateway->host(), gateway->port(), model, apiKey)
                                : Gateway::ClientSnippets(settings.host, settings.port, model, apiKey);
}

QWidget *GatewayPage::createGatewayGroup()
{
    auto *group = new QGroupBox(tr("Gateway"), this);
    m_stateLabel = new QLabel(group);
    m_stateLabel->setObjectName(u"gatewayStateLabel"_s);
    m_stateLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont stateFont = m_stateLabel->font();
    stateFont.setBold(true);
    m_stateLabel->setFont(stateFont);
    m_startStopButton = new QPushButton(group);
    m_startStopButton->setObjectName(u"startStopButton"_s);
    m_gatewayMessage = new InlineMessage(group);
    m_gatewayMessage->setObjectName(u"gatewayErrorLabel"_s);

    m_hostEdit = new QLineEdit(group);
    m_hostEdit->setObjectName(u"hostEdit"_s);
    m_hostEdit->setPlaceholderText(u"127.0.0.1"_s);
    m_hostEdit->setMinimumWidth(m_hostEdit->fontMetrics().horizontalAdvance(u"255.255.255.255 "_s) + 16);
    m_hostEdit->setToolTip(
        tr("An IP address of this computer; 127.0.0.1 accepts connections from this computer only."));
    m_portSpinBox = new QSpinBox(group);
    m_portSpinBox->setObjectName(u"portSpinBox"_s);
    m_portSpinBox->setRange(1, 65535);
    m_saveAddressButton = new QPushButton(tr("Save Address"), group);
    m_saveAddressButton->setObjectName(u"saveAddressButton"_s);
    m_captureBodiesCheck
        = new QCheckBox(tr("Keep request and response bodies in the ledger (prompts and answers, up to %1 KiB each)")
                            .arg(Ledger::CapturedBodies::limitBytes / 1024),
            group);
    m_captureBodiesCheck->setObjectName(u"captureBodiesCheck"_s);
    m_captureBodiesCheck->setToolTip(tr("Off by default. While on, the Logs page shows what each client sent and "
                                        "received; the bodies stay in the ledger file on this computer."));
    m_addressMessage = new InlineMessage(group);
    m_addressMessage->setObjectName(u"addressMessageLabel"_s);

    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_stateLabel, 1);
    stateRow->addWidget(m_startStopButton);
    auto *addressRow = new QHBoxLayout;
    addressRow->addWidget(new QLabel(tr("Listen on:"), group));
    addressRow->addWidget(m_hostEdit);
    addressRow->addWidget(new QLabel(tr("Port:"), group));
    addressRow->addWidget(m_portSpinBox);
    addressRow->addWidget(m_saveAddressButton);
    addressRow->addStretch(1);
    auto *layout = new QVBoxLayout(group);
    layout->addLayout(stateRow);
    layout->addWidget(m_gatewayMessage);
    layout->addLayout(addressRow);
    layout->addWidget(m_captureBodiesCheck);
    layout->addWidget(m_addressMessage);

    connect(m_startStopButton, &QPushButton::clicked, this, &GatewayPage::toggleGateway);
    connect(m_saveAddressButton, &QPushButton::clicked, this, &GatewayPage::saveAddress);
    connect(m_hostEdit, &QLineEdit::returnPressed, this, &GatewayPage::saveAddress);
    connect(m_hostEdit, &QLineEdit::textEdited, m_addressMessage, &InlineMessage::dismiss);
    connect(m_captureBodiesCheck, &QCheckBox::toggled, this, &GatewayPage::saveCaptureBodies);
    return group;
}

QWidget *GatewayPage::createKeysGroup()
{
    auto *group = new QGroupBox(tr("Local Keys"), this);
    auto *intro = new QLabel(tr("Clients authenticate to the gateway with one of these keys. Only a hash of each key "
                                "is stored."),
        group);
    intro->setWordWrap(true);
    m_keysView = createTable(m_keysModel, group);
    m_keysView->setObjectName(u"localKeysView"_s);
    auto *createButton = new QPushButton(tr("Create Key…"), group);
    createButton->setObjectName(u"createKeyButton"_s);
    m_limitsButton = new QPushButton(tr("Budget and Limits…"), group);
    m_limitsButton->setObjectName(u"keyLimitsButton"_s);
    m_revokeKeyButton = new QPushButton(tr("Revoke Key…"), group);
    m_revokeKeyButton->setObjectName(u"revokeKeyButton"_s);
    m_keysMessage = new InlineMessage(group);
    m_keysMessage->setObjectName(u"keysMessageLabel"_s);

    // Buttons below the table leave its columns the group's whole width beside the snippets.
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(createButton);
    buttons->addWidget(m_limitsButton);
    buttons->addWidget(m_revokeKeyButton);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(group);
    layout->addWidget(intro);
    layout->addWidget(m_keysView, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_keysMessage);

    connect(createButton, &QPushButton::clicked, this, &GatewayPage::openCreateKeyDialog);
    connect(m_limitsButton, &QPushButton::clicked, this, &GatewayPage::openLimitsDialog);
    connect(m_keysView, &QTableView::doubleClicked, this, &GatewayPage::openLimitsDialog);
    connect(m_revokeKeyButton, &QPushButton::clicked, this, &GatewayPage::confirmRevokeSelectedKey);
    connect(m_keysView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &GatewayPage::updateKeyButtons);
    connect(m_keysModel, &QAbstractItemModel::rowsRemoved, this, &GatewayPage::updateKeyButtons);
    return group;
}

QWidget *GatewayPage::createSnippetsGroup()
{
    auto *group = new QGroupBox(tr("Connect a Client"), this);
    auto *intro
        = new QLabel(tr("Set SWITCHYARD_API_KEY to a local key (shown once, when it is created), then:"), group);
    intro->setWordWrap(true);
    m_snippetModelCombo = new QComboBox(group);
    m_snippetModelCombo->setObjectName(u"snippetModelCombo"_s);
    m_snippetModelCombo->setEditable(true);
    m_snippetModelCombo->setInsertPolicy(QComboBox::NoInsert);
    m_snippetModelCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_snippetModelCombo->setToolTip(tr("A route or provider/model for the snippets to call"));
    m_snippetsView = new ClientSnippetsView(group);
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(new QLabel(tr("Model:"), group));
    modelRow->addWidget(m_snippetModelCombo, 1);
    auto *layout = new QVBoxLayout(group);
    layout->addWidget(intro);
    layout->addLayout(modelRow);
    layout->addWidget(m_snippetsView, 1);
    connect(m_snippetModelCombo, &QComboBox::currentTextChanged, this, &GatewayPage::updateSnippets);
    return group;
}

QWidget *GatewayPage::createFeedGroup()
{
    auto *group = new QGroupBox(tr("Recent Requests"), this);
    m_feedView = createTable(m_feedModel, group);
    m_feedView->setObjectName(u"requestFeedView"_s);
    m_feedMessage = new InlineMessage(group);
    m_feedMessage->setObjectName(u"feedMessageLabel"_s);
    auto *layout = new QVBoxLayout(group);
    layout->addWidget(m_feedView, 1);
    layout->addWidget(m_feedMessage);
    return group;
}

void GatewayPage::toggleGateway()
{
    Gateway::GatewayService *gateway = m_runtime->gateway();
    m_gatewayMessage->dismiss();
    if (gateway->isRunning()) {
        gateway->stop();
        return;
    }
    const Config::GatewaySettings &settings = m_store->workspace().gateway;
    if (Status started = gateway->start(settings.host, settings.port); !started) {
        m_gatewayMessage->showError(started.errorMessage());
    }
}

void GatewayPage::saveAddress()
{
    const QString host = m_hostEdit->text().trimmed();
    // The same rule GatewayService::start applies, checked before the address is saved.
    if (host != "localhost"_L1 && QHostAddress(host).isNull()) {
        m_addressMessage->showError(
            tr("\"%1\" is not an IP address to listen on; use e.g. 127.0.0.1 (this computer only) or 0.0.0.0 "
               "(all networks).")
                .arg(host));
        return;
    }
    Config::Workspace workspace = m_store->workspace();
    workspace.gateway.host = host;
    workspace.gateway.port = quint16(m_portSpinBox->value());
    if (Status saved = m_store->save(workspace); !saved) {
        m_addressMessage->showError(saved.errorMessage());
        return;
    }
    if (m_runtime->gateway()->isRunning()) {
        m_addressMessage->showInfo(tr("Saved. Stop and start the gateway to listen on the new address."));
    } else {
        m_addressMessage->dismiss();
    }
}

void GatewayPage::saveCaptureBodies(bool capture)
{
    Config::Workspace workspace = m_store->workspace();
    if (workspace.gateway.captureBodies == capture) {
        return;
    }
    workspace.gateway.captureBodies = capture;
    if (Status saved = m_store->save(workspace); !saved) {
        const QSignalBlocker blocker(m_captureBodiesCheck);
        m_captureBodiesCheck->setChecked(!capture);
        m_addressMessage->showError(saved.errorMessage());
        return;
    }
    m_addressMessage->dismiss();
}

void GatewayPage::openCreateKeyDialog()
{
    m_keysMessage->dismiss();
    auto *dialog = new CreateLocalKeyDialog(m_store, this);
    dialog->setObjectName(u"createLocalKeyDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CreateLocalKeyDialog::keyCreated, this, [this](const QString &name, const QString &key) {
        auto *shown = new LocalKeyCreatedDialog(name, key, clientSnippets(key), this);
        shown->setObjectName(u"localKeyCreatedDialog"_s);
        shown->setAttribute(Qt::WA_DeleteOnClose);
        shown->open();
    });
    dialog->open();
}

void GatewayPage::openLimitsDialog()
{
    const QModelIndexList selected = m_keysView->selectionModel()->selectedRows();
    if (selected.isEmpty()) {
        return;
    }
    m_keysMessage->dismiss();
    auto *dialog = new KeyLimitsDialog(m_store, m_keysModel->row(selected.first().row()).key.name, this);
    dialog->setObjectName(u"keyLimitsDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void GatewayPage::confirmRevokeSelectedKey()
{
    const QModelIndexList selected = m_keysView->selectionModel()->selectedRows();
    if (selected.isEmpty()) {
        return;
    }
    const QString name = m_keysModel->row(selected.first().row()).key.name;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Revoke Local Key"),
        tr("Revoke the key \"%1\"? Clients that use it will be refused from now on.").arg(name), QMessageBox::Cancel,
        this);
    box->setObjectName(u"revokeKeyConfirmation"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *revoke = box->addButton(tr("Revoke Key"), QMessageBox::DestructiveRole);
    revoke->setObjectName(u"confirmButton"_s);
    connect(box, &QMessageBox::buttonClicked, this, [this, revoke, name](QAbstractButton *button) {
        if (button == revoke) {
            revokeKey(name);
        }
    });
    box->open();
}

void GatewayPage::revokeKey(const QString &name)
{
    Config::Workspace workspace = m_store->workspace();
    if (workspace.localKeys.removeIf([&name](const Config::LocalKey &key) { return key.name == name; }) == 0) {
        return;
    }
    // The key's budgets and limit go with it: the workspace refuses them for an unknown key.
    workspace.budgets.removeIf([&name](const Routing::Budget &budget) {
        return budget.scope == Routing::Budget::Scope::Key && budget.name == name;
    });
    workspace.limits.removeIf([&name](const Routing::RateLimit &limit) {
        return limit.scope == Routing::RateLimit::Scope::Key && limit.name == name;
    });
    if (Status saved = m_store->save(workspace); !saved) {
        m_keysMessage->showError(saved.errorMessage());
    }
}

void GatewayPage::updateGatewayState()
{
    const Gateway::GatewayService *gateway = m_runtime->gateway();
    const bool running = gateway->isRunning();
    m_stateLabel->setText(running ? tr("Running on %1").arg(baseUrl(gateway)) : tr("Stopped"));
    m_startStopButton->setText(running ? tr("Stop Gateway") : tr("Start Gateway"));
    // Until the first credential resolution the gateway has no tables to serve from.
    m_startStopButton->setEnabled(running || m_runtime->isReady());
    m_startStopButton->setToolTip(m_startStopButton->isEnabled() ? QString() : tr("Reading provider credentials…"));
}

void GatewayPage::updateSettingsFields(const Config::Workspace &workspace)
{
    {
        const QSignalBlocker blocker(m_captureBodiesCheck);
        m_captureBodiesCheck->setChecked(workspace.gateway.captureBodies);
    }
    if (workspace.gateway.host == m_shownHost && workspace.gateway.port == m_shownPort) {
        return;
    }
    m_shownHost = workspace.gateway.host;
    m_shownPort = workspace.gateway.port;
    m_hostEdit->setText(m_shownHost);
    m_portSpinBox->setValue(m_shownPort);
}

void GatewayPage::updateKeyButtons()
{
    const bool selected = m_keysView->selectionModel()->hasSelection();
    m_limitsButton->setEnabled(selected);
    m_revokeKeyButton->setEnabled(selected);
}

void GatewayPage::updateSnippetModels(const Config::Workspace &workspace)
{
    QStringList models;
    for (const Routing::Route &route : workspace.routes) {
        models.append(route.name);
    }
    for (const Providers::ProviderProfile &provider : workspace.providers) {
        for (const QString &model : provider.models) {
            models.append(provider.id + u'/' + model);
        }
    }
    const QString current = m_snippetModelCombo->currentText();
    const QSignalBlocker blocker(m_snippetModelCombo);
    m_snippetModelCombo->clear();
    m_snippetModelCombo->addItems(models);
    // A typed model stays; otherwise the first route or model is the example.
    m_snippetModelCombo->setCurrentText(current.isEmpty() ? models.value(0) : current);
}

void GatewayPage::updateSnippets()
{
    m_snippetsView->setSnippets(clientSnippets());
}

} // namespace Switchyard::Ui
