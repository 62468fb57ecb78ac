#include "ui/pages/routes/routespage.h"

#include "core/config/workspacecodec.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "ui/dialogs/routesettingsdialog.h"
#include "ui/dialogs/targetdialog.h"
#include "ui/models/routelistmodel.h"
#include "ui/models/routetexts.h"
#include "ui/pages/routes/rehearsalpanel.h"
#include "ui/pages/routes/routescene.h"
#include "ui/widgets/inlinemessage.h"

#include <QAction>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
// Open breakers turn half-open by time alone; this is how often the drawing catches up.
constexpr int BreakerRefreshMs = 5000;

QList<Routing::Budget> routeBudgets(const Config::Workspace &workspace)
{
    QList<Routing::Budget> budgets;
    for (const Routing::Budget &budget : workspace.budgets) {
        if (budget.scope == Routing::Budget::Scope::Route) {
            budgets.append(budget);
        }
    }
    return budgets;
}

bool sameRoutes(const Config::Workspace &a, const Config::Workspace &b)
{
    return a.routes == b.routes && routeBudgets(a) == routeBudgets(b);
}

// `base` with the routes and route budgets of `routes`: what the editor owns of a workspace.
Config::Workspace withRoutesOf(const Config::Workspace &base, const Config::Workspace &routes)
{
    Config::Workspace result = base;
    result.routes = routes.routes;
    result.budgets.removeIf(
        [](const Routing::Budget &budget) { return budget.scope == Routing::Budget::Scope::Route; });
    result.budgets.append(routeBudgets(routes));
    return result;
}

// Empty when the workspace may be saved; otherwise the workspace rules' own message.
QString problemWith(const Config::Workspace &workspace)
{
    const Status valid = Config::WorkspaceCodec::validate(workspace);
    return valid ? QString() : valid.errorMessage();
}

qsizetype indexOfRoute(const Config::Workspace &workspace, const QString &name)
{
    for (qsizetype i = 0; i < workspace.routes.size(); ++i) {
        if (workspace.routes.at(i).name == name) {
            return i;
        }
    }
    return -1;
}
} // namespace

