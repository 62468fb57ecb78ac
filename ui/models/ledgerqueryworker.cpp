#include "ui/models/ledgerqueryworker.h"

#include <QFileInfo>

#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

// Owns the reading connection; every method runs on the worker's thread.
class LedgerQueryRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LedgerQueryRunner)

public:
    explicit LedgerQueryRunner(QString databasePath)
        : m_databasePath(std::move(databasePath))
    {
    }

    template <typename T, typename Query> Result<T> run(const Query &query)
    {
        if (!m_reader) {
            // The ledger is created when the gateway first records something; until then it is empty.
            if (!QFileInfo::exists(m_databasePath)) {
                return T();
            }
            auto opened = Ledger::LedgerReader::open(m_databasePath);
            if (!opened) {
                return Failure {opened.errorMessage()};
            }
            m_reader.emplace(std::move(opened).value());
        }
        return query(*m_reader);
    }

private:
    const QString m_databasePath;
    std::optional<Ledger::LedgerReader> m_reader;
};

namespace {

template <typename T, typename Query, typename Answer>
void post(LedgerQueryWorker *worker, LedgerQueryRunner *runner, quint64 ticket, Query query, Answer answer)
{
    QMetaObject::invokeMethod(
        runner,
        [worker, runner, ticket, query, answer] {
            Result<T> result = runner->run<T>(query);
            // Queued to the worker's thread; dropped with the worker if it is gone by then.
            QMetaObject::invokeMethod(
                worker,
                [worker, ticket, answer, result = std::move(result)] {
                    if (result) {
                        answer(ticket, result.value());
                    } else {
                        emit worker->queryFailed(ticket, result.errorMessage());
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace

LedgerQueryWorker::LedgerQueryWorker(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_runner(new LedgerQueryRunner(databasePath))
{
    m_thread.setObjectName(u"switchyard-ledger-query"_s);
    m_runner->moveToThread(&m_thread);
    // The thread runs the deferred delete as it finishes, so the reader closes on its own thread.
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    m_thread.start();
}

LedgerQueryWorker::~LedgerQueryWorker()
{
    m_thread.quit();
    m_thread.wait();
}

quint64 LedgerQueryWorker::queryRecords(const Ledger::LedgerReader::RecordFilter &filter, int limit, qint64 beforeId)
{
    const quint64 ticket = ++m_lastTicket;
    post<QList<Ledger::UsageRecord>>(
        this, m_runner, ticket,
        [filter, limit, beforeId](
            const Ledger::LedgerReader &reader) { return reader.records(filter, limit, beforeId); },
        [this](quint64 answered, const QList<Ledger::UsageRecord> &records) { emit recordsLoaded(answered, records); });
    return ticket;
}

quint64 LedgerQueryWorker::querySpend(Ledger::Grouping by, const QDateTime &since)
{
    const quint64 ticket = ++m_lastTicket;
    post<QList<Ledger::SpendRow>>(
        this, m_runner, ticket, [by, since](const Ledger::LedgerReader &reader) { return reader.spend(by, since); },
        [this](quint64 answered, const QList<Ledger::SpendRow> &rows) { emit spendLoaded(answered, rows); });
    return ticket;
}

quint64 LedgerQueryWorker::queryProviderHealth(const QStringList &providers, const QDateTime &since)
{
    const quint64 ticket = ++m_lastTicket;
    post<QList<Ledger::ProviderHealth>>(
        this, m_runner, ticket,
        [providers, since](const Ledger::LedgerReader &reader) { return reader.providerHealth(providers, since); },
        [this](quint64 answered, const QList<Ledger::ProviderHealth> &health) {
            emit providerHealthLoaded(answered, health);
        });
    return ticket;
}

quint64 LedgerQueryWorker::queryCapturedBodies(const QString &requestId)
{
    const quint64 ticket = ++m_lastTicket;
    post<std::optional<Ledger::CapturedBodies>>(
        this, m_runner, ticket,
        [requestId](const Ledger::LedgerReader &reader) { return reader.capturedBodies(requestId); },
        [this](quint64 answered, const std::optional<Ledger::CapturedBodies> &bodies) {
            emit capturedBodiesLoaded(answered, bodies);
        });
    return ticket;
}

} // namespace Switchyard::Ui

#include "ledgerqueryworker.moc"
