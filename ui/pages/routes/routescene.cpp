#include "ui/pages/routes/routescene.h"

#include "core/routing/routerstate.h"
#include "ui/models/rehearsalscenariomodel.h"
#include "ui/models/routetexts.h"
#include "ui/pages/routes/targetnode.h"
#include "ui/widgets/inlinemessage.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsSimpleTextItem>
#include <QLocale>
#include <QPainterPath>
#include <QPen>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
constexpr qreal Indent = 28;
constexpr qreal TerminalHeightLines = 2;

QString percent(double share)
{
    return QLocale().toString(100.0 * share, 'f', 0);
}
} // namespace

RouteScene::RouteScene(QObject *parent)
    : QGraphicsScene(parent)
{
    connect(this, &QGraphicsScene::selectionChanged, this, [this] { emit selectedTargetChanged(selectedTarget()); });
}

RouteScene::~RouteScene()
{
    // QGraphicsScene deletes the items after this class is gone; nothing may hear of it then.
    blockSignals(true);
    m_nodes.clear();
    clear();
}

void RouteScene::showRoute(const Config::Workspace &workspace, const QString &routeName)
{
    if (routeName != m_routeName) {
        m_expanded.clear();
    }
    m_workspace = workspace;
    m_routeName = routeName;
    rebuild();
}

void RouteScene::setRouterState(const Routing::RouterState *state)
{
    m_state = state;
    rebuild();
}

void RouteScene::updateBreakers()
{
    rebuild();
}

void RouteScene::setReport(const std::optional<Routing::RehearsalReport> &report)
{
    m_report = report;
    rebuild();
}

void RouteScene::setExpanded(const QString &path, bool expanded)
{
    if (expanded) {
        m_expanded.insert(path);
    } else {
        m_expanded.remove(path);
    }
    rebuild();
}

int RouteScene::selectedTarget() const
{
    for (const TargetNode *node : m_nodes) {
        if (node->isSelected()) {
            return node->content().index;
        }
    }
    return -1;
}

void RouteScene::selectTarget(int index)
{
    for (TargetNode *node : std::as_const(m_nodes)) {
        node->setSelected(node->content().index == index);
    }
}

void RouteScene::nodeDropped(TargetNode *node)
{
    const int from = node->content().index;
    const qreal centre = node->pos().y() + node->boundingRect().height() / 2;
    int to = 0;
    for (const TargetNode *other : std::as_const(m_nodes)) {
        if (other != node && other->home().y() + other->boundingRect().height() / 2 < centre) {
            ++to;
        }
    }
    node->setPos(node->home());
    if (to != from) {
        // Queued: the route is redrawn, and this node deleted, once its mouse event is over.
        QMetaObject::invokeMethod(
            this, [this, from, to] { emit moveRequested(from, to); }, Qt::QueuedConnection);
    }
}

void RouteScene::nodeActivated(TargetNode *node)
{
    const int index = node->content().index;
    QMetaObject::invokeMethod(
        this, [this, index] { emit editRequested(index); }, Qt::QueuedConnection);
}

void RouteScene::nodeExpanderClicked(TargetNode *node)
{
    const QString path = node->content().path;
    const bool expanded = !node->content().expanded;
    QMetaObject::invokeMethod(
        this, [this, path, expanded] { setExpanded(path, expanded); }, Qt::QueuedConnection);
}

void RouteScene::rebuild()
{
    const int selected = selectedTarget();
    m_nodes.clear();
    clear();
    const Routing::Route *route = m_workspace.route(m_routeName);
    if (route == nullptr) {
        setSceneRect({});
        return;
    }
    const qreal gap = QFontMetricsF(font()).lineSpacing() * 2.5;
    qreal y = addTerminal(tr("Request for %1").arg(route->name), 0)->sceneBoundingRect().bottom();
    addEdge(nullptr, TargetNode::Width / 2, y, y + gap,
        route->strategy == Routing::Strategy::Fallback ? QString() : RouteTexts::strategyName(route->strategy), false);
    y += gap;
    QSet<QString> visiting {route->name};
    y = drawTargets(*route, QString(), 0, nullptr, y, &m_nodes, &visiting);
    addEdge(nullptr, TargetNode::Width / 2, y, y + gap, tr("no target answered"), true);
    addTerminal(tr("Error to the client"), y + gap);
    selectTarget(selected);
    const qreal margin = gap / 2;
    setSceneRect(itemsBoundingRect().adjusted(-margin, -margin, margin, margin));
}

