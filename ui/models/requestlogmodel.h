#pragma once

#include "core/ledger/ledgerreader.h"
#include "core/ledger/usagerecord.h"
#include "ui/models/usagerecordcolumns.h"

#include <QAbstractTableModel>
#include <QList>

namespace Switchyard::Ui {

class LedgerQueryWorker;

// The ledger's records matching a filter, newest first. Pages of pageSize() records are read by
// keyset (below the oldest record shown) on the query worker's thread as the view asks through
// canFetchMore()/fetchMore(); records committed later arrive through prependRecords() and go on
// top when they match. Each record is one upstream attempt.
class RequestLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogModel)

public:
    using Column = UsageRecordColumns::Column;

    // Reads the first page at once. The worker must outlive the model.
    RequestLogModel(LedgerQueryWorker *worker, int pageSize, QObject *parent = nullptr);

    int pageSize() const { return m_pageSize; }
    const Ledger::LedgerReader::RecordFilter &filter() const { return m_filter; }
    // Empties the model and reads the first page of the records matching filter.
    void setFilter(const Ledger::LedgerReader::RecordFilter &filter);
    // Reads the current filter's first page again (e.g. after "last hour" has moved on).
    void reload();
    bool isLoading() const { return m_pendingTicket != 0; }
    // Every matching record up to the last page read is in the model.
    bool isComplete() const { return m_complete; }
    // The last page could not be read (loadFailed said why); reload() tries again.
    bool hasFailed() const { return m_failed; }
    const Ledger::UsageRecord &record(int row) const { return m_records.at(row); }
    // The text a column shows for record; the detail pane uses it too.
    static QString displayText(const Ledger::UsageRecord &record, Column column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // A batch in commit order (oldest first), as Ledger::recordsAppended delivers it.
    void prependRecords(const QList<Ledger::UsageRecord> &oldestFirst);

signals:
    void loadingChanged(bool loading);
    void loadFailed(const QString &message);

private:
    void requestPage();
    void handleRecordsLoaded(quint64 ticket, const QList<Ledger::UsageRecord> &newestFirst);
    void handleQueryFailed(quint64 ticket, const QString &message);

    LedgerQueryWorker *m_worker = nullptr;
    int m_pageSize = 500;
    Ledger::LedgerReader::RecordFilter m_filter;
    QList<Ledger::UsageRecord> m_records; // newest first, without their traces
    qint64 m_cursor = 0; // the oldest id any page returned; 0 before the first page
    quint64 m_pendingTicket = 0; // the page being read; 0 when idle
    bool m_complete = false;
    bool m_failed = false;
};

} // namespace Switchyard::Ui
