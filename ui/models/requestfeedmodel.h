#pragma once

#include "core/ledger/usagerecord.h"
#include "ui/models/usagerecordcolumns.h"

#include <QAbstractTableModel>
#include <QList>

namespace Switchyard::Ui {

// The most recent upstream attempts, newest first, capped at capacity() rows: live batches from
// Ledger::recordsAppended go on top, older history read from the ledger file goes below them.
class RequestFeedModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestFeedModel)

public:
    using Column = UsageRecordColumns::Column;

    explicit RequestFeedModel(int capacity = 500, QObject *parent = nullptr);

    int capacity() const { return m_capacity; }
    const Ledger::UsageRecord &record(int row) const { return m_records.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A batch in commit order (oldest first), as Ledger::recordsAppended delivers it.
    void prependRecords(const QList<Ledger::UsageRecord> &oldestFirst);
    // Older records, newest first (LedgerReader::recent); those already shown live are skipped.
    void appendHistory(const QList<Ledger::UsageRecord> &newestFirst);

private:
    void trimToCapacity();

    int m_capacity = 500;
    QList<Ledger::UsageRecord> m_records; // newest first
};

} // namespace Switchyard::Ui
