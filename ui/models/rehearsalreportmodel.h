#pragma once

#include "core/routing/rehearsal.h"

#include <QAbstractTableModel>

#include <optional>

namespace Switchyard::Ui {

// What each target did in a rehearsal: requests served (and their share), attempts and skips,
// in the order the rehearsal first met the targets. Empty without a report.
class RehearsalReportModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RehearsalReportModel)

public:
    enum class Column {
        Target,
        Served,
        Share,
        Attempts,
        Skipped,
        Count,
    };

    explicit RehearsalReportModel(QObject *parent = nullptr);

    void setReport(const std::optional<Routing::RehearsalReport> &report);
    const std::optional<Routing::RehearsalReport> &report() const { return m_report; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::optional<Routing::RehearsalReport> m_report;
};

} // namespace Switchyard::Ui
