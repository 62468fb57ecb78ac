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
        return displayText(record, column);
    case Qt::ToolTipRole:
        if (column == Column::Time) {
            return record.time.toString(Qt::ISODateWithMs);
        }
        if (column == Column::Cost && !record.priceSource.isEmpty()) {
            return tr("Price from %1").arg(record.priceSource);
        }
        return {};
    case Qt::TextAlignmentRole:
        switch (column) {
        case Column::Status:
        case Column::Attempt:
        case Column::Latency:
        case Column::TimeToFirstToken:
        case Column::TokensIn:
        case Column::TokensOut:
        case Column::Cost:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    default:
        return {};
    }
}

QString RequestFeedModel::displayText(const Ledger::UsageRecord &record, Column column) const
{
    const QLocale locale;
    const QString none = u"–"_s;
    switch (column) {
    case Column::Time:
        return locale.toString(record.time.toLocalTime().time(), u"HH:mm:ss"_s);
    case Column::Key:
        return record.keyName;
    case Column::Route:
        return record.route.isEmpty() ? none : record.route;
    case Column::Target:
        return record.provider + u'/' + record.model;
    case Column::Status:
        return record.status > 0 ? QString::number(record.status) : none;
    case Column::Attempt:
        return QString::number(record.attempt);
    case Column::Latency:
        return locale.toString(record.latencyMs);
    case Column::TimeToFirstToken:
        return record.ttftMs >= 0 ? locale.toString(record.ttftMs) : none;
    case Column::TokensIn:
        return record.usage.isReported ? locale.toString(record.usage.promptTokens) : none;
    case Column::TokensOut:
        return record.usage.isReported ? locale.toString(record.usage.completionTokens) : none;
    case Column::Cost:
        return record.cost ? record.cost->toString() : tr("unknown");
    case Column::Error:
        return record.errorClass;
    case Column::Count:
        break;
    }
    return {};
}

QVariant RequestFeedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Time:
        return tr("Time");
    case Column::Key:
        return tr("Key");
    case Column::Route:
        return tr("Route");
    case Column::Target:
        return tr("Target");
    case Column::Status:
        return tr("Status");
    case Column::Attempt:
        return tr("Attempt");
    case Column::Latency:
        return tr("Latency (ms)");
    case Column::TimeToFirstToken:
        return tr("TTFT (ms)");
    case Column::TokensIn:
        return tr("Tokens In");
    case Column::TokensOut:
        return tr("Tokens Out");
    case Column::Cost:
        return tr("Cost");
    case Column::Error:
        return tr("Error");
    case Column::Count:
        break;
    }
    return {};
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
