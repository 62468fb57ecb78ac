#pragma once

#include "app/apppaths.h"

#include <QObject>

#include <memory>

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
class MainWindow;
}

namespace Switchyard::App {

// The desktop window's composition root: builds the services as `switchyard serve` does, hands
// them to the window, and on quit closes the window, drains the gateway and closes the ledger.
class GuiApplication final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiApplication)

public:
    explicit GuiApplication(QObject *parent = nullptr);
    ~GuiApplication() override;

    // Returns false (after showing why) when the window cannot open; otherwise the event loop
    // runs until the last window closes.
    bool start();

private:
    void startGatewayIfWanted();
    void showLoadError(const QString &title, const QString &message);
    void finish();

    AppPaths m_paths;
    bool m_workspaceLoaded = false;
    bool m_finishing = false;
    Config::WorkspaceStore *m_workspace = nullptr;
    Ledger::Ledger *m_ledger = nullptr;
    Secrets::Keychain *m_keychain = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    // Destroyed before the services (QObject children) it points to.
    std::unique_ptr<Ui::MainWindow> m_window;
};

} // namespace Switchyard::App
