#pragma once

#include "core/ledger/spendrow.h"

#include <QLabel>
#include <QTimer>

namespace Switchyard::Ledger {
class Ledger;
}

namespace Switchyard::Ui {

class LedgerQueryWorker;

// "Today: $1.2345" for the status bar: what the ledger has recorded since local midnight, read
// on a worker thread, again (at most once a second) as records are committed and at midnight.
class TodaySpendLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TodaySpendLabel)

public:
    static constexpr int RefreshDelayMs = 1000;

    // ledgerPath is read off the GUI thread; a missing file is no spend.
    TodaySpendLabel(Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent = nullptr);

    void refresh();

private:
    void scheduleRefresh();
    void scheduleMidnight();
    void handleSpendLoaded(quint64 ticket, const QList<Ledger::SpendRow> &rows);
    void handleQueryFailed(quint64 ticket, const QString &message);

    LedgerQueryWorker *m_worker = nullptr;
    QTimer m_refreshTimer; // coalesces a burst of committed batches into one query
    QTimer m_midnightTimer;
    quint64 m_pendingTicket = 0;
};

} // namespace Switchyard::Ui
