#pragma once

#include "core/config/workspace.h"

#include <QWidget>

class QGraphicsView;
class QLabel;
class QTimer;
class QTreeView;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Gateway {
class GatewayRuntime;
}

namespace Switchyard::Ui {

class InlineMessage;
class RouteListModel;
class RouteScene;

// The workspace's routes: a list on the left and the selected route drawn as a chain (RouteScene)
// with the live state of the gateway's circuit breakers.
class RoutesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoutesPage)

public:
    RoutesPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, QWidget *parent = nullptr);

    QString currentRoute() const;
    // Unknown names select nothing.
    void setCurrentRoute(const QString &name);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    void showDraft();
    void showSelectedRoute();

    Config::WorkspaceStore *m_store = nullptr;
    Gateway::GatewayRuntime *m_runtime = nullptr;
    Config::Workspace m_draft; // the routes being edited, over the store's other sections
    RouteListModel *m_routesModel = nullptr;
    QTreeView *m_routesView = nullptr;
    RouteScene *m_scene = nullptr;
    QGraphicsView *m_graphView = nullptr;
    QLabel *m_summary = nullptr;
    InlineMessage *m_validation = nullptr;
    QTimer *m_breakerTimer = nullptr;
};

} // namespace Switchyard::Ui
