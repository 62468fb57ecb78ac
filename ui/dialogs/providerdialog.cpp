#include "ui/dialogs/providerdialog.h"

#include "core/catalog/connectiontest.h"
#include "core/config/workspacestore.h"
#include "core/providers/credentialref.h"
#include "core/providers/providerpresets.h"
#include "core/secrets/keychain.h"
#include "ui/widgets/connectionreporttext.h"
#include "ui/widgets/inlinemessage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

enum HeaderColumn {
    HeaderName,
    HeaderValue,
};

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item != nullptr ? item->text().trimmed() : QString();
}

} // namespace

ProviderDialog::ProviderDialog(Config::WorkspaceStore *store, Secrets::Keychain *keychain, QWidget *parent)
    : ProviderDialog(store, keychain, QString(), parent)
{
}

ProviderDialog::ProviderDialog(
    Config::WorkspaceStore *store, Secrets::Keychain *keychain, const QString &providerId, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_keychain(keychain)
    , m_editedId(providerId)
    , m_connectionTest(new Catalog::ConnectionTest(keychain->serviceName(), this))
    , m_presetCombo(new QComboBox(this))
    , m_idEdit(new QLineEdit(this))
    , m_baseUrlEdit(new QLineEdit(this))
    , m_apiKeyHint(new QLabel(this))
    , m_modelsEdit(new QLineEdit(this))
    , m_testButton(new QPushButton(tr("Test Connection"), this))
    , m_testMessage(new InlineMessage(this))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_presetCombo->setObjectName(u"presetCombo"_s);
    for (const Providers::ProviderPreset &preset : Providers::ProviderPresets::all()) {
        m_presetCombo->addItem(preset.displayName, preset.id);
    }
    m_idEdit->setObjectName(u"idEdit"_s);
    m_idEdit->setToolTip(tr("Lowercase letters, digits, '-' and '_'. Clients call models as id/model."));
    m_baseUrlEdit->setObjectName(u"baseUrlEdit"_s);
    m_apiKeyHint->setObjectName(u"apiKeyHint"_s);
    // Kept to one line: a wrapped label in a form row gets clipped when the text changes.
    m_apiKeyHint->setWordWrap(false);
    m_modelsEdit->setObjectName(u"modelsEdit"_s);
    m_modelsEdit->setPlaceholderText(tr("Optional, comma-separated, e.g. gpt-4o-mini, gpt-4o"));
    m_testButton->setObjectName(u"testConnectionButton"_s);
    m_testMessage->setObjectName(u"testResultLabel"_s);
    m_message->setObjectName(u"errorLabel"_s);
    m_buttons->setObjectName(u"buttonBox"_s);

    auto *form = new QFormLayout;
    form->addRow(tr("Preset:"), m_presetCombo);
    form->addRow(tr("Id:"), m_idEdit);
    form->addRow(tr("Base URL:"), m_baseUrlEdit);
    form->addRow(tr("API key:"), createKeyRow());
    form->addRow(QString(), m_apiKeyHint);
    form->addRow(tr("Extra headers:"), createHeadersEditor());
    form->addRow(tr("Models:"), m_modelsEdit);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(testRow);
    layout->addWidget(m_testMessage);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(560);

    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, &ProviderDialog::handlePresetChanged);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderDialog::reject);
    connect(m_keychain, &Secrets::Keychain::writeFinished, this, &ProviderDialog::handleWriteFinished);
    connect(m_testButton, &QPushButton::clicked, this, &ProviderDialog::testConnection);
    connect(m_connectionTest, &Catalog::ConnectionTest::finished, this, &ProviderDialog::showTestReport);
    for (QLineEdit *edit : {m_idEdit, m_baseUrlEdit, m_apiKeyEdit, m_modelsEdit}) {
        connect(edit, &QLineEdit::textEdited, m_message, &InlineMessage::dismiss);
    }
    connect(m_headersTable, &QTableWidget::itemChanged, m_message, &InlineMessage::dismiss);

    const Providers::ProviderProfile *edited = isEditing() ? m_store->workspace().provider(m_editedId) : nullptr;
    if (edited == nullptr) {
        m_editedId.clear(); // deleted before the dialog opened: add it again
    }
    if (edited != nullptr) {
        loadProvider(*edited);
    } else {
        setWindowTitle(tr("Add Provider"));
        m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Provider"));
        m_storedKeyLabel->hide();
        m_replaceKeyButton->hide();
        handlePresetChanged();
    }
}

