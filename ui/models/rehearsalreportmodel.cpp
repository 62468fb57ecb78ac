#include "ui/models/rehearsalreportmodel.h"

#include <QLocale>

namespace Switchyard::Ui {

RehearsalReportModel::RehearsalReportModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RehearsalReportModel::setReport(const std::optional<Routing::RehearsalReport> &report)
{
    beginResetModel();
    m_report = report;
    endResetModel();
}

int RehearsalReportModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_report ? 0 : int(m_report->targets.size());
}

int RehearsalReportModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RehearsalReportModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Routing::RehearsalReport::TargetCount &count = m_report->targets.at(index.row());
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Column::Target:
            return count.target;
        case Column::Served:
            return count.served;
        case Column::Share:
            return tr("%1 %").arg(
                QLocale().toString(m_report->requests > 0 ? 100.0 * count.served / m_report->requests : 0.0, 'f', 0));
        case Column::Attempts:
            return count.attempts;
        case Column::Skipped:
            return count.skipped;
        case Column::Count:
            break;
        }
    }
    if (role == Qt::TextAlignmentRole && column != Column::Target) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant RehearsalReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Target:
        return tr("Target");
    case Column::Served:
        return tr("Served");
    case Column::Share:
        return tr("Share");
    case Column::Attempts:
        return tr("Attempts");
    case Column::Skipped:
        return tr("Skipped");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace Switchyard::Ui
