#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}

namespace Switchyard::Ui {

class ChatPanel;
class ComparePanel;
class InlineMessage;

// Chat with any route or model, and compare several side by side. The window's requests go through
// the running local gateway as a client (with the runtime's workbench key), so routes, fallbacks,
// budgets and the ledger apply to them as to any other application; while the gateway is stopped
// the page offers to start it.
class PlaygroundPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundPage)

public:
    enum class Mode {
        Chat,
        Compare,
    };

    // Conversations are saved in <dataDir>/conversations.
    PlaygroundPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, const QString &dataDir,
        QWidget *parent = nullptr);

    Mode mode() const;
    void setMode(Mode mode);

    // Chat mode with `target` (a route or "provider/model") chosen in a new conversation.
    void openTarget(const QString &target);
    // Compare mode with these targets ticked, ready for a prompt.
    void compareTargets(const QStringList &targets);

private:
    QWidget *createGatewayBanner();
    void startGateway();
    void updateGatewayBanner();

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    QWidget *m_banner = nullptr;
    QPushButton *m_startButton = nullptr;
    InlineMessage *m_startMessage = nullptr;
    QTabWidget *m_tabs = nullptr;
    ChatPanel *m_chatPanel = nullptr;
    ComparePanel *m_comparePanel = nullptr;
};

} // namespace Switchyard::Ui
