#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::Ui {

class InlineMessage;
class ProvidersModel;

// Lists the workspace's providers, adds them (ProviderDialog) and deletes them together with the
// keychain entry they own; shows the credential problems of the running configuration.
class ProvidersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProvidersPage)

public:
    ProvidersPage(Config::WorkspaceStore *store, Secrets::Keychain *keychain, Gateway::GatewayRuntime *runtime,
        QWidget *parent = nullptr);

private:
    void openAddDialog();
    void confirmDeleteSelected();
    void deleteProvider(const QString &id);
    void handleRemoveFinished(const QString &name, const QString &error);
    void showCredentialProblems(const QStringList &problems);
    void updateButtons();

    Config::WorkspaceStore *m_store = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
    ProvidersModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_deleteButton = nullptr;
    InlineMessage *m_message = nullptr;
    InlineMessage *m_problemsLabel = nullptr;
    QStringList m_pendingRemovals; // keychain entries of deleted providers still being removed
};

} // namespace Switchyard::Ui