qreal RouteScene::drawTargets(const Routing::Route &route, const QString &pathPrefix, int depth, QGraphicsItem *parent,
    qreal top, QList<TargetNode *> *drawn, QSet<QString> *visiting)
{
    const qreal gap = QFontMetricsF(font()).lineSpacing() * (depth == 0 ? 2.5 : 2);
    const qreal x = depth == 0 ? 0 : Indent;
    qreal y = top;
    for (int i = 0; i < int(route.targets.size()); ++i) {
        if (i > 0) {
            addEdge(parent, x + TargetNode::Width / 2, y, y + gap,
                tr("on %1").arg(RouteTexts::conditionList(route.fallbackOn)), false);
            y += gap;
        }
        const QString path = pathPrefix.isEmpty() ? QString::number(i) : pathPrefix + u'/' + QString::number(i);
        TargetNode *node = makeNode(route, i, path, depth, parent, *visiting);
        node->setHome({x, y});
        drawn->append(node);
        y += node->boundingRect().height();
        const Routing::RouteTarget &target = route.targets.at(i);
        const Routing::Route *nested = target.isNested() ? m_workspace.route(target.route) : nullptr;
        if (node->content().expanded && nested != nullptr && !visiting->contains(nested->name)) {
            visiting->insert(nested->name);
            const qreal nodeTop = node->pos().y();
            const qreal childTop = node->boundingRect().height() + gap / 2;
            QList<TargetNode *> children;
            const qreal childBottom = drawTargets(*nested, path, depth + 1, node, childTop, &children, visiting);
            visiting->remove(nested->name);
            // A bracket from the nested route's node down its own targets.
            auto *bracket = new QGraphicsPathItem(node);
            QPainterPath bracketPath;
            bracketPath.moveTo(Indent / 2, node->boundingRect().height());
            bracketPath.lineTo(Indent / 2, childBottom - gap / 4);
            bracket->setPath(bracketPath);
            bracket->setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DotLine));
            y = nodeTop + childBottom;
        }
    }
    return y;
}

TargetNode *RouteScene::makeNode(const Routing::Route &route, int index, const QString &path, int depth,
    QGraphicsItem *parent, const QSet<QString> &visiting)
{
    const Routing::RouteTarget &target = route.targets.at(index);
    TargetNode::Content content;
    content.index = index;
    content.path = path;
    content.movable = depth == 0 && route.targets.size() > 1;
    QStringList details;
    if (route.strategy == Routing::Strategy::Weighted) {
        int total = 0;
        for (const Routing::RouteTarget &other : route.targets) {
            total += other.weight;
        }
        details.append(
            tr("weight %1 (%2 %)").arg(target.weight).arg(percent(total > 0 ? double(target.weight) / total : 0)));
    }
    if (target.retries >= 0) {
        details.append(tr("%n retries", nullptr, target.retries));
    } else if (route.retry.maxRetries > 0) {
        details.append(tr("%n retries (route)", nullptr, route.retry.maxRetries));
    }
    if (target.timeoutMs > 0) {
        details.append(tr("timeout %1 s").arg(QLocale().toString(target.timeoutMs / 1000.0, 'g', 4)));
    }
    if (target.ttftTimeoutMs > 0) {
        details.append(tr("first token within %1 s").arg(QLocale().toString(target.ttftTimeoutMs / 1000.0, 'g', 4)));
    }
    if (!target.params.isEmpty()) {
        details.append(tr("sets %1").arg(target.params.keys().join(tr(", "))));
    }
    if (!details.isEmpty()) {
        content.lines.append(details.join(u" \u00b7 "_s));
    }
    QStringList keys;
    if (target.isNested()) {
        const Routing::Route *nested = m_workspace.route(target.route);
        content.nested = nested != nullptr && !visiting.contains(nested->name);
        content.expanded = content.nested && m_expanded.contains(path);
        content.caption = nested != nullptr ? tr("route \u00b7 %1").arg(RouteTexts::strategyName(nested->strategy))
                                            : tr("route (not defined)");
        content.title = target.route;
        keys = RehearsalScenarioModel::targetsOf(m_workspace, target.route);
    } else {
        content.caption = tr("provider %1").arg(target.provider);
        content.title = target.model;
        keys.append(target.toString());
        if (m_state != nullptr) {
            const Routing::BreakerState state = m_state->breakerState(target.toString());
            content.badge = RouteTexts::breakerStateName(state);
            switch (state) {
            case Routing::BreakerState::Closed:
                content.badgeColor = QColor::fromHslF(0.33F, 0.55F, 0.45F);
                break;
            case Routing::BreakerState::HalfOpen:
                content.badgeColor = QColor::fromHslF(0.11F, 0.85F, 0.5F);
                break;
            case Routing::BreakerState::Open:
                content.badgeColor = InlineMessage::errorColor(palette());
                break;
            }
        }
    }
    if (m_report) {
        int attempts = 0;
        int skipped = 0;
        for (const Routing::RehearsalReport::TargetCount &count : m_report->targets) {
            if (keys.contains(count.target)) {
                attempts += count.attempts;
                skipped += count.skipped;
            }
        }
        content.share = servedShare(keys);
        content.lines.append(tr("served %1 % \u00b7 %n attempts", nullptr, attempts).arg(percent(content.share))
            + (skipped > 0 ? tr(" \u00b7 %n skipped", nullptr, skipped) : QString()));
    }
    auto *node = new TargetNode(std::move(content), parent);
    if (parent == nullptr) {
        addItem(node);
    }
    return node;
}

