#pragma once

#include "core/ledger/breakerevent.h"
#include "core/ledger/usagerecord.h"
#include "core/model/result.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QThread>

namespace Switchyard::Ledger {

class LedgerWriter;

// The usage ledger's writer: usage records and breaker events are queued from any thread and
// committed in batches by a worker thread that owns its own SQLite connection, so callers never
// wait on disk.
class Ledger final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Ledger)

public:
    explicit Ledger(QString databasePath, QObject *parent = nullptr);
    ~Ledger() override;

    QString databasePath() const { return m_databasePath; }
    bool isOpen() const { return m_writer != nullptr; }
    // A full batch is committed at once instead of waiting for the timer.
    static constexpr qsizetype batchLimit = 500;

    // Creates the folder and the database, switches it to WAL and migrates it. Blocks until the
    // worker has done so; refuses (and leaves untouched) a ledger from a newer Switchyard.
    Status open();
    // Thread-safe and cheap: queues the record; the worker commits it within ~150 ms, or at
    // once when a full batch is waiting. Records appended while closed wait for the next open().
    void append(const UsageRecord &record);
    // Like append(), for a circuit breaker change; committed in the same batches.
    void appendBreakerEvent(const BreakerEvent &event);
    // Blocks until everything queued so far is committed, or the attempt failed (writeFailed).
    void flush();
    // Flushes, then stops the worker and closes the database. Safe to call when not open.
    void close();

signals:
    // After each committed batch, in commit order, with ids set; delivered on this object's thread.
    void recordsAppended(const QList<Switchyard::Ledger::UsageRecord> &records);
    // A batch could not be committed; its records stay queued and are retried.
    void writeFailed(const QString &message);

private:
    friend class LedgerWriter;

    void stopWorker();

    const QString m_databasePath;
    QThread m_thread;
    LedgerWriter *m_writer = nullptr; // lives on m_thread while open
    QMutex m_queueMutex;
    QList<UsageRecord> m_queue; // guarded by m_queueMutex
    QList<BreakerEvent> m_breakerQueue; // guarded by m_queueMutex
    LedgerWriter *m_wakeTarget = nullptr; // guarded by m_queueMutex: where append() posts, null while closed
};

} // namespace Switchyard::Ledger
