#include "ui/models/requestfeedmodel.h"

#include <QLocale>

#include <algorithm>
#include <iterator>
#include <limits>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

RequestFeedModel::RequestFeedModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

int RequestFeedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RequestFeedModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RequestFeedModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Ledger::UsageRecord &record = m_records.at(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return UsageRecordColumns::displayText(record, column, UsageRecordColumns::TimeFormat::TimeOfDay);
    case Qt::ToolTipRole:
        if (column == Column::Time) {
            return record.time.toString(Qt::ISODateWithMs);
        }
        if (column == Column::Cost && !record.priceSource.isEmpty()) {
            return tr("Price from %1").arg(record.priceSource);
        }
        return {};
    case Qt::TextAlignmentRole:
        return UsageRecordColumns::alignment(column);
    default:
        return {};
    }
}

QVariant RequestFeedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    return UsageRecordColumns::header(Column(section));
}

void RequestFeedModel::prependRecords(const QList<Ledger::UsageRecord> &oldestFirst)
{
    // Only the newest `capacity` of a large batch can ever be visible.
    const qsizetype count = std::min<qsizetype>(oldestFirst.size(), m_capacity);
    if (count == 0) {
        return;
    }
    beginInsertRows({}, 0, int(count) - 1);
    QList<Ledger::UsageRecord> newestFirst;
    newestFirst.reserve(count + m_records.size());
    std::reverse_copy(oldestFirst.cend() - count, oldestFirst.cend(), std::back_inserter(newestFirst));
    newestFirst.append(std::move(m_records));
    m_records = std::move(newestFirst);
    endInsertRows();
    trimToCapacity();
}

void RequestFeedModel::appendHistory(const QList<Ledger::UsageRecord> &newestFirst)
{
    // Live batches may have arrived while the history was read; ids grow with commit order, so
    // everything at or above the oldest shown id is already on screen.
    const qint64 oldestShownId = m_records.isEmpty() ? std::numeric_limits<qint64>::max() : m_records.last().id;
    QList<Ledger::UsageRecord> older;
    for (const Ledger::UsageRecord &record : newestFirst) {
        if (record.id < oldestShownId && m_records.size() + older.size() < m_capacity) {
            older.append(record);
        }
    }
    if (older.isEmpty()) {
        return;
    }
    const int first = int(m_records.size());
    beginInsertRows({}, first, first + int(older.size()) - 1);
    m_records.append(std::move(older));
    endInsertRows();
}

void RequestFeedModel::trimToCapacity()
{
    if (m_records.size() <= m_capacity) {
        return;
    }
    beginRemoveRows({}, m_capacity, int(m_records.size()) - 1);
    m_records.resize(m_capacity);
    endRemoveRows();
}

} // namespace Switchyard::Ui
