#include "ui/pages/routes/rehearsalpanel.h"

#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/routerehearsal.h"
#include "ui/models/rehearsalreportmodel.h"
#include "ui/models/rehearsalscenariomodel.h"
#include "ui/widgets/inlinemessage.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
constexpr int MaxRequests = 100'000;
constexpr int DefaultRequests = 1000;
// A first token later than the gateway's default TTFT timeout.
constexpr qint64 SlowTtftMs = 60'000;

QTableView *compactTable(QWidget *parent, const QString &name, QAbstractItemModel *model)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideMiddle);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return view;
}
} // namespace

RehearsalPanel::RehearsalPanel(Gateway::GatewayRuntime *runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_rehearsal(new Gateway::RouteRehearsal(this))
    , m_scenarioModel(new RehearsalScenarioModel(this))
    , m_reportModel(new RehearsalReportModel(this))
    , m_presetCombo(new QComboBox(this))
    , m_requestsSpin(new QSpinBox(this))
    , m_seedSpin(new QSpinBox(this))
    , m_scenarioView(compactTable(this, u"scenarioView"_s, m_scenarioModel))
    , m_runButton(new QPushButton(tr("Rehearse"), this))
    , m_summary(new QLabel(this))
    , m_message(new InlineMessage(this))
    , m_resultsView(compactTable(this, u"rehearsalResultsView"_s, m_reportModel))
{
    auto *title = new QLabel(tr("<b>Rehearse</b>"), this);
    auto *intro = new QLabel(tr("Run the route against a scripted situation, without sending anything."), this);
    intro->setWordWrap(true);
    m_presetCombo->setObjectName(u"scenarioCombo"_s);
    m_presetCombo->addItem(tr("Every target answers"), int(Preset::Healthy));
    m_presetCombo->addItem(tr("First target fails every time"), int(Preset::FirstFails));
    m_presetCombo->addItem(tr("First target slow to first token"), int(Preset::FirstSlow));
    m_presetCombo->addItem(tr("First target's provider over budget"), int(Preset::FirstOverBudget));
    m_presetCombo->addItem(tr("Custom (edit the table)"), int(Preset::Custom));
    m_requestsSpin->setObjectName(u"requestsSpin"_s);
    m_requestsSpin->setRange(1, MaxRequests);
    m_requestsSpin->setValue(DefaultRequests);
    m_seedSpin->setObjectName(u"seedSpin"_s);
    m_seedSpin->setRange(1, std::numeric_limits<int>::max());
    m_seedSpin->setToolTip(tr("The same seed gives the same rehearsal."));
    m_scenarioView->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_runButton->setObjectName(u"runRehearsalButton"_s);
    m_summary->setObjectName(u"rehearsalSummaryLabel"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName(u"rehearsalMessageLabel"_s);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *form = new QFormLayout;
    form->addRow(tr("Scenario:"), m_presetCombo);
    form->addRow(tr("Requests:"), m_requestsSpin);
    form->addRow(tr("Seed:"), m_seedSpin);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_scenarioView, 2);
    layout->addWidget(m_runButton);
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_resultsView, 1);

    connect(m_presetCombo, &QComboBox::currentIndexChanged, this, &RehearsalPanel::applyPreset);
    connect(m_scenarioModel, &QAbstractItemModel::dataChanged, this, [this] {
        if (!m_applyingPreset) {
            m_presetCombo->setCurrentIndex(m_presetCombo->findData(int(Preset::Custom)));
        }
    });
    connect(m_runButton, &QPushButton::clicked, this, &RehearsalPanel::run);
    connect(m_rehearsal, &Gateway::RouteRehearsal::finished, this, &RehearsalPanel::showReport);
    connect(m_rehearsal, &Gateway::RouteRehearsal::failed, this, &RehearsalPanel::showFailure);
    setRoute({}, {});
}

