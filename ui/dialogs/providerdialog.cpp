#include "ui/dialogs/providerdialog.h"

#include "core/config/workspacestore.h"
#include "core/providers/credentialref.h"
#include "core/providers/providerpresets.h"
#include "core/secrets/keychain.h"
#include "ui/widgets/inlinemessage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

ProviderDialog::ProviderDialog(Config::WorkspaceStore *store, Secrets::Keychain *keychain, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_keychain(keychain)
    , m_presetCombo(new QComboBox(this))
    , m_idEdit(new QLineEdit(this))
    , m_baseUrlEdit(new QLineEdit(this))
    , m_apiKeyEdit(new QLineEdit(this))
    , m_apiKeyHint(new QLabel(this))
    , m_modelsEdit(new QLineEdit(this))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Add Provider"));
    m_presetCombo->setObjectName(u"presetCombo"_s);
    for (const Providers::ProviderPreset &preset : Providers::ProviderPresets::all()) {
        m_presetCombo->addItem(preset.displayName, preset.id);
    }
    m_idEdit->setObjectName(u"idEdit"_s);
    m_idEdit->setToolTip(tr("Lowercase letters, digits, '-' and '_'. Clients call models as id/model."));
    m_baseUrlEdit->setObjectName(u"baseUrlEdit"_s);
    m_apiKeyEdit->setObjectName(u"apiKeyEdit"_s);
    m_apiKeyEdit->setEchoMode(QLineEdit::Password);
    m_apiKeyHint->setObjectName(u"apiKeyHint"_s);
    // Kept to one line: a wrapped label in a form row gets clipped when the text changes.
    m_apiKeyHint->setWordWrap(false);
    m_modelsEdit->setObjectName(u"modelsEdit"_s);
    m_modelsEdit->setPlaceholderText(tr("Optional, comma-separated, e.g. gpt-4o-mini, gpt-4o"));
    m_message->setObjectName(u"errorLabel"_s);
    m_buttons->setObjectName(u"buttonBox"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Provider"));

    auto *form = new QFormLayout;
    form->addRow(tr("Preset:"), m_presetCombo);
    form->addRow(tr("Id:"), m_idEdit);
    form->addRow(tr("Base URL:"), m_baseUrlEdit);
    form->addRow(tr("API key:"), m_apiKeyEdit);
    form->addRow(QString(), m_apiKeyHint);
    form->addRow(tr("Models:"), m_modelsEdit);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(520);

    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, &ProviderDialog::handlePresetChanged);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderDialog::reject);
    connect(m_keychain, &Secrets::Keychain::writeFinished, this, &ProviderDialog::handleWriteFinished);
    for (QLineEdit *edit : {m_idEdit, m_baseUrlEdit, m_apiKeyEdit, m_modelsEdit}) {
        connect(edit, &QLineEdit::textEdited, m_message, &InlineMessage::dismiss);
    }
    handlePresetChanged();
}

void ProviderDialog::handlePresetChanged()
{
    const auto preset = Providers::ProviderPresets::find(m_presetCombo->currentData().toString());
    if (!preset) {
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

QString ProviderDialog::suggestedId(const QString &presetId) const
{
    const Config::Workspace &workspace = m_store->workspace();
    QString id = presetId;
    for (int n = 2; workspace.provider(id) != nullptr; ++n) {
        id = presetId + u'-' + QString::number(n);
    }
    return id;
}

QString ProviderDialog::validationError() const
{
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
    const QUrl url(m_baseUrlEdit->text().trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty()) {
        return tr("The base URL must be an http:// or https:// address with a host, e.g. https://api.openai.com/v1.");
    }
    return {};
}

Providers::ProviderProfile ProviderDialog::profileFromInput() const
{
    const auto preset = Providers::ProviderPresets::find(m_presetCombo->currentData().toString());
    Providers::ProviderProfile profile = Providers::ProviderProfile::fromPreset(*preset, m_idEdit->text().trimmed());
    QString baseUrl = m_baseUrlEdit->text().trimmed();
    while (baseUrl.endsWith(u'/')) {
        baseUrl.chop(1);
    }
    profile.baseUrl = QUrl(baseUrl, QUrl::StrictMode);
    profile.credentialRef = preset->defaultCredentialRef;
    profile.models.clear();
    for (const QString &model : m_modelsEdit->text().split(u',')) {
        if (const QString trimmed = model.trimmed(); !trimmed.isEmpty() && !profile.models.contains(trimmed)) {
            profile.models.append(trimmed);
        }
    }
    return profile;
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
    if (m_apiKeyEdit->text().isEmpty()) {
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
        showError(tr("The key was not stored, so the provider was not added: %1").arg(error));
        return;
    }
    // The id field was locked while the write was in flight, so the profile still matches `name`.
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
    workspace.providers.append(profile);
    if (Status saved = m_store->save(workspace); !saved) {
        showError(saved.errorMessage());
        return;
    }
    emit providerAdded(profile.id);
    QDialog::accept();
}

void ProviderDialog::setBusy(bool busy)
{
    for (QWidget *input : std::initializer_list<QWidget *> {m_presetCombo, m_idEdit, m_baseUrlEdit, m_apiKeyEdit,
             m_modelsEdit, m_buttons->button(QDialogButtonBox::Ok)}) {
        input->setEnabled(!busy);
    }
}

void ProviderDialog::showError(const QString &message)
{
    m_message->showError(message);
}

} // namespace Switchyard::Ui
