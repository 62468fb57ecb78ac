#pragma once

#include "core/routing/route.h"
#include "ui/models/keyedtablemodel.h"

namespace Switchyard::Ui {

// The routes being edited (the route editor's draft, not necessarily what is saved), one row
// per route in workspace order.
class RouteListModel final : public KeyedTableModel<Routing::Route>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RouteListModel)

public:
    enum class Column {
        Name,
        Strategy,
        Targets,
        Count,
    };

    explicit RouteListModel(QObject *parent = nullptr);

    void setRoutes(const QList<Routing::Route> &routes) { setRows(routes); }
    // -1 when there is no such route.
    int rowOf(const QString &name) const;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString keyOf(const Routing::Route &route) const override { return route.name; }
};

} // namespace Switchyard::Ui
