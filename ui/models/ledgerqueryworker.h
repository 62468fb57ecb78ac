#pragma once

#include "core/ledger/ledgerreader.h"
#include "core/ledger/providerhealth.h"
#include "core/ledger/spendrow.h"
#include "core/ledger/usagerecord.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <optional>

namespace Switchyard::Ui {

class LedgerQueryRunner;

// Runs ledger queries on a thread of its own, over one LedgerReader connection kept open between
// queries, and answers on this object's thread, so the window never waits on disk. Queries run
// in the order they were asked; each answer carries the ticket its call returned, so several
// users can share one worker. A ledger file that does not exist yet reads as empty.
class LedgerQueryWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LedgerQueryWorker)

public:
    explicit LedgerQueryWorker(const QString &databasePath, QObject *parent = nullptr);
    // Waits for the query in flight, if any; later ones are dropped.
    ~LedgerQueryWorker() override;

    quint64 queryRecords(const Ledger::LedgerReader::RecordFilter &filter, int limit, qint64 beforeId = 0);
    quint64 querySpend(Ledger::Grouping by, const QDateTime &since);
    quint64 queryProviderHealth(const QStringList &providers, const QDateTime &since);
    quint64 queryCapturedBodies(const QString &requestId);

signals:
    void recordsLoaded(quint64 ticket, const QList<Switchyard::Ledger::UsageRecord> &newestFirst);
    void spendLoaded(quint64 ticket, const QList<Switchyard::Ledger::SpendRow> &rows);
    void providerHealthLoaded(quint64 ticket, const QList<Switchyard::Ledger::ProviderHealth> &health);
    // nullopt: nothing was captured for the request.
    void capturedBodiesLoaded(quint64 ticket, const std::optional<Switchyard::Ledger::CapturedBodies> &bodies);
    void queryFailed(quint64 ticket, const QString &message);

private:
    QThread m_thread;
    LedgerQueryRunner *m_runner = nullptr; // lives on m_thread
    quint64 m_lastTicket = 0;
};

} // namespace Switchyard::Ui