QWidget *ProviderDialog::createKeyRow()
{
    auto *row = new QWidget(this);
    m_storedKeyLabel = new QLabel(row);
    m_storedKeyLabel->setObjectName(u"storedKeyLabel"_s);
    m_replaceKeyButton = new QPushButton(tr("Replace Key…"), row);
    m_replaceKeyButton->setObjectName(u"replaceKeyButton"_s);
    m_apiKeyEdit = new QLineEdit(row);
    m_apiKeyEdit->setObjectName(u"apiKeyEdit"_s);
    m_apiKeyEdit->setEchoMode(QLineEdit::Password);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_storedKeyLabel, 1);
    layout->addWidget(m_replaceKeyButton);
    layout->addWidget(m_apiKeyEdit, 1);
    connect(m_replaceKeyButton, &QPushButton::clicked, this, &ProviderDialog::showKeyEdit);
    return row;
}

QWidget *ProviderDialog::createHeadersEditor()
{
    auto *editor = new QWidget(this);
    m_headersTable = new QTableWidget(0, 2, editor);
    m_headersTable->setObjectName(u"headersTable"_s);
    m_headersTable->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_headersTable->horizontalHeader()->setSectionResizeMode(HeaderName, QHeaderView::Interactive);
    m_headersTable->horizontalHeader()->setStretchLastSection(true);
    m_headersTable->setColumnWidth(HeaderName, 180);
    m_headersTable->verticalHeader()->hide();
    m_headersTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headersTable->setToolTip(tr("Sent with every request to this provider, e.g. OpenAI-Organization."));
    // Room for three rows; more scroll.
    m_headersTable->setFixedHeight(m_headersTable->horizontalHeader()->sizeHint().height()
        + 3 * m_headersTable->verticalHeader()->defaultSectionSize() + 2 * m_headersTable->frameWidth());
    auto *addButton = new QPushButton(tr("Add Header"), editor);
    addButton->setObjectName(u"addHeaderButton"_s);
    m_removeHeaderButton = new QPushButton(tr("Remove Header"), editor);
    m_removeHeaderButton->setObjectName(u"removeHeaderButton"_s);
    m_removeHeaderButton->setEnabled(false);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(addButton);
    buttons->addWidget(m_removeHeaderButton);
    buttons->addStretch();
    auto *layout = new QHBoxLayout(editor);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headersTable, 1);
    layout->addLayout(buttons);

    connect(addButton, &QPushButton::clicked, this, [this] {
        addHeaderRow(QString(), QString());
        m_headersTable->setCurrentCell(m_headersTable->rowCount() - 1, HeaderName);
        m_headersTable->editItem(m_headersTable->item(m_headersTable->rowCount() - 1, HeaderName));
    });
    connect(m_removeHeaderButton, &QPushButton::clicked, this, &ProviderDialog::removeSelectedHeaders);
    connect(m_headersTable, &QTableWidget::itemSelectionChanged, this,
        [this] { m_removeHeaderButton->setEnabled(!m_headersTable->selectedItems().isEmpty()); });
    return editor;
}

void ProviderDialog::loadProvider(const Providers::ProviderProfile &provider)
{
    m_original = provider;
    setWindowTitle(tr("Edit Provider %1").arg(provider.id));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save"));
    {
        const QSignalBlocker blocker(m_presetCombo);
        m_presetCombo->setCurrentIndex(m_presetCombo->findData(provider.preset));
    }
    m_presetCombo->setEnabled(false);
    m_idEdit->setText(provider.id);
    m_idEdit->setReadOnly(true);
    m_idEdit->setToolTip(tr("Routes and clients refer to the provider by its id, so it cannot change."));
    m_baseUrlEdit->setText(provider.baseUrl.toString());
    for (const auto &[name, value] : provider.extraHeaders) {
        addHeaderRow(QString::fromLatin1(name), QString::fromUtf8(value));
    }
    m_modelsEdit->setText(provider.models.join(u", "_s));

    const auto ref = Providers::CredentialRef::parse(provider.credentialRef);
    const Providers::CredentialRef::Kind kind = ref ? ref->kind : Providers::CredentialRef::Kind::None;
    switch (kind) {
    case Providers::CredentialRef::Kind::Keychain:
        m_storedKeyLabel->setText(tr("Stored in the system keychain (%1)").arg(provider.credentialRef));
        break;
    case Providers::CredentialRef::Kind::Env:
        m_storedKeyLabel->setText(tr("Read from the environment variable %1").arg(ref->name));
        break;
    case Providers::CredentialRef::Kind::None:
        m_storedKeyLabel->setText(tr("No key"));
        m_replaceKeyButton->setText(tr("Set Key…"));
        break;
    }
    m_apiKeyEdit->hide();
    m_apiKeyHint->setText(tr("The key is never shown; a new one replaces it in the system keychain."));
}

void ProviderDialog::showKeyEdit()
{
    m_replaceKeyButton->hide();
    m_storedKeyLabel->hide();
    m_apiKeyEdit->show();
    m_apiKeyEdit->setPlaceholderText(tr("New key, stored in the system keychain"));
    m_apiKeyEdit->setFocus();
    m_apiKeyHint->setText(tr("Leave empty to keep the current key."));
}

