#pragma once

#include "core/config/workspace.h"
#include "core/routing/rehearsal.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace Switchyard::Gateway {
class GatewayRuntime;
class RouteRehearsal;
} // namespace Switchyard::Gateway

namespace Switchyard::Ui {

class InlineMessage;
class RehearsalReportModel;
class RehearsalScenarioModel;

// Rehearses the route being edited: a scenario (a preset, then per-target failure rates,
// latencies and budgets as a table) run through the routing engine on a worker thread, with the
// outcome as a summary and a table of what each target served.
class RehearsalPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RehearsalPanel)

public:
    RehearsalPanel(Gateway::GatewayRuntime *runtime, QWidget *parent = nullptr);

    // The workspace as edited and the route to rehearse; a change drops the last report.
    void setRoute(const Config::Workspace &workspace, const QString &routeName);
    // Starts a run of the scenario as entered; false while one is running or without a route.
    bool run();

signals:
    // A new report, or none when the route changed since.
    void reportChanged(const std::optional<Switchyard::Routing::RehearsalReport> &report);

private:
    enum class Preset {
        Custom,
        Healthy,
        FirstFails,
        FirstSlow,
        FirstOverBudget,
    };

    void applyPreset();
    void showReport(const Routing::RehearsalReport &report);
    void showFailure(const QString &message);
    void clearReport();

    Gateway::GatewayRuntime *m_runtime = nullptr;
    Gateway::RouteRehearsal *m_rehearsal = nullptr;
    Config::Workspace m_workspace;
    QString m_routeName;
    RehearsalScenarioModel *m_scenarioModel = nullptr;
    RehearsalReportModel *m_reportModel = nullptr;
    QComboBox *m_presetCombo = nullptr;
    QSpinBox *m_requestsSpin = nullptr;
    QSpinBox *m_seedSpin = nullptr;
    QTableView *m_scenarioView = nullptr;
    QPushButton *m_runButton = nullptr;
    QLabel *m_summary = nullptr;
    InlineMessage *m_message = nullptr;
    QTableView *m_resultsView = nullptr;
    bool m_applyingPreset = false;
    int m_generation = 0; // counts route changes, so a report about an earlier state is dropped
    int m_runGeneration = -1;
};

} // namespace Switchyard::Ui
