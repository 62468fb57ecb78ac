#pragma once

#include <QObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>

class QWidget;

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

// The real services behind a window, as app/ composes them, on files in a temporary folder and
// under a keychain service name of their own, so no user data is touched.
class UiTestServices
{
public:
    UiTestServices();
    ~UiTestServices();

    // Loads the (missing, so empty) workspace and opens the ledger; the runtime then resolves
    // credentials asynchronously (wait for runtime->isReady()).
    bool setUp();
    std::unique_ptr<Switchyard::Ui::MainWindow> createWindow() const;
    QString ledgerPath() const;
    QString workspacePath() const;
    QString keychainService() const { return m_keychainService; }

    // Saves <test binary dir>/screenshots/<name>.png of the window at 1280×800.
    static bool saveScreenshot(QWidget *window, const QString &name);

    std::unique_ptr<Switchyard::Config::WorkspaceStore> store;
    std::unique_ptr<Switchyard::Ledger::Ledger> ledger;
    std::unique_ptr<Switchyard::Secrets::Keychain> keychain;
    std::unique_ptr<Switchyard::Gateway::GatewayRuntime> runtime;

private:
    QTemporaryDir m_dir;
    QString m_keychainService;
};

// The descendant of `root` with this object name; null, with a warning naming it, when there is none.
template <typename T> T *child(QObject *root, const QString &name)
{
    T *found = root->findChild<T *>(name);
    if (found == nullptr) {
        qWarning("no child named %s", qPrintable(name));
    }
    return found;
}
