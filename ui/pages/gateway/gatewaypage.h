#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config
namespace Switchyard::Gateway {
class ClientSnippets;
class GatewayRuntime;
class GatewayService;
} // namespace Switchyard::Gateway
namespace Switchyard::Ledger {
class Ledger;
}

namespace Switchyard::Ui {

class ClientSnippetsView;
class InlineMessage;
class LedgerHistoryLoader;
class LocalKeysModel;
class RequestFeedModel;

// Starts and stops the local gateway, edits its listen address, manages the local API keys (with
// their budgets and rate limits), shows copyable client snippets for the listen address and the
// live request feed (recent ledger history below the newest attempts).
class GatewayPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayPage)

public:
    static constexpr int HistoryRows = 200;
    static constexpr int FeedCapacity = 500;

    // ledgerPath is read (off the GUI thread) for the feed's history; a missing file is fine.
    GatewayPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, Ledger::Ledger *ledger,
        const QString &ledgerPath, QWidget *parent = nullptr);

    // "http://127.0.0.1:4000/v1" for a running gateway.
    static QString baseUrl(const Gateway::GatewayService *gateway);

    // For the address clients reach now: the running gateway's, else the saved one.
    Gateway::ClientSnippets clientSnippets(const QString &apiKey = QString()) const;

private:
    QWidget *createGatewayGroup();
    QWidget *createKeysGroup();
    QWidget *createSnippetsGroup();
    QWidget *createFeedGroup();
    void toggleGateway();
    void saveAddress();
    void saveCaptureBodies(bool capture);
    void openCreateKeyDialog();
    void openLimitsDialog();
    void updateSnippetModels(const Config::Workspace &workspace);
    void updateSnippets();
    void confirmRevokeSelectedKey();
    void revokeKey(const QString &name);
    void updateGatewayState();
    void updateSettingsFields(const Config::Workspace &workspace);
    void updateKeyButtons();

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    LocalKeysModel *m_keysModel = nullptr;
    RequestFeedModel *m_feedModel = nullptr;
    LedgerHistoryLoader *m_historyLoader = nullptr;

    QLabel *m_stateLabel = nullptr;
    QPushButton *m_startStopButton = nullptr;
    InlineMessage *m_gatewayMessage = nullptr;
    QLineEdit *m_hostEdit = nullptr;
    QSpinBox *m_portSpinBox = nullptr;
    QPushButton *m_saveAddressButton = nullptr;
    QCheckBox *m_captureBodiesCheck = nullptr;
    InlineMessage *m_addressMessage = nullptr;
    QTableView *m_keysView = nullptr;
    QPushButton *m_limitsButton = nullptr;
    QPushButton *m_revokeKeyButton = nullptr;
    QComboBox *m_snippetModelCombo = nullptr;
    ClientSnippetsView *m_snippetsView = nullptr;
    InlineMessage *m_keysMessage = nullptr;
    QTableView *m_feedView = nullptr;
    InlineMessage *m_feedMessage = nullptr;
    // The address last loaded into the fields; other workspace changes leave unsaved edits alone.
    QString m_shownHost;
    int m_shownPort = -1;
};

} // namespace Switchyard::Ui
