#pragma once

#include "core/providers/providerprofile.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::Ui {

class InlineMessage;

// Adds a provider to the workspace. A typed API key goes to the keychain under the provider id
// first; the workspace is saved (with credentialRef "keychain:<id>") only once the keychain has
// confirmed the write, so a keychain failure leaves the dialog open with everything still typed.
class ProviderDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderDialog)

public:
    ProviderDialog(Config::WorkspaceStore *store, Secrets::Keychain *keychain, QWidget *parent = nullptr);

    void accept() override;

signals:
    void providerAdded(const QString &id);

private:
    void handlePresetChanged();
    void handleWriteFinished(const QString &name, const QString &error);
    QString validationError() const;
    Providers::ProviderProfile profileFromInput() const;
    QString suggestedId(const QString &presetId) const;
    void saveProvider(Providers::ProviderProfile profile, bool keyInKeychain);
    void setBusy(bool busy);
    void showError(const QString &message);

    Config::WorkspaceStore *m_store = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
    QComboBox *m_presetCombo = nullptr;
    QLineEdit *m_idEdit = nullptr;
    QLineEdit *m_baseUrlEdit = nullptr;
    QLineEdit *m_apiKeyEdit = nullptr;
    QLabel *m_apiKeyHint = nullptr;
    QLineEdit *m_modelsEdit = nullptr;
    InlineMessage *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_lastSuggestedId; // replaced on a preset change unless the user typed their own id
    QString m_pendingKeychainName; // set while a keychain write for this dialog is in flight
};

} // namespace Switchyard::Ui