RoutesPage::RoutesPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_saved(store->workspace())
    , m_draft(store->workspace())
    , m_undoStack(new QUndoStack(this))
    , m_routesModel(new RouteListModel(this))
    , m_routesView(new QTreeView(this))
    , m_scene(new RouteScene(this))
    , m_graphView(new QGraphicsView(m_scene, this))
    , m_rehearsal(new RehearsalPanel(runtime, this))
    , m_summary(new QLabel(this))
    , m_validation(new InlineMessage(this))
    , m_message(new InlineMessage(this))
    , m_deleteRouteButton(new QPushButton(tr("Delete"), this))
    , m_breakerTimer(new QTimer(this))
{
    m_routesView->setObjectName(u"routesView"_s);
    m_routesView->setModel(m_routesModel);
    m_routesView->setRootIsDecorated(false);
    m_routesView->setUniformRowHeights(true);
    m_routesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_routesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_routesView->header()->setStretchLastSection(false);
    m_routesView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_routesView->header()->setSectionResizeMode(int(RouteListModel::Column::Name), QHeaderView::Stretch);
    m_graphView->setObjectName(u"routeGraphView"_s);
    m_graphView->setRenderHint(QPainter::Antialiasing);
    m_graphView->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_graphView->setBackgroundRole(QPalette::Base);
    m_rehearsal->setObjectName(u"rehearsalPanel"_s);
    m_summary->setObjectName(u"routeSummaryLabel"_s);
    m_summary->setWordWrap(true);
    m_validation->setObjectName(u"routeValidationLabel"_s);
    m_message->setObjectName(u"routesMessageLabel"_s);
    m_deleteRouteButton->setObjectName(u"deleteRouteButton"_s);
    m_scene->setRouterState(&runtime->gateway()->routerState());

    m_addTargetAction = addPageAction(u"addTargetAction"_s, tr("Add Target…"));
    m_editTargetAction = addPageAction(u"editTargetAction"_s, tr("Edit…"));
    m_removeTargetAction = addPageAction(u"removeTargetAction"_s, tr("Remove"));
    // Delete only where the chain has the focus, so it never removes a target while typing elsewhere.
    m_removeTargetAction->setShortcut(QKeySequence::Delete);
    m_removeTargetAction->setShortcutContext(Qt::WidgetShortcut);
    m_graphView->addAction(m_removeTargetAction);
    m_routeSettingsAction = addPageAction(u"routeSettingsAction"_s, tr("Route Settings…"));
    // Fixed texts keep the tool bar narrow; the tool tip names the edit.
    QAction *undoAction = addPageAction(u"undoAction"_s, tr("Undo"), QKeySequence(Qt::CTRL | Qt::Key_Z));
    QAction *redoAction = addPageAction(u"redoAction"_s, tr("Redo"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    undoAction->setEnabled(false);
    redoAction->setEnabled(false);
    connect(undoAction, &QAction::triggered, m_undoStack, &QUndoStack::undo);
    connect(redoAction, &QAction::triggered, m_undoStack, &QUndoStack::redo);
    connect(m_undoStack, &QUndoStack::canUndoChanged, undoAction, &QAction::setEnabled);
    connect(m_undoStack, &QUndoStack::canRedoChanged, redoAction, &QAction::setEnabled);
    connect(m_undoStack, &QUndoStack::undoTextChanged, undoAction,
        [undoAction](const QString &text) { undoAction->setToolTip(tr("Undo: %1").arg(text)); });
    connect(m_undoStack, &QUndoStack::redoTextChanged, redoAction,
        [redoAction](const QString &text) { redoAction->setToolTip(tr("Redo: %1").arg(text)); });
    m_saveAction = addPageAction(u"saveRoutesAction"_s, tr("Save"), QKeySequence(Qt::CTRL | Qt::Key_S));
    m_revertAction = addPageAction(u"revertRoutesAction"_s, tr("Revert"));
    m_revertAction->setToolTip(tr("Drop the unsaved changes and show the saved routes."));

    auto *toolBar = new QToolBar(this);
    toolBar->setObjectName(u"routeToolBar"_s);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar->addActions({m_addTargetAction, m_editTargetAction, m_removeTargetAction});
    toolBar->addSeparator();
    toolBar->addActions({undoAction, redoAction});
    toolBar->addSeparator();
    toolBar->addActions({m_saveAction, m_revertAction});

    auto *addRouteButton = new QPushButton(tr("Add…"), this);
    addRouteButton->setObjectName(u"addRouteButton"_s);
    auto *settingsButton = new QPushButton(tr("Settings…"), this);
    settingsButton->setObjectName(u"routeSettingsButton"_s);
    settingsButton->setToolTip(tr("Rename the route, or change its strategy, fallback conditions, timeouts, "
                                  "retries and budget."));
    auto *routeButtons = new QHBoxLayout;
    routeButtons->addWidget(addRouteButton);
    routeButtons->addWidget(settingsButton);
    routeButtons->addWidget(m_deleteRouteButton);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_routesView, 1);
    leftLayout->addLayout(routeButtons);
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->addWidget(toolBar);
    centreLayout->addWidget(m_summary);
    centreLayout->addWidget(m_validation);
    centreLayout->addWidget(m_message);
    centreLayout->addWidget(m_graphView, 1);
    auto *splitter = new QSplitter(this);
    splitter->setObjectName(u"routesSplitter"_s);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(centre);
    splitter->addWidget(m_rehearsal);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({210, 560, 400});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);

    m_breakerTimer->setInterval(BreakerRefreshMs);
    connect(m_breakerTimer, &QTimer::timeout, this, [this] { m_runtime->gateway()->routerState().refreshBreakers(); });
    connect(&runtime->gateway()->routerState(), &Routing::RouterState::breakerStateChanged, m_scene,
        &RouteScene::updateBreakers);
    connect(store, &Config::WorkspaceStore::changed, this, &RoutesPage::handleWorkspaceChanged);
    connect(
        m_routesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RoutesPage::showSelectedRoute);
    connect(m_scene, &RouteScene::moveRequested, this, &RoutesPage::moveTarget);
    connect(m_scene, &RouteScene::editRequested, this, &RoutesPage::editTarget);
    connect(m_scene, &RouteScene::selectedTargetChanged, this, &RoutesPage::updateActions);
    connect(m_rehearsal, &RehearsalPanel::reportChanged, m_scene, &RouteScene::setReport);
    connect(m_undoStack, &QUndoStack::cleanChanged, this, &RoutesPage::showSelectedRoute);
    connect(addRouteButton, &QPushButton::clicked, this, &RoutesPage::addRoute);
    connect(settingsButton, &QPushButton::clicked, this, &RoutesPage::openRouteSettings);
    connect(m_deleteRouteButton, &QPushButton::clicked, this, &RoutesPage::deleteRoute);
    connect(m_addTargetAction, &QAction::triggered, this, &RoutesPage::addTarget);
    connect(m_editTargetAction, &QAction::triggered, this, [this] { editTarget(m_scene->selectedTarget()); });
    connect(m_removeTargetAction, &QAction::triggered, this, &RoutesPage::removeTarget);
    connect(m_routeSettingsAction, &QAction::triggered, this, &RoutesPage::openRouteSettings);
    connect(m_saveAction, &QAction::triggered, this, &RoutesPage::save);
    connect(m_revertAction, &QAction::triggered, this, &RoutesPage::revert);
    showDraft();
    if (m_routesModel->rowCount() > 0) {
        m_routesView->setCurrentIndex(m_routesModel->index(0, 0));
    }
}

