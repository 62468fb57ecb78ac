#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QString>
#include <QStringList>

namespace Switchyard::Ui {

// One target of a route in the chain editor: caption (provider, or "route"), title (model or
// route name), detail lines, an optional breaker badge and an optional rehearsal share bar.
// A top-level node can be dragged up and down to reorder the route; a nested route's node has an
// expander that shows its own targets beneath it (as child items, so they move with it).
class TargetNode final : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };

    struct Content
    {
        int index = 0; // position in its route
        QString path; // "0", "0/2": indices from the drawn route down to this target
        QString caption;
        QString title;
        QStringList lines;
        QString badge; // e.g. "breaker open"; empty: none
        QColor badgeColor;
        double share = -1; // served share of the rehearsal in [0, 1]; -1: no rehearsal shown
        bool nested = false;
        bool expanded = false;
        bool movable = false;
    };

    static constexpr qreal Width = 300;

    explicit TargetNode(Content content, QGraphicsItem *parent = nullptr);

    const Content &content() const { return m_content; }
    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // Where the node rests in the layout; a drag ends here unless it reorders the route.
    void setHome(const QPointF &home);
    QPointF home() const { return m_home; }

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;

private:
    QRectF expanderRect() const;
    qreal height() const;

    Content m_content;
    QPointF m_home;
};

} // namespace Switchyard::Ui
