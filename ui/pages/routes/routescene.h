#pragma once

#include "core/config/workspace.h"
#include "core/routing/rehearsal.h"

#include <QGraphicsScene>
#include <QSet>
#include <QString>

#include <optional>

namespace Switchyard::Routing {
class RouterState;
}

namespace Switchyard::Ui {

class TargetNode;

// Draws one route as a chain from the client's request through its targets (top to bottom) to
// the error the client gets when every target failed: edges carry the fallback conditions,
// nodes the provider, model, weight, overrides and live breaker state, and after a rehearsal the
// share of requests each target served. Reordering by drag and opening a target are reported as
// requests; the scene itself never changes the route.
class RouteScene final : public QGraphicsScene
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RouteScene)

public:
    explicit RouteScene(QObject *parent = nullptr);
    ~RouteScene() override;

    // An unknown route name draws nothing.
    void showRoute(const Config::Workspace &workspace, const QString &routeName);
    QString routeName() const { return m_routeName; }
    // Breaker states come from here (the gateway's); null shows none.
    void setRouterState(const Routing::RouterState *state);
    // Re-reads the breaker states.
    void updateBreakers();
    void setReport(const std::optional<Routing::RehearsalReport> &report);

    // Nested routes drawn open, by TargetNode::Content::path.
    void setExpanded(const QString &path, bool expanded);
    bool isExpanded(const QString &path) const { return m_expanded.contains(path); }

    // The route's own targets, in order (nested routes' targets are their children).
    QList<TargetNode *> targetNodes() const { return m_nodes; }
    // Index of the selected top-level target; -1 when none.
    int selectedTarget() const;
    void selectTarget(int index);

    // Called by TargetNode.
    void nodeDropped(TargetNode *node);
    void nodeActivated(TargetNode *node);
    void nodeExpanderClicked(TargetNode *node);

signals:
    void moveRequested(int from, int to);
    void editRequested(int index);
    void selectedTargetChanged(int index);

private:
    void rebuild();
    qreal drawTargets(const Routing::Route &route, const QString &pathPrefix, int depth, QGraphicsItem *parent,
        qreal top, QList<TargetNode *> *drawn, QSet<QString> *visiting);
    TargetNode *makeNode(const Routing::Route &route, int index, const QString &path, int depth, QGraphicsItem *parent,
        const QSet<QString> &visiting);
    void addEdge(QGraphicsItem *parent, qreal x, qreal fromY, qreal toY, const QString &label, bool dashed);
    QGraphicsItem *addTerminal(const QString &text, qreal centreY);
    double servedShare(const QStringList &keys) const;

    Config::Workspace m_workspace;
    QString m_routeName;
    const Routing::RouterState *m_state = nullptr;
    std::optional<Routing::RehearsalReport> m_report;
    QSet<QString> m_expanded;
    QList<TargetNode *> m_nodes;
};

} // namespace Switchyard::Ui