QAction *RoutesPage::addPageAction(const QString &name, const QString &text, const QKeySequence &shortcut)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(action);
    return action;
}

QString RoutesPage::currentRoute() const
{
    const QModelIndex current = m_routesView->currentIndex();
    return current.isValid() ? m_routesModel->row(current.row()).name : QString();
}

void RoutesPage::setCurrentRoute(const QString &name)
{
    const int row = m_routesModel->rowOf(name);
    m_routesView->setCurrentIndex(row >= 0 ? m_routesModel->index(row, 0) : QModelIndex());
}

bool RoutesPage::hasUnsavedChanges() const
{
    return !sameRoutes(m_draft, m_saved);
}

void RoutesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_runtime->gateway()->routerState().refreshBreakers();
    m_breakerTimer->start();
}

void RoutesPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_breakerTimer->stop();
}

void RoutesPage::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    const bool dirty = hasUnsavedChanges();
    const bool routesChangedElsewhere = !m_saving && !sameRoutes(workspace, m_saved);
    m_saved = workspace;
    if (m_saving) {
        m_draft = workspace;
    } else if (routesChangedElsewhere && !dirty) {
        // Nothing of ours to keep: show what was saved, and forget edits undo would bring back over it.
        m_undoStack->clear();
        m_draft = workspace;
    } else {
        m_draft = withRoutesOf(workspace, m_draft);
        if (routesChangedElsewhere) {
            m_message->showInfo(tr("The saved routes were changed elsewhere. Saving replaces them with the routes "
                                   "shown here; Revert shows the saved ones."));
        }
    }
    showDraft();
}

void RoutesPage::showDraft()
{
    const QString current = currentRoute();
    m_routesModel->setRoutes(m_draft.routes);
    if (!current.isEmpty() && m_routesModel->rowOf(current) >= 0) {
        setCurrentRoute(current);
    }
    showSelectedRoute();
}

void RoutesPage::showSelectedRoute()
{
    const QString name = currentRoute();
    m_scene->showRoute(m_draft, name);
    m_rehearsal->setRoute(m_draft, name);
    if (const QString problem = problemWith(m_draft); !problem.isEmpty()) {
        m_validation->showError(tr("This cannot be saved yet: %1").arg(problem));
    } else {
        m_validation->dismiss();
    }
    updateActions();
    const Routing::Route *route = m_draft.route(name);
    if (route == nullptr) {
        m_summary->setText(m_draft.routes.isEmpty()
                ? tr("No routes yet. A route is a model name clients call that tries several targets in turn; "
                     "add one with Add…")
                : tr("Select a route to see its chain."));
        return;
    }
    QString summary = tr("<b>%1</b> · %2: %3")
                          .arg(route->name.toHtmlEscaped(), RouteTexts::strategyName(route->strategy),
                              RouteTexts::strategyExplanation(route->strategy).toHtmlEscaped());
    if (route->deadlineMs > 0) {
        summary += u' ' + tr("Whole request within %1 s.").arg(QLocale().toString(route->deadlineMs / 1000.0, 'g', 4));
    }
    if (route->targets.size() > 1) {
        summary += u' ' + tr("Drag a target to reorder; double-click it to edit.");
    }
    if (hasUnsavedChanges()) {
        summary += u' ' + tr("<i>Unsaved changes.</i>");
    }
    m_summary->setText(summary);
}

void RoutesPage::updateActions()
{
    const bool hasRoute = m_draft.route(currentRoute()) != nullptr;
    const bool hasTarget = hasRoute && m_scene->selectedTarget() >= 0;
    m_addTargetAction->setEnabled(hasRoute);
    m_editTargetAction->setEnabled(hasTarget);
    m_removeTargetAction->setEnabled(hasTarget);
    m_routeSettingsAction->setEnabled(hasRoute);
    m_deleteRouteButton->setEnabled(hasRoute);
    m_saveAction->setEnabled(hasUnsavedChanges());
    m_revertAction->setEnabled(hasUnsavedChanges());
}

