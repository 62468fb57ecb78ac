#pragma once

#include "core/config/workspace.h"
#include "ui/pages/routes/routeeditcommand.h"

#include <QWidget>

#include <functional>

class QAction;
class QGraphicsView;
class QLabel;
class QPushButton;
class QTimer;
class QTreeView;
class QUndoStack;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}

namespace Switchyard::Ui {

class InlineMessage;
class RehearsalPanel;
class RouteListModel;
class RouteScene;

// The workspace's routes: a list on the left, the selected route drawn as a chain (RouteScene)
// with the live state of the gateway's circuit breakers, and a rehearsal panel on the right.
// Edits (drag to reorder, target and route dialogs, adding and deleting) go to a draft with undo
// and redo; Save writes the draft's routes and route budgets through the WorkspaceStore, which
// validates them. Problems of the draft are shown above the chain as the workspace's rules word them.
class RoutesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoutesPage)

public:
    RoutesPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, QWidget *parent = nullptr);

    QString currentRoute() const;
    // Unknown names select nothing.
    void setCurrentRoute(const QString &name);
    // The draft differs from what was last saved.
    bool hasUnsavedChanges() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QAction *addPageAction(const QString &name, const QString &text, const QKeySequence &shortcut = {});
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    void showDraft();
    void showSelectedRoute();
    void updateActions();

    void edit(const QString &text, const Config::Workspace &after, const QString &routeAfter);
    void applyState(const RouteEditCommand::State &state);
    // The draft with `change` applied to the route named `routeName`.
    Config::Workspace changedRoute(const QString &routeName, const std::function<void(Routing::Route &)> &change) const;
    Config::Workspace withRouteSettings(
        const QString &oldName, const Routing::Route &route, const std::optional<Routing::Budget> &budget) const;

    void addRoute();
    void openRouteSettings();
    void deleteRoute();
    void addTarget();
    void editTarget(int index);
    void removeTarget();
    void moveTarget(int from, int to);
    void save();
    void revert();

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    Config::Workspace m_saved; // as the store last reported it
    Config::Workspace m_draft; // the routes being edited, over the saved workspace's other sections
    QUndoStack *m_undoStack = nullptr;
    RouteListModel *m_routesModel = nullptr;
    QTreeView *m_routesView = nullptr;
    RouteScene *m_scene = nullptr;
    QGraphicsView *m_graphView = nullptr;
    RehearsalPanel *m_rehearsal = nullptr;
    QLabel *m_summary = nullptr;
    InlineMessage *m_validation = nullptr;
    InlineMessage *m_message = nullptr;
    QPushButton *m_deleteRouteButton = nullptr;
    QAction *m_addTargetAction = nullptr;
    QAction *m_editTargetAction = nullptr;
    QAction *m_removeTargetAction = nullptr;
    QAction *m_routeSettingsAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_revertAction = nullptr;
    QTimer *m_breakerTimer = nullptr;
    bool m_saving = false;
};

} // namespace Switchyard::Ui
