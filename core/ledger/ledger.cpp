#include "core/ledger/ledger.h"

#include "core/ledger/ledgerschema.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Ledger {

namespace {

Q_LOGGING_CATEGORY(lcLedger, "switchyard.ledger.ledger")

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ledger)
};

// Short enough for a live feed, long enough that a burst of requests shares one transaction.
constexpr int batchIntervalMs = 150;
// Waits this long for another process's write lock before a batch counts as failed (and is retried).
constexpr auto connectOptions = "QSQLITE_BUSY_TIMEOUT=1000"_L1;

const QString insertStatement = u"INSERT INTO usage_records (time_ms, request_id, key_name, route, provider, model,"
                                " status, attempt, stream, latency_ms, ttft_ms, usage_reported, prompt_tokens,"
                                " completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens,"
                                " cost_nano_usd, price_source, error_class, trace, reported_cost_nano_usd)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;

const QString insertBreakerStatement = u"INSERT INTO breaker_events (time_ms, provider, model, from_state, to_state,"
                                       " reason) VALUES (?, ?, ?, ?, ?, ?)"_s;

const QString insertBodiesStatement
    = u"INSERT OR REPLACE INTO request_bodies (request_id, request, response, truncated) VALUES (?, ?, ?, ?)"_s;

const QVariant nullInteger = QVariant(QMetaType::fromType<qint64>());

// Qt SQL binds a null QString as SQL NULL; the text columns hold "" for "none".
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

// Likewise for blobs.
QByteArray blob(const QByteArray &value)
{
    return value.isNull() ? ""_ba : value;
}

} // namespace

// Owns the writing connection; every method runs on the ledger's worker thread.
class LedgerWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LedgerWriter)

public:
    explicit LedgerWriter(Ledger *ledger)
        : m_ledger(ledger)
        , m_connectionName(u"switchyard.ledger.writer.%1"_s.arg(quintptr(ledger), 0, 16))
    {
        m_timer->setSingleShot(true);
        m_timer->setInterval(batchIntervalMs);
        connect(m_timer, &QTimer::timeout, this, &LedgerWriter::drain);
    }

    Status openDatabase()
    {
        const Status status = openConnection();
        if (!status) {
            closeDatabase();
        }
        return status;
    }

    void closeDatabase()
    {
        m_timer->stop();
        m_insert.reset();
        m_insertBreaker.reset();
        m_insertBodies.reset();
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }

    void scheduleDrain()
    {
        if (!m_timer->isActive()) {
            m_timer->start();
        }
    }

    void drain()
    {
        m_timer->stop();
        if (!m_insert) {
            return; // closed: the queue waits for the next open()
        }
        QList<UsageRecord> batch;
        QList<BreakerEvent> events;
        {
            QMutexLocker locker(&m_ledger->m_queueMutex);
            batch.swap(m_ledger->m_queue);
            events.swap(m_ledger->m_breakerQueue);
        }
        if (batch.isEmpty() && events.isEmpty()) {
            return;
        }
        const Status status = write(batch, events);
        if (status) {
            m_lastFailure.clear();
            if (!batch.isEmpty()) {
                QMetaObject::invokeMethod(
                    m_ledger, [ledger = m_ledger, batch] { emit ledger->recordsAppended(batch); },
                    Qt::QueuedConnection);
            }
            return;
        }
        {
            // Back to the front of the queues, ahead of anything appended meanwhile.
            QMutexLocker locker(&m_ledger->m_queueMutex);
            batch.append(m_ledger->m_queue);
            m_ledger->m_queue.swap(batch);
            events.append(m_ledger->m_breakerQueue);
            m_ledger->m_breakerQueue.swap(events);
        }
        m_timer->start();
        // Report a lasting problem once, not on every retry.
        if (status.errorMessage() != m_lastFailure) {
            m_lastFailure = status.errorMessage();
            qCWarning(lcLedger).noquote() << m_lastFailure;
            QMetaObject::invokeMethod(
                m_ledger, [ledger = m_ledger, message = m_lastFailure] { emit ledger->writeFailed(message); },
                Qt::QueuedConnection);
        }
    }