void RoutesPage::edit(const QString &text, const Config::Workspace &after, const QString &routeAfter)
{
    m_undoStack->push(new RouteEditCommand(text, {m_draft, currentRoute()}, {after, routeAfter},
        [this](const RouteEditCommand::State &state) { applyState(state); }));
}

void RoutesPage::applyState(const RouteEditCommand::State &state)
{
    m_message->dismiss();
    m_draft = withRoutesOf(m_saved, state.workspace);
    m_routesModel->setRoutes(m_draft.routes);
    setCurrentRoute(state.currentRoute);
    showSelectedRoute();
}

Config::Workspace RoutesPage::changedRoute(
    const QString &routeName, const std::function<void(Routing::Route &)> &change) const
{
    Config::Workspace result = m_draft;
    if (const qsizetype index = indexOfRoute(result, routeName); index >= 0) {
        change(result.routes[index]);
    }
    return result;
}

Config::Workspace RoutesPage::withRouteSettings(
    const QString &oldName, const Routing::Route &route, const std::optional<Routing::Budget> &budget) const
{
    Config::Workspace result = m_draft;
    const qsizetype index = indexOfRoute(result, oldName);
    if (index < 0) {
        result.routes.append(route);
    } else {
        result.routes[index] = route;
    }
    // A rename carries the routes that send to it along.
    for (Routing::Route &other : result.routes) {
        for (Routing::RouteTarget &target : other.targets) {
            if (index >= 0 && target.route == oldName) {
                target.route = route.name;
            }
        }
    }
    result.budgets.removeIf([&oldName](const Routing::Budget &existing) {
        return existing.scope == Routing::Budget::Scope::Route && existing.name == oldName;
    });
    if (budget) {
        result.budgets.append(*budget);
    }
    return result;
}

void RoutesPage::addRoute()
{
    m_message->dismiss();
    Routing::Route route;
    // A name clients type, so not translated.
    route.name = u"new-route"_s;
    for (int n = 2; m_draft.route(route.name) != nullptr; ++n) {
        route.name = u"new-route-"_s + QString::number(n);
    }
    QStringList suggestions;
    for (const Providers::ProviderProfile &provider : std::as_const(m_draft.providers)) {
        for (const QString &model : provider.models) {
            suggestions.append(Routing::RouteTarget(provider.id, model).toString());
        }
    }
    auto *dialog = new RouteSettingsDialog(route, std::nullopt, this);
    dialog->setObjectName(u"routeSettingsDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->askForFirstTarget(suggestions);
    dialog->setValidator([this](const Routing::Route &added, const std::optional<Routing::Budget> &budget) {
        if (m_draft.route(added.name) != nullptr) {
            return tr("A route named \"%1\" already exists; choose another name.").arg(added.name);
        }
        return problemWith(withRouteSettings(QString(), added, budget));
    });
    connect(dialog, &RouteSettingsDialog::settingsAccepted, this, [this, dialog] {
        const Routing::Route added = dialog->route();
        edit(tr("Add route %1").arg(added.name), withRouteSettings(QString(), added, dialog->budget()), added.name);
    });
    dialog->open();
}

void RoutesPage::openRouteSettings()
{
    const Routing::Route *route = m_draft.route(currentRoute());
    if (route == nullptr) {
        return;
    }
    m_message->dismiss();
    std::optional<Routing::Budget> budget;
    for (const Routing::Budget &existing : std::as_const(m_draft.budgets)) {
        if (existing.scope == Routing::Budget::Scope::Route && existing.name == route->name) {
            budget = existing;
        }
    }
    const QString oldName = route->name;
    auto *dialog = new RouteSettingsDialog(*route, budget, this);
    dialog->setObjectName(u"routeSettingsDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setValidator([this, oldName](const Routing::Route &changed, const std::optional<Routing::Budget> &budget) {
        if (changed.name != oldName && m_draft.route(changed.name) != nullptr) {
            return tr("A route named \"%1\" already exists; choose another name.").arg(changed.name);
        }
        return problemWith(withRouteSettings(oldName, changed, budget));
    });
    connect(dialog, &RouteSettingsDialog::settingsAccepted, this, [this, dialog, oldName] {
        const Routing::Route changed = dialog->route();
        edit(changed.name == oldName ? tr("Change the settings of %1").arg(oldName)
                                     : tr("Rename %1 to %2").arg(oldName, changed.name),
            withRouteSettings(oldName, changed, dialog->budget()), changed.name);
    });
    dialog->open();
}