void RouteScene::addEdge(QGraphicsItem *parent, qreal x, qreal fromY, qreal toY, const QString &label, bool dashed)
{
    const qreal head = 5;
    QPainterPath path;
    path.moveTo(x, fromY + 2);
    path.lineTo(x, toY - 2);
    path.moveTo(x - head, toY - 2 - head);
    path.lineTo(x, toY - 2);
    path.lineTo(x + head, toY - 2 - head);
    auto *edge = new QGraphicsPathItem(path, parent);
    edge->setPen(QPen(palette().color(QPalette::Mid), 1.5, dashed ? Qt::DashLine : Qt::SolidLine));
    if (parent == nullptr) {
        addItem(edge);
    }
    if (label.isEmpty()) {
        return;
    }
    auto *text = new QGraphicsSimpleTextItem(label, parent);
    text->setFont(font());
    text->setBrush(palette().color(QPalette::PlaceholderText));
    text->setPos(x + 2 * head, (fromY + toY - text->boundingRect().height()) / 2);
    if (parent == nullptr) {
        addItem(text);
    }
}

QGraphicsItem *RouteScene::addTerminal(const QString &text, qreal top)
{
    const QFontMetricsF metrics(font());
    const qreal height = metrics.lineSpacing() * TerminalHeightLines;
    const qreal width = std::min(TargetNode::Width, metrics.horizontalAdvance(text) + 2 * metrics.lineSpacing());
    QPainterPath path;
    path.addRoundedRect(QRectF((TargetNode::Width - width) / 2, top, width, height), height / 2, height / 2);
    QGraphicsPathItem *pill = addPath(path, QPen(palette().color(QPalette::Mid)), palette().brush(QPalette::Button));
    auto *label
        = new QGraphicsSimpleTextItem(metrics.elidedText(text, Qt::ElideMiddle, width - metrics.lineSpacing()), pill);
    label->setFont(font());
    label->setBrush(palette().color(QPalette::ButtonText));
    const QRectF labelRect = label->boundingRect();
    label->setPos((TargetNode::Width - labelRect.width()) / 2, top + (height - labelRect.height()) / 2);
    return pill;
}

double RouteScene::servedShare(const QStringList &keys) const
{
    if (!m_report || m_report->requests == 0) {
        return 0;
    }
    int served = 0;
    for (const Routing::RehearsalReport::TargetCount &count : m_report->targets) {
        if (keys.contains(count.target)) {
            served += count.served;
        }
    }
    return double(served) / m_report->requests;
}

} // namespace Switchyard::Ui
