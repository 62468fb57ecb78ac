#include "ui/pages/routes/targetnode.h"

#include "ui/pages/routes/routescene.h"

#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
constexpr qreal Padding = 8;
constexpr qreal Radius = 6;
constexpr qreal BarHeight = 5;
} // namespace

TargetNode::TargetNode(Content content, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_content(std::move(content))
{
    setFlag(ItemIsSelectable, parentItem() == nullptr);
    if (m_content.movable) {
        setFlag(ItemIsMovable);
        setFlag(ItemSendsGeometryChanges);
        setCursor(Qt::OpenHandCursor);
    }
    setToolTip(m_content.lines.isEmpty() ? m_content.title : m_content.lines.join(u'\n'));
}

qreal TargetNode::height() const
{
    const QFontMetricsF metrics(scene() != nullptr ? scene()->font() : QFont());
    const int lines = 2 + int(m_content.lines.size()) + (m_content.badge.isEmpty() ? 0 : 1);
    return 2 * Padding + lines * metrics.lineSpacing() + (m_content.share >= 0 ? BarHeight + 4 : 0);
}

QRectF TargetNode::boundingRect() const
{
    return {0, 0, Width, height()};
}

QRectF TargetNode::expanderRect() const
{
    const QFontMetricsF metrics(scene() != nullptr ? scene()->font() : QFont());
    const qreal size = metrics.lineSpacing() * 1.4;
    return {Width - Padding - size, Padding, size, size};
}

void TargetNode::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    Q_UNUSED(widget)
    const QPalette palette = scene() != nullptr ? scene()->palette() : QPalette();
    const bool selected = option->state.testFlag(QStyle::State_Selected);
    const QRectF box = boundingRect().adjusted(0.5, 0.5, -0.5, -0.5);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(
        QPen(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid), selected ? 2 : 1));
    painter->setBrush(m_content.nested ? palette.color(QPalette::AlternateBase) : palette.color(QPalette::Base));
    painter->drawRoundedRect(box, Radius, Radius);

    QFont font = scene() != nullptr ? scene()->font() : QFont();
    const QFontMetricsF metrics(font);
    const qreal line = metrics.lineSpacing();
    qreal y = Padding;
    const qreal textWidth = Width - 2 * Padding - (m_content.nested ? expanderRect().width() + Padding : 0);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    painter->drawText(QRectF(Padding, y, textWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(m_content.caption, Qt::ElideRight, textWidth));
    y += line;
    QFont bold = font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(QRectF(Padding, y, textWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(bold).elidedText(m_content.title, Qt::ElideMiddle, textWidth));
    y += line;
    painter->setFont(font);
    for (const QString &text : m_content.lines) {
        painter->drawText(QRectF(Padding, y, Width - 2 * Padding, line), Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(text, Qt::ElideRight, Width - 2 * Padding));
        y += line;
    }
    if (!m_content.badge.isEmpty()) {
        const qreal dot = line * 0.55;
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_content.badgeColor);
        painter->drawEllipse(QRectF(Padding, y + (line - dot) / 2, dot, dot));
        painter->setPen(palette.color(QPalette::Text));
        painter->drawText(QRectF(Padding + dot + 6, y, Width - 2 * Padding - dot - 6, line),
            Qt::AlignLeft | Qt::AlignVCenter, m_content.badge);
        y += line;
    }
    if (m_content.share >= 0) {
        const QRectF bar(Padding, y + 2, Width - 2 * Padding, BarHeight);
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(QPalette::Midlight));
        painter->drawRoundedRect(bar, 2, 2);
        painter->setBrush(palette.color(QPalette::Highlight));
        painter->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(bar.width() * m_content.share, bar.height())), 2, 2);
    }
    if (m_content.nested) {
        const QRectF expander = expanderRect();
        painter->setPen(palette.color(QPalette::Mid));
        painter->setBrush(palette.color(QPalette::Button));
        painter->drawRoundedRect(expander, 3, 3);
        painter->setPen(palette.color(QPalette::ButtonText));
        painter->drawText(expander, Qt::AlignCenter, m_content.expanded ? u"\u2212"_s : u"+"_s);
    }
}

void TargetNode::setHome(const QPointF &home)
{
    m_home = home;
    setPos(home);
}

QVariant TargetNode::itemChange(GraphicsItemChange change, const QVariant &value)
{
    // Dragging reorders the chain, so a node only moves along it.
    if (change == ItemPositionChange && scene() != nullptr) {
        return QPointF(m_home.x(), value.toPointF().y());
    }
    return QGraphicsItem::itemChange(change, value);
}

void TargetNode::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_content.nested && event->button() == Qt::LeftButton && expanderRect().contains(event->pos())) {
        if (auto *routeScene = qobject_cast<RouteScene *>(scene())) {
            routeScene->nodeExpanderClicked(this);
        }
        event->accept();
        return;
    }
    QGraphicsItem::mousePressEvent(event);
}

void TargetNode::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsItem::mouseReleaseEvent(event);
    if (pos() == m_home) {
        return;
    }
    if (auto *routeScene = qobject_cast<RouteScene *>(scene())) {
        routeScene->nodeDropped(this);
    }
}

void TargetNode::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    if (auto *routeScene = qobject_cast<RouteScene *>(scene()); routeScene != nullptr && parentItem() == nullptr) {
        routeScene->nodeActivated(this);
    }
    event->accept();
}

} // namespace Switchyard::Ui