void RoutesPage::deleteRoute()
{
    const QString name = currentRoute();
    if (m_draft.route(name) == nullptr) {
        return;
    }
    QStringList users;
    for (const Routing::Route &route : std::as_const(m_draft.routes)) {
        for (const Routing::RouteTarget &target : route.targets) {
            if (target.route == name && !users.contains(route.name)) {
                users.append(route.name);
            }
        }
    }
    if (!users.isEmpty()) {
        m_message->showError(tr("The route \"%1\" cannot be deleted while other routes send to it: %2. "
                                "Remove it from those routes first.")
                                 .arg(name, QLocale().createSeparatedList(users)));
        return;
    }
    Config::Workspace after = m_draft;
    const qsizetype index = indexOfRoute(after, name);
    after.routes.removeAt(index);
    after.budgets.removeIf([&name](const Routing::Budget &budget) {
        return budget.scope == Routing::Budget::Scope::Route && budget.name == name;
    });
    const QString next
        = after.routes.isEmpty() ? QString() : after.routes.at(std::min(index, after.routes.size() - 1)).name;
    edit(tr("Delete route %1").arg(name), after, next);
}

void RoutesPage::addTarget()
{
    const QString routeName = currentRoute();
    if (m_draft.route(routeName) == nullptr) {
        return;
    }
    m_message->dismiss();
    auto *dialog = new TargetDialog(m_draft, routeName, this);
    dialog->setObjectName(u"targetDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const auto withTarget = [this, routeName](const Routing::RouteTarget &target) {
        return changedRoute(routeName, [&target](Routing::Route &route) { route.targets.append(target); });
    };
    dialog->setValidator([withTarget](const Routing::RouteTarget &target) { return problemWith(withTarget(target)); });
    connect(
        dialog, &TargetDialog::targetAccepted, this, [this, withTarget, routeName](const Routing::RouteTarget &target) {
            edit(tr("Add %1").arg(target.toString()), withTarget(target), routeName);
        });
    dialog->open();
}

void RoutesPage::editTarget(int index)
{
    const QString routeName = currentRoute();
    const Routing::Route *route = m_draft.route(routeName);
    if (route == nullptr || index < 0 || index >= route->targets.size()) {
        return;
    }
    m_message->dismiss();
    auto *dialog = new TargetDialog(m_draft, routeName, this);
    dialog->setObjectName(u"targetDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setTarget(route->targets.at(index));
    const auto withTarget = [this, routeName, index](const Routing::RouteTarget &target) {
        return changedRoute(routeName, [&target, index](Routing::Route &changed) { changed.targets[index] = target; });
    };
    dialog->setValidator([withTarget](const Routing::RouteTarget &target) { return problemWith(withTarget(target)); });
    connect(dialog, &TargetDialog::targetAccepted, this,
        [this, withTarget, routeName, index](const Routing::RouteTarget &target) {
            edit(tr("Edit %1").arg(target.toString()), withTarget(target), routeName);
            m_scene->selectTarget(index);
        });
    dialog->open();
}

void RoutesPage::removeTarget()
{
    const QString routeName = currentRoute();
    const Routing::Route *route = m_draft.route(routeName);
    const int index = m_scene->selectedTarget();
    if (route == nullptr || index < 0 || index >= route->targets.size()) {
        return;
    }
    const QString removed = route->targets.at(index).toString();
    edit(tr("Remove %1").arg(removed),
        changedRoute(routeName, [index](Routing::Route &changed) { changed.targets.removeAt(index); }), routeName);
}

void RoutesPage::moveTarget(int from, int to)
{
    const QString routeName = currentRoute();
    const Routing::Route *route = m_draft.route(routeName);
    if (route == nullptr || from < 0 || to < 0 || from >= route->targets.size() || to >= route->targets.size()) {
        return;
    }
    const QString moved = route->targets.at(from).toString();
    edit(tr("Move %1").arg(moved),
        changedRoute(routeName, [from, to](Routing::Route &changed) { changed.targets.move(from, to); }), routeName);
    m_scene->selectTarget(to);
}

void RoutesPage::save()
{
    m_saving = true;
    const Status saved = m_store->save(m_draft);
    m_saving = false;
    if (!saved) {
        m_message->showError(tr("Nothing was saved: %1").arg(saved.errorMessage()));
        return;
    }
    m_undoStack->setClean();
    m_message->showInfo(tr("Saved. The gateway routes new requests this way now."));
    showSelectedRoute();
}

void RoutesPage::revert()
{
    m_undoStack->clear();
    m_draft = m_saved;
    m_message->dismiss();
    showDraft();
}

} // namespace Switchyard::Ui
