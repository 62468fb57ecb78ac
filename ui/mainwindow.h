#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
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

// Hosts the pages behind a sidebar and reports the gateway's state in the status bar. The
// services belong to the caller and must outlive the window.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class Page {
        Gateway,
        Providers,
        Playground,
        Count,
    };

    MainWindow(Config::WorkspaceStore *store, Secrets::Keychain *keychain, Gateway::GatewayRuntime *runtime,
        Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent = nullptr);

    Page currentPage() const;
    void setCurrentPage(Page page);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addPage(Page page, const QString &title, QWidget *widget);
    void restoreState();
    void saveState() const;
    void updateGatewayStatus();
    void updateCredentialStatus(const QStringList &problems);

    Gateway::GatewayRuntime *m_runtime = nullptr;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_gatewayStatus = nullptr;
    QLabel *m_credentialStatus = nullptr;
};

} // namespace Switchyard::Ui
