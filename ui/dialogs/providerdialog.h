#pragma once

#include "core/providers/providerprofile.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace Switchyard::Catalog {
class ConnectionTest;
struct ConnectionReport;
} // namespace Switchyard::Catalog
namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::Ui {

class InlineMessage;

// Adds a provider to the workspace or edits one (base URL, extra headers, models, a new key).
// A typed API key goes to the keychain under the provider id first; the workspace is saved (with
// credentialRef "keychain:<id>") only once the keychain has confirmed the write, so a keychain
// failure leaves the dialog open with everything still typed. A stored key is never shown: an
// edit keeps it unless "Replace Key…" is used. Test Connection tries the settings as typed.
class ProviderDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderDialog)

public:
    // Adds a provider.
    ProviderDialog(Config::WorkspaceStore *store, Secrets::Keychain *keychain, QWidget *parent = nullptr);
    // Edits the provider `providerId`; its id and preset stay.
    ProviderDialog(Config::WorkspaceStore *store, Secrets::Keychain *keychain, const QString &providerId,
        QWidget *parent = nullptr);

    bool isEditing() const { return !m_editedId.isEmpty(); }

    void accept() override;

signals:
    void providerAdded(const QString &id);
    void providerChanged(const QString &id);

private:
    QWidget *createKeyRow();
    QWidget *createHeadersEditor();
    void loadProvider(const Providers::ProviderProfile &provider);
    void handlePresetChanged();
    void showKeyEdit();
    void addHeaderRow(const QString &name, const QString &value);
    void removeSelectedHeaders();
    void testConnection();
    void showTestReport(const Catalog::ConnectionReport &report);
    void handleWriteFinished(const QString &name, const QString &error);
    QString validationError() const;
    QString connectionError() const;
    Providers::ProviderProfile profileFromInput() const;
    QString suggestedId(const QString &presetId) const;
    void saveProvider(Providers::ProviderProfile profile, bool keyInKeychain);
    void setBusy(bool busy);
    void showError(const QString &message);

    Config::WorkspaceStore *m_store = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
    QString m_editedId; // empty when adding
    Providers::ProviderProfile m_original; // the provider as it was, when editing
    Catalog::ConnectionTest *m_connectionTest = nullptr;
    QComboBox *m_presetCombo = nullptr;
    QLineEdit *m_idEdit = nullptr;
    QLineEdit *m_baseUrlEdit = nullptr;
    QLabel *m_storedKeyLabel = nullptr;
    QPushButton *m_replaceKeyButton = nullptr;
    QLineEdit *m_apiKeyEdit = nullptr;
    QLabel *m_apiKeyHint = nullptr;
    QTableWidget *m_headersTable = nullptr;
    QPushButton *m_removeHeaderButton = nullptr;
    QLineEdit *m_modelsEdit = nullptr;
    QPushButton *m_testButton = nullptr;
    InlineMessage *m_testMessage = nullptr;
    InlineMessage *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_lastSuggestedId; // replaced on a preset change unless the user typed their own id
    QString m_pendingKeychainName; // set while a keychain write for this dialog is in flight
};

} // namespace Switchyard::Ui