private:
    Status openConnection()
    {
        const QString path = m_ledger->m_databasePath;
        const QString folder = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(folder)) {
            return Status::failure(
                Tr::tr("Could not create the folder %1 for the usage ledger: check that it is writable.").arg(folder));
        }
        if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s)) {
            return Status::failure(
                Tr::tr("Qt's SQLite driver (QSQLITE) is not installed, so the usage ledger cannot be opened: install "
                       "the libqt6sql6-sqlite package."));
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(connectOptions);
        if (!db.open()) {
            return Status::failure(Tr::tr("Could not open the usage ledger %1 (%2): check that the file and its folder "
                                          "are writable.")
                                       .arg(path, db.lastError().text()));
        }
        // Before anything that writes: a ledger from a newer version must stay untouched.
        const auto version = LedgerSchema::readVersion(db);
        if (!version) {
            return Failure {version.errorMessage()};
        }
        QSqlQuery query(db);
        if (!query.exec(u"PRAGMA journal_mode=WAL"_s) || !query.next()
            || query.value(0).toString().compare("wal"_L1, Qt::CaseInsensitive) != 0
            || !query.exec(u"PRAGMA synchronous=NORMAL"_s)) {
            return Status::failure(Tr::tr("Could not switch the usage ledger %1 to write-ahead logging (%2): check "
                                          "that its folder is writable and on a local disk.")
                                       .arg(path, query.lastError().text()));
        }
        const Status migrated = LedgerSchema::migrate(db);
        if (!migrated) {
            return migrated;
        }
        m_insert.emplace(db);
        m_insertBreaker.emplace(db);
        m_insertBodies.emplace(db);
        for (auto [query, statement] :
            {std::pair {&*m_insert, &insertStatement}, std::pair {&*m_insertBreaker, &insertBreakerStatement},
                std::pair {&*m_insertBodies, &insertBodiesStatement}}) {
            if (!query->prepare(*statement)) {
                return Status::failure(Tr::tr("The usage ledger %1 does not have the expected table (%2). Move the "
                                              "file aside to start a new ledger.")
                                           .arg(path, query->lastError().text()));
            }
        }
        qCDebug(lcLedger) << "ledger open:" << path;
        return success();
    }

    // Both lists in one transaction; on success the records get their ids.
    Status write(QList<UsageRecord> &batch, const QList<BreakerEvent> &events)
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        QString error;
        QList<qint64> ids;
        ids.reserve(batch.size());
        if (!db.transaction()) {
            error = db.lastError().text();
        }
        for (const UsageRecord &record : std::as_const(batch)) {
            if (!error.isEmpty()) {
                break;
            }
            QSqlQuery &insert = *m_insert;
            insert.bindValue(0, record.time.toMSecsSinceEpoch());
            insert.bindValue(1, text(record.requestId));
            insert.bindValue(2, text(record.keyName));
            insert.bindValue(3, text(record.route));
            insert.bindValue(4, text(record.provider));
            insert.bindValue(5, text(record.model));
            insert.bindValue(6, record.status);
            insert.bindValue(7, record.attempt);
            insert.bindValue(8, record.stream ? 1 : 0);
            insert.bindValue(9, record.latencyMs);
            insert.bindValue(10, record.ttftMs >= 0 ? QVariant(record.ttftMs) : nullInteger);
            insert.bindValue(11, record.usage.isReported ? 1 : 0);
            insert.bindValue(12, record.usage.promptTokens);
            insert.bindValue(13, record.usage.completionTokens);
            insert.bindValue(14, record.usage.cachedTokens);
            insert.bindValue(15, record.usage.cacheWriteTokens);
            insert.bindValue(16, record.usage.reasoningTokens);
            insert.bindValue(17, record.cost ? QVariant(record.cost->nanoUsd()) : nullInteger);
            insert.bindValue(18, text(record.priceSource));
            insert.bindValue(19, text(record.errorClass));
            insert.bindValue(20, text(QString::fromUtf8(record.trace)));
            insert.bindValue(
                21, record.usage.reportedCost ? QVariant(record.usage.reportedCost->nanoUsd()) : nullInteger);
            if (!insert.exec()) {
                error = insert.lastError().text();
            } else {
                ids.append(insert.lastInsertId().toLongLong());
            }
            if (error.isEmpty() && record.bodies) {
                QSqlQuery &bodies = *m_insertBodies;
                bodies.bindValue(0, text(record.requestId));
                bodies.bindValue(1, blob(record.bodies->request));
                bodies.bindValue(2, blob(record.bodies->response));
                bodies.bindValue(3, record.bodies->truncated ? 1 : 0);
                if (!bodies.exec()) {
                    error = bodies.lastError().text();
                }
            }
        }
        for (const BreakerEvent &event : events) {
            if (!error.isEmpty()) {
                break;
            }
            QSqlQuery &insert = *m_insertBreaker;
            insert.bindValue(0, event.time.toMSecsSinceEpoch());
            insert.bindValue(1, text(event.provider));
            insert.bindValue(2, text(event.model));
            insert.bindValue(3, text(event.fromState));
            insert.bindValue(4, text(event.toState));
            insert.bindValue(5, text(event.reason));
            if (!insert.exec()) {
                error = insert.lastError().text();
            }
        }
        if (error.isEmpty() && !db.commit()) {
            error = db.lastError().text();
        }
        if (!error.isEmpty()) {
            db.rollback();
            if (batch.isEmpty()) {
                return Status::failure(Tr::tr("Could not write %n circuit breaker change(s) to the ledger %1 (%2). "
                                              "They are kept in memory and retried; check free disk space and "
                                              "permissions.",
                    nullptr, int(events.size()))
                                           .arg(m_ledger->m_databasePath, error));
            }
            return Status::failure(Tr::tr("Could not write %n usage record(s) to the ledger %1 (%2). They are kept in "
                                          "memory and retried; check free disk space and permissions.",
                nullptr, int(batch.size()))
                                       .arg(m_ledger->m_databasePath, error));
        }
        for (qsizetype i = 0; i < batch.size(); ++i) {
            batch[i].id = ids[i];
        }
        return success();
    }

    Ledger *const m_ledger;
    const QString m_connectionName;
    QTimer *m_timer = new QTimer(this);
    std::optional<QSqlQuery> m_insert;
    std::optional<QSqlQuery> m_insertBreaker;
    std::optional<QSqlQuery> m_insertBodies;
    QString m_lastFailure;
};

