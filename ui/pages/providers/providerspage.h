#pragma once

#include <QStringList>
#include <QWidget>

class QPushButton;
class QTableView;
class QTimer;

namespace Switchyard::Catalog {
class ConnectionTest;
struct ConnectionReport;
} // namespace Switchyard::Catalog

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}
namespace Switchyard::Ledger {
class Ledger;
struct ProviderHealth;
} // namespace Switchyard::Ledger
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::Ui {

class InlineMessage;
class LedgerQueryWorker;
class ProvidersModel;

// Lists the workspace's providers with their health from the ledger (read on a worker thread,
// again whenever requests are recorded), adds and edits them (ProviderDialog), tests their
// connection and deletes them together with the keychain entry they own; shows the credential
// problems of the running configuration.
class ProvidersPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProvidersPage)

public:
    // ledgerPath is read (off the GUI thread) for the health columns; a missing file is fine.
    ProvidersPage(Config::WorkspaceStore *store, Secrets::Keychain *keychain, Gateway::GatewayRuntime *runtime,
        Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent = nullptr);

private:
    void openAddDialog();
    void openEditDialog();
    void testSelected();
    void showTestReport(const Catalog::ConnectionReport &report);
    void refreshHealth();
    void handleHealthLoaded(quint64 ticket, const QList<Ledger::ProviderHealth> &health);
    QString selectedId() const;
    void confirmDeleteSelected();
    void deleteProvider(const QString &id);
    void handleRemoveFinished(const QString &name, const QString &error);
    void showCredentialProblems(const QStringList &problems);
    void updateButtons();

    Config::WorkspaceStore *m_store = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
    ProvidersModel *m_model = nullptr;
    LedgerQueryWorker *m_healthWorker = nullptr;
    Catalog::ConnectionTest *m_connectionTest = nullptr;
    QTimer *m_healthTimer = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_editButton = nullptr;
    QPushButton *m_testButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    InlineMessage *m_message = nullptr;
    InlineMessage *m_problemsLabel = nullptr;
    QStringList m_pendingRemovals; // keychain entries of deleted providers still being removed
    quint64 m_healthTicket = 0; // of the health query in flight, 0 when none
    bool m_healthStale = false; // requests were recorded while a query was in flight
};

} // namespace Switchyard::Ui