void ProviderDialog::handlePresetChanged()
{
    const auto preset = Providers::ProviderPresets::find(m_presetCombo->currentData().toString());
    if (!preset || isEditing()) {
        return;
    }
    m_baseUrlEdit->setText(preset->defaultBaseUrl.toString());
    if (m_idEdit->text().isEmpty() || m_idEdit->text() == m_lastSuggestedId) {
        m_lastSuggestedId = suggestedId(preset->id);
        m_idEdit->setText(m_lastSuggestedId);
    }
    if (!preset->requiresKey) {
        m_apiKeyEdit->setPlaceholderText(tr("Optional"));
        m_apiKeyHint->setText(tr("This server usually needs no key."));
    } else if (!preset->defaultCredentialRef.isEmpty()) {
        const auto ref = Providers::CredentialRef::parse(preset->defaultCredentialRef);
        m_apiKeyEdit->setPlaceholderText(tr("Stored in the system keychain"));
        m_apiKeyHint->setText(ref && ref->kind == Providers::CredentialRef::Kind::Env
                ? tr("Leave empty to use the environment variable %1.").arg(ref->name)
                : tr("Leave empty to use %1.").arg(preset->defaultCredentialRef));
    } else {
        m_apiKeyEdit->setPlaceholderText(tr("Stored in the system keychain"));
        m_apiKeyHint->setText(tr("Without a key, requests are sent unauthenticated."));
    }
}

void ProviderDialog::addHeaderRow(const QString &name, const QString &value)
{
    const int row = m_headersTable->rowCount();
    m_headersTable->insertRow(row);
    m_headersTable->setItem(row, HeaderName, new QTableWidgetItem(name));
    m_headersTable->setItem(row, HeaderValue, new QTableWidgetItem(value));
}

void ProviderDialog::removeSelectedHeaders()
{
    QList<int> rows;
    for (const QModelIndex &index : m_headersTable->selectionModel()->selectedRows()) {
        rows.append(index.row());
    }
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (const int row : std::as_const(rows)) {
        m_headersTable->removeRow(row);
    }
}

QString ProviderDialog::suggestedId(const QString &presetId) const
{
    const Config::Workspace &workspace = m_store->workspace();
    QString id = presetId;
    for (int n = 2; workspace.provider(id) != nullptr; ++n) {
        id = presetId + u'-' + QString::number(n);
    }
    return id;
}

QString ProviderDialog::connectionError() const
{
    const QUrl url(m_baseUrlEdit->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty()) {
        return tr("The base URL must be an http:// or https:// address with a host, e.g. https://api.openai.com/v1.");
    }
    for (int row = 0; row < m_headersTable->rowCount(); ++row) {
        const QString name = cellText(m_headersTable, row, HeaderName);
        const QString value = cellText(m_headersTable, row, HeaderValue);
        if (name.isEmpty() && value.isEmpty()) {
            continue;
        }
        if (name.isEmpty()) {
            return tr("Extra header %1 has a value but no name; enter a name or remove the row.").arg(row + 1);
        }
        if (!Providers::ProviderProfile::isValidHeaderName(name)) {
            return tr("\"%1\" is not a valid header name: use letters, digits and '-', e.g. OpenAI-Organization.")
                .arg(name);
        }
        if (!Providers::ProviderProfile::isValidHeaderValue(value)) {
            return tr("The value of the header %1 contains a line break or other control character; remove it.")
                .arg(name);
        }
    }
    return {};
}

QString ProviderDialog::validationError() const
{
    if (!isEditing()) {
        const QString id = m_idEdit->text().trimmed();
        if (id.isEmpty()) {
            return tr("Enter an id for the provider, e.g. openai.");
        }
        if (!Providers::ProviderProfile::isValidId(id)) {
            return tr("The id \"%1\" may only contain lowercase letters, digits, '-' and '_', and must start with a "
                      "letter or digit.")
                .arg(id);
        }
        if (m_store->workspace().provider(id) != nullptr) {
            return tr("A provider with the id \"%1\" already exists; choose another id.").arg(id);
        }
        if (m_store->workspace().route(id) != nullptr) {
            return tr("A route is named \"%1\"; give the provider another id.").arg(id);
        }
    }
    return connectionError();
}