Ledger::Ledger(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
{
    m_thread.setObjectName(u"switchyard-ledger"_s);
}

Ledger::~Ledger()
{
    close();
    const QMutexLocker locker(&m_queueMutex);
    if (!m_queue.isEmpty() || !m_breakerQueue.isEmpty()) {
        qCWarning(lcLedger) << m_queue.size() << "usage records and" << m_breakerQueue.size()
                            << "breaker events were never written to" << m_databasePath;
    }
}

Status Ledger::open()
{
    if (m_writer) {
        return success();
    }
    m_writer = new LedgerWriter(this);
    m_writer->moveToThread(&m_thread);
    m_thread.start();
    Status status = success();
    QMetaObject::invokeMethod(
        m_writer, [&status, writer = m_writer] { status = writer->openDatabase(); }, Qt::BlockingQueuedConnection);
    if (!status) {
        stopWorker();
        return status;
    }
    const QMutexLocker locker(&m_queueMutex);
    m_wakeTarget = m_writer;
    if (!m_queue.isEmpty() || !m_breakerQueue.isEmpty()) {
        QMetaObject::invokeMethod(m_writer, &LedgerWriter::scheduleDrain, Qt::QueuedConnection);
    }
    return success();
}

void Ledger::append(const UsageRecord &record)
{
    const QMutexLocker locker(&m_queueMutex);
    m_queue.append(record);
    if (!record.time.isValid()) {
        m_queue.last().time = QDateTime::currentDateTimeUtc();
    }
    if (!m_wakeTarget) {
        return;
    }
    // Only the first record of a batch and a full batch wake the worker; the rest just queue.
    if (m_queue.size() == 1) {
        QMetaObject::invokeMethod(m_wakeTarget, &LedgerWriter::scheduleDrain, Qt::QueuedConnection);
    } else if (m_queue.size() == batchLimit) {
        QMetaObject::invokeMethod(m_wakeTarget, &LedgerWriter::drain, Qt::QueuedConnection);
    }
}

void Ledger::appendBreakerEvent(const BreakerEvent &event)
{
    const QMutexLocker locker(&m_queueMutex);
    m_breakerQueue.append(event);
    if (!event.time.isValid()) {
        m_breakerQueue.last().time = QDateTime::currentDateTimeUtc();
    }
    // Breakers change rarely: the first event of a batch wakes the worker, usage records fill it.
    if (m_wakeTarget && m_breakerQueue.size() == 1) {
        QMetaObject::invokeMethod(m_wakeTarget, &LedgerWriter::scheduleDrain, Qt::QueuedConnection);
    }
}

void Ledger::flush()
{
    if (m_writer) {
        QMetaObject::invokeMethod(m_writer, &LedgerWriter::drain, Qt::BlockingQueuedConnection);
    }
}

void Ledger::close()
{
    if (!m_writer) {
        return;
    }
    flush();
    {
        const QMutexLocker locker(&m_queueMutex);
        m_wakeTarget = nullptr;
    }
    QMetaObject::invokeMethod(m_writer, &LedgerWriter::closeDatabase, Qt::BlockingQueuedConnection);
    stopWorker();
}

void Ledger::stopWorker()
{
    // The thread runs the deferred delete as it finishes, so the writer dies on its own thread.
    m_writer->deleteLater();
    m_writer = nullptr;
    m_thread.quit();
    m_thread.wait();
}

} // namespace Switchyard::Ledger

#include "ledger.moc"
