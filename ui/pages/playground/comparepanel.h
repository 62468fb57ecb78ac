#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QHBoxLayout;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}

namespace Switchyard::Ui {

class ChatTargetsModel;
class CompareColumn;
class InlineMessage;
class ParametersEditor;

// One prompt to several targets at once, the answers streaming side by side with their figures.
class ComparePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparePanel)

public:
    static constexpr int MinTargets = 2;
    static constexpr int MaxTargets = 6;

    ComparePanel(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, QWidget *parent = nullptr);

    QList<CompareColumn *> columns() const { return m_columns; }
    bool isBusy() const;
    // Ticks these targets (routes or "provider/model", listed if the workspace does not name
    // them) and no others; ignored while a comparison runs.
    void setTargets(const QStringList &targets);

private:
    QWidget *createSettingsPane();
    QWidget *createComparisonPane();
    void compare();
    void stop();
    void updateButtons();

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    ChatTargetsModel *m_targetsModel = nullptr;
    QList<CompareColumn *> m_columns;

    QListView *m_targetsView = nullptr;
    QLabel *m_targetsCountLabel = nullptr;
    ParametersEditor *m_parametersEditor = nullptr;
    QPlainTextEdit *m_promptEdit = nullptr;
    QPushButton *m_compareButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    InlineMessage *m_message = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QHBoxLayout *m_columnsLayout = nullptr;
};

} // namespace Switchyard::Ui