Providers::ProviderProfile ProviderDialog::profileFromInput() const
{
    Providers::ProviderProfile profile = m_original;
    if (!isEditing()) {
        const auto preset = Providers::ProviderPresets::find(m_presetCombo->currentData().toString());
        profile = Providers::ProviderProfile::fromPreset(*preset, m_idEdit->text().trimmed());
        profile.credentialRef = preset->defaultCredentialRef;
    }
    QString baseUrl = m_baseUrlEdit->text().trimmed();
    while (baseUrl.endsWith(u'/')) {
        baseUrl.chop(1);
    }
    profile.baseUrl = QUrl(baseUrl, QUrl::StrictMode);
    profile.extraHeaders.clear();
    for (int row = 0; row < m_headersTable->rowCount(); ++row) {
        const QString name = cellText(m_headersTable, row, HeaderName);
        if (!name.isEmpty()) {
            profile.extraHeaders.append({name.toLatin1(), cellText(m_headersTable, row, HeaderValue).toUtf8()});
        }
    }
    profile.models.clear();
    for (const QString &model : m_modelsEdit->text().split(u',')) {
        if (const QString trimmed = model.trimmed(); !trimmed.isEmpty() && !profile.models.contains(trimmed)) {
            profile.models.append(trimmed);
        }
    }
    return profile;
}

void ProviderDialog::testConnection()
{
    if (const QString error = connectionError(); !error.isEmpty()) {
        m_testMessage->showError(error);
        return;
    }
    Providers::ProviderProfile profile = profileFromInput();
    if (profile.id.isEmpty()) {
        profile.id = profile.preset; // the id only names the provider in messages
    }
    m_testButton->setEnabled(false);
    m_testMessage->showInfo(tr("Testing the connection to %1…").arg(profile.baseUrl.toDisplayString()));
    if (const QString typedKey = m_apiKeyEdit->text(); !m_apiKeyEdit->isHidden() && !typedKey.isEmpty()) {
        m_connectionTest->start(profile, typedKey);
    } else {
        m_connectionTest->start(profile);
    }
}

void ProviderDialog::showTestReport(const Catalog::ConnectionReport &report)
{
    m_testButton->setEnabled(true);
    ConnectionReportText::show(m_testMessage, report);
}

void ProviderDialog::accept()
{
    if (!m_pendingKeychainName.isEmpty()) {
        return;
    }
    if (const QString error = validationError(); !error.isEmpty()) {
        showError(error);
        return;
    }
    const Providers::ProviderProfile profile = profileFromInput();
    if (m_apiKeyEdit->isHidden() || m_apiKeyEdit->text().isEmpty()) {
        saveProvider(profile, false);
        return;
    }
    m_pendingKeychainName = profile.id;
    setBusy(true);
    m_message->showInfo(tr("Storing the key in the system keychain…"));
    m_keychain->write(profile.id, m_apiKeyEdit->text());
}

void ProviderDialog::handleWriteFinished(const QString &name, const QString &error)
{
    if (m_pendingKeychainName.isEmpty() || name != m_pendingKeychainName) {
        return;
    }
    m_pendingKeychainName.clear();
    setBusy(false);
    if (!error.isEmpty()) {
        showError(isEditing() ? tr("The new key was not stored, so nothing was saved: %1").arg(error)
                              : tr("The key was not stored, so the provider was not added: %1").arg(error));
        return;
    }
    // The inputs were locked while the write was in flight, so the profile still matches `name`.
    saveProvider(profileFromInput(), true);
}

void ProviderDialog::saveProvider(Providers::ProviderProfile profile, bool keyInKeychain)
{
    Config::Workspace workspace = m_store->workspace();
    if (keyInKeychain) {
        profile.credentialRef
            = Providers::CredentialRef {Providers::CredentialRef::Kind::Keychain, profile.id}.toString();
        if (!workspace.secretNames.contains(profile.id)) {
            workspace.secretNames.append(profile.id);
        }
    }
    if (isEditing()) {
        const auto edited = std::find_if(workspace.providers.begin(), workspace.providers.end(),
            [this](const Providers::ProviderProfile &p) { return p.id == m_editedId; });
        if (edited == workspace.providers.end()) {
            showError(
                tr("The provider \"%1\" was deleted meanwhile; close this dialog and add it again.").arg(m_editedId));
            return;
        }
        *edited = profile;
    } else {
        workspace.providers.append(profile);
    }
    if (Status saved = m_store->save(workspace); !saved) {
        showError(saved.errorMessage());
        return;
    }
    if (isEditing()) {
        emit providerChanged(profile.id);
    } else {
        emit providerAdded(profile.id);
    }
    QDialog::accept();
}

void ProviderDialog::setBusy(bool busy)
{
    for (QWidget *input : std::initializer_list<QWidget *> {m_presetCombo, m_idEdit, m_baseUrlEdit, m_apiKeyEdit,
             m_headersTable, m_modelsEdit, m_buttons->button(QDialogButtonBox::Ok)}) {
        input->setEnabled(!busy);
    }
    // The preset of an edited provider stays fixed.
    m_presetCombo->setEnabled(!busy && !isEditing());
}

void ProviderDialog::showError(const QString &message)
{
    m_message->showError(message);
}

} // namespace Switchyard::Ui