void RehearsalPanel::setRoute(const Config::Workspace &workspace, const QString &routeName)
{
    if (workspace == m_workspace && routeName == m_routeName) {
        return;
    }
    m_workspace = workspace;
    m_routeName = routeName;
    ++m_generation;
    m_scenarioModel->setTargets(RehearsalScenarioModel::targetsOf(workspace, routeName));
    applyPreset();
    m_runButton->setEnabled(workspace.route(routeName) != nullptr && !m_rehearsal->isRunning());
    clearReport();
}

void RehearsalPanel::applyPreset()
{
    const auto preset = Preset(m_presetCombo->currentData().toInt());
    if (preset == Preset::Custom || m_scenarioModel->rowCount() == 0) {
        return;
    }
    m_applyingPreset = true;
    m_scenarioModel->resetBehaviours();
    Routing::TargetBehaviour first;
    switch (preset) {
    case Preset::FirstFails:
        first.failureRate = 1.0;
        break;
    case Preset::FirstSlow:
        first.ttftMs = SlowTtftMs;
        first.latencyMs = SlowTtftMs + first.latencyMs;
        break;
    case Preset::FirstOverBudget:
        first.overBudget = true;
        break;
    case Preset::Healthy:
    case Preset::Custom:
        break;
    }
    m_scenarioModel->setBehaviour(0, first);
    m_applyingPreset = false;
}

bool RehearsalPanel::run()
{
    if (m_workspace.route(m_routeName) == nullptr) {
        return false;
    }
    Routing::RehearsalScenario scenario;
    scenario.requests = m_requestsSpin->value();
    scenario.seed = quint64(m_seedSpin->value());
    m_scenarioModel->fillScenario(&scenario);
    const auto tables = m_runtime->gateway()->tables();
    if (!m_rehearsal->start(m_workspace, tables ? tables->catalog() : Pricing::PriceCatalog(), m_routeName, scenario)) {
        return false;
    }
    m_runGeneration = m_generation;
    m_runButton->setEnabled(false);
    m_message->showInfo(tr("Rehearsing %n requests…", nullptr, scenario.requests));
    return true;
}

void RehearsalPanel::showReport(const Routing::RehearsalReport &report)
{
    m_runButton->setEnabled(m_workspace.route(m_routeName) != nullptr);
    m_message->dismiss();
    if (m_runGeneration != m_generation) {
        // The route was edited while it ran: the report is about something no longer shown.
        return;
    }
    const QLocale locale;
    QStringList attempts;
    QList<int> counts = report.attemptsPerRequest.keys();
    std::sort(counts.begin(), counts.end());
    for (int count : std::as_const(counts)) {
        attempts.append(tr("%1×: %2").arg(count).arg(report.attemptsPerRequest.value(count)));
    }
    QString cost = report.totalCost.toString(4);
    if (report.unpricedRequests > 0) {
        cost = tr("%1 (%n without a known price)", nullptr, report.unpricedRequests).arg(cost);
    }
    m_summary->setText(
        tr("%1 of %2 requests answered, %3 failed.\nAttempts per request: %4.\n"
           "Latency p50 %5 ms, p90 %6 ms, p99 %7 ms.\nCost %8. Breaker openings: %9.")
            .arg(locale.toString(report.succeeded), locale.toString(report.requests), locale.toString(report.failed),
                attempts.join(tr(", ")), locale.toString(report.latencyP50Ms), locale.toString(report.latencyP90Ms),
                locale.toString(report.latencyP99Ms), cost, locale.toString(report.breakerOpenings)));
    m_reportModel->setReport(report);
    emit reportChanged(report);
}

void RehearsalPanel::showFailure(const QString &message)
{
    m_runButton->setEnabled(m_workspace.route(m_routeName) != nullptr);
    m_message->showError(tr("The rehearsal did not run: %1").arg(message));
}

void RehearsalPanel::clearReport()
{
    m_summary->setText(tr("Pick a scenario or edit the table, then rehearse."));
    if (m_reportModel->report()) {
        m_reportModel->setReport(std::nullopt);
        emit reportChanged(std::nullopt);
    }
}

} // namespace Switchyard::Ui
