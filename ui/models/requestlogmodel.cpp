#include "ui/models/requestlogmodel.h"

#include "ui/models/ledgerqueryworker.h"

#include <QLocale>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

RequestLogModel::RequestLogModel(LedgerQueryWorker *worker, int pageSize, QObject *parent)
    : QAbstractTableModel(parent)
    , m_worker(worker)
    , m_pageSize(std::max(1, pageSize))
{
    connect(m_worker, &LedgerQueryWorker::recordsLoaded, this, &RequestLogModel::handleRecordsLoaded);
    connect(m_worker, &LedgerQueryWorker::queryFailed, this, &RequestLogModel::handleQueryFailed);
    requestPage();
}

void RequestLogModel::setFilter(const Ledger::LedgerReader::RecordFilter &filter)
{
    m_filter = filter;
    reload();
}

void RequestLogModel::reload()
{
    beginResetModel();
    m_records.clear();
    m_cursor = 0;
    m_complete = false;
    m_failed = false;
    // An answer to the old filter's query is ignored by its ticket.
    m_pendingTicket = 0;
    endResetModel();
    requestPage();
}

QString RequestLogModel::displayText(const Ledger::UsageRecord &record, Column column)
{
    return UsageRecordColumns::displayText(record, column, UsageRecordColumns::TimeFormat::DateAndTime);
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
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
        switch (column) {
        case Column::Time:
            return record.time.toString(Qt::ISODateWithMs);
        case Column::Cost:
            if (record.usage.reportedCost) {
                return tr("As reported by the provider");
            }
            return record.cost
                ? (record.priceSource.isEmpty() ? QVariant() : tr("Price from %1").arg(record.priceSource))
                : tr("No price is known for this model, so the cost is not counted.");
        case Column::Key:
            return record.keyName.isEmpty() ? tr("No gateway key") : QVariant();
        case Column::Route:
            return record.route.isEmpty() ? tr("A direct provider/model request") : QVariant();
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return UsageRecordColumns::alignment(column);
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    return UsageRecordColumns::header(Column(section));
}

bool RequestLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_complete && !m_failed;
}

void RequestLogModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent) && !isLoading()) {
        requestPage();
    }
}

void RequestLogModel::prependRecords(const QList<Ledger::UsageRecord> &oldestFirst)
{
    // A page read meanwhile may hold some of these too; it leaves out what is shown by then.
    const qint64 newestShownId = m_records.isEmpty() ? 0 : m_records.first().id;
    QList<Ledger::UsageRecord> newestFirst;
    for (auto it = oldestFirst.crbegin(); it != oldestFirst.crend(); ++it) {
        if (it->id > newestShownId && m_filter.matches(*it)) {
            newestFirst.append(*it);
            newestFirst.last().trace.clear();
        }
    }
    if (newestFirst.isEmpty()) {
        return;
    }
    beginInsertRows({}, 0, int(newestFirst.size()) - 1);
    newestFirst.append(std::move(m_records));
    m_records = std::move(newestFirst);
    endInsertRows();
}

void RequestLogModel::requestPage()
{
    m_pendingTicket = m_worker->queryRecords(m_filter, m_pageSize, m_cursor);
    emit loadingChanged(true);
}

void RequestLogModel::handleRecordsLoaded(quint64 ticket, const QList<Ledger::UsageRecord> &newestFirst)
{
    if (ticket != m_pendingTicket) {
        return;
    }
    m_pendingTicket = 0;
    m_complete = newestFirst.size() < m_pageSize;
    if (!newestFirst.isEmpty()) {
        m_cursor = newestFirst.last().id;
    }
    // Live batches may have shown some of these already; ids grow with commit order.
    const qint64 oldestShownId = m_records.isEmpty() ? std::numeric_limits<qint64>::max() : m_records.last().id;
    QList<Ledger::UsageRecord> older;
    older.reserve(newestFirst.size());
    for (const Ledger::UsageRecord &record : newestFirst) {
        if (record.id < oldestShownId) {
            older.append(record);
            // The detail pane reads a request's trace when it is shown; a page holds no copies.
            older.last().trace.clear();
        }
    }
    if (!older.isEmpty()) {
        const int first = int(m_records.size());
        beginInsertRows({}, first, first + int(older.size()) - 1);
        m_records.append(std::move(older));
        endInsertRows();
    }
    emit loadingChanged(false);
}

void RequestLogModel::handleQueryFailed(quint64 ticket, const QString &message)
{
    if (ticket != m_pendingTicket) {
        return;
    }
    m_pendingTicket = 0;
    m_failed = true;
    emit loadingChanged(false);
    emit loadFailed(message);
}

} // namespace Switchyard::Ui
