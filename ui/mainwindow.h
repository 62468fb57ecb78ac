#pragma once

#include <QMainWindow>
#include <QStringList>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}
namespace Switchyard::Ledger {
class Ledger;
}
namespace Switchyard::Secrets {
class Keychain;
}

namespace Switchyard::Ui {

class GatewayTrayIcon;
class TodaySpendLabel;

// Hosts the pages behind a sidebar, reports the gateway's state and today's spend in the status
// bar and, where the desktop has a notification area, lives on in a tray icon while its window
// is closed. Window geometry and the last page are kept in QSettings. The services belong to the
// caller and must outlive the window.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(Config::WorkspaceStore *store, Secrets::Keychain *keychain, Gateway::GatewayRuntime *runtime,
        Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent = nullptr);

    // Page ids in sidebar order ("providers", "gateway", "logs", …); Ctrl+1… follow this order.
    QStringList pages() const { return m_pageIds; }
    QString currentPage() const;
    // Unknown ids are ignored.
    void setCurrentPage(const QString &id);
    bool hasTrayIcon() const { return m_trayIcon != nullptr; }

    // Starts the gateway on the workspace's address; a failure is shown in the status bar.
    void startGateway();
    void toggleGateway();

signals:
    // Quit was chosen (menu, tray or Ctrl+Q); the window state is saved already.
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void addPage(const QString &id, const QString &title, QWidget *page);
    void createActions();
    void createTrayIcon();
    void toggleVisible();
    void restoreState();
    void saveState() const;
    void updateGatewayStatus();
    void updateCredentialStatus(const QStringList &problems);

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_pages = nullptr;
    QMenu *m_viewMenu = nullptr;
    QStringList m_pageIds;
    QLabel *m_gatewayStatus = nullptr;
    TodaySpendLabel *m_todaySpend = nullptr;
    QLabel *m_credentialStatus = nullptr;
    QAction *m_gatewayAction = nullptr;
    QAction *m_showHideAction = nullptr;
    QAction *m_quitAction = nullptr;
    GatewayTrayIcon *m_trayIcon = nullptr; // null when the desktop has no notification area
    QString m_gatewayError; // why the last start from this window failed, until the state changes
};

} // namespace Switchyard::Ui
