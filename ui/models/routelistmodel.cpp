#include "ui/models/routelistmodel.h"

#include "ui/models/routetexts.h"

namespace Switchyard::Ui {

RouteListModel::RouteListModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

int RouteListModel::rowOf(const QString &name) const
{
    for (int i = 0; i < rowCount(); ++i) {
        if (row(i).name == name) {
            return i;
        }
    }
    return -1;
}

int RouteListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RouteListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Routing::Route &route = row(index.row());
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Column::Name:
            return route.name;
        case Column::Strategy:
            return RouteTexts::strategyName(route.strategy);
        case Column::Targets:
            return int(route.targets.size());
        case Column::Count:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        return RouteTexts::strategyExplanation(route.strategy);
    }
    if (role == Qt::TextAlignmentRole && column == Column::Targets) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant RouteListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Name:
        return tr("Route");
    case Column::Strategy:
        return tr("Strategy");
    case Column::Targets:
        return tr("Targets");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace Switchyard::Ui
