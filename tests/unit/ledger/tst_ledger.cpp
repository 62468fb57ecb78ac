#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/ledger/ledgerschema.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Switchyard::Ledger;
using Switchyard::Money;
using Switchyard::Status;
using Switchyard::Usage;

namespace {

const qint64 baseTimeMs = 1'763'700'000'000; // 2025-11-21, UTC

UsageRecord makeRecord(const QString &requestId, const QString &provider, qint64 timeOffsetMs = 0)
{
    UsageRecord record;
    record.time = QDateTime::fromMSecsSinceEpoch(baseTimeMs + timeOffsetMs, Qt::UTC);
    record.requestId = requestId;
    record.keyName = u"team-a"_s;
    record.provider = provider;
    record.model = u"gpt-4o"_s;
    record.status = 200;
    record.latencyMs = 100;
    record.ttftMs = 40;
    record.usage = Usage {1000, 500, 200, 0, 100, true, {}};
    record.cost = Money::fromNanoUsd(7'250'000);
    record.priceSource = u"litellm 2025-11-21"_s;
    record.trace = "{\"plan\":[\"openai/gpt-4o\"]}"_ba;
    return record;
}

BreakerEvent makeEvent(const QString &model, const QString &toState, qint64 timeOffsetMs)
{
    BreakerEvent event;
    event.time = QDateTime::fromMSecsSinceEpoch(baseTimeMs + timeOffsetMs, Qt::UTC);
    event.provider = u"openai"_s;
    event.model = model;
    event.fromState = toState == u"open"_s ? u"closed"_s : u"open"_s;
    event.toState = toState;
    event.reason = toState == u"open"_s ? u"5 failures within 60 s"_s : u"cooldown of 30 s ended"_s;
    return event;
}

// The usage_records table as schema version 1 created it.
const QString version1Table = u"CREATE TABLE usage_records (id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT"
                              " NULL, request_id TEXT NOT NULL, key_name TEXT NOT NULL, route TEXT NOT NULL, provider"
                              " TEXT NOT NULL, model TEXT NOT NULL, status INTEGER NOT NULL, attempt INTEGER NOT NULL,"
                              " stream INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttft_ms INTEGER, usage_reported"
                              " INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
                              " cached_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, reasoning_tokens"
                              " INTEGER NOT NULL, cost_nano_usd INTEGER, price_source TEXT NOT NULL, error_class TEXT"
                              " NOT NULL)"_s;

// Runs statements on a connection of the test's own, outside the code under test.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        if (!db.open()) {
            qFatal("cannot open %s", qPrintable(path));
        }
    }
    ~RawDatabase()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDatabase)

    QVariant value(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql) || !query.next()) {
            return {};
        }
        return query.value(0);
    }
    bool exec(const QString &sql) const { return QSqlQuery(QSqlDatabase::database(m_name, false)).exec(sql); }

private:
    const QString m_name = u"tst_ledger.raw"_s;
};

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestLedger : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"nested/folder/ledger-%1.sqlite"_s.arg(++m_counter));
    }

    void migrationsCreateSchema()
    {
        {
            Ledger ledger(m_path);
            const Status opened = ledger.open();
            QVERIFY2(opened.isOk(), qPrintable(opened.errorMessage()));
            QVERIFY(ledger.isOpen());
        }
        const RawDatabase raw(m_path);
        QCOMPARE(LedgerSchema::currentVersion(), 4);
        QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), LedgerSchema::currentVersion());
        QCOMPARE(raw.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(
            raw.value(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'usage_records'"_s).toInt(),
            1);
        QCOMPARE(raw.value(u"SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                           " WHERE type = 'index' AND tbl_name = 'usage_records' ORDER BY name)"_s)
                     .toString(),
            u"usage_records_key_name,usage_records_model,usage_records_provider,usage_records_route,"
            "usage_records_time"_s);
        QCOMPARE(raw.value(u"SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                           " WHERE tbl_name = 'breaker_events' ORDER BY name)"_s)
                     .toString(),
            u"breaker_events,breaker_events_time"_s);
    }

    void upgradesVersion1LedgerKeepingRows()
    {
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        {
            // A ledger as the first release wrote it.
            const RawDatabase raw(m_path);
            QVERIFY(raw.exec(version1Table));
            QVERIFY(raw.exec(u"INSERT INTO usage_records VALUES (1, 1763700000000, 'old', 'k', '', 'openai', 'gpt-4o',"
                             " 200, 1, 0, 90, NULL, 1, 10, 5, 0, 0, 0, 1000, 'litellm', '')"_s));
            QVERIFY(raw.exec(u"PRAGMA user_version = 1"_s));
        }
        Ledger ledger(m_path);
        const Status opened = ledger.open();
        QVERIFY2(opened.isOk(), qPrintable(opened.errorMessage()));
        ledger.append(makeRecord(u"new"_s, u"openai"_s));
        ledger.close();
        auto reader = LedgerReader::open(m_path);
        QVERIFY2(reader.isOk(), qPrintable(reader.errorMessage()));
        const auto records = reader->recent(10);
        QVERIFY(records.isOk());
        QCOMPARE(records->size(), 2);
        QCOMPARE(records->at(1).requestId, u"old"_s);
        QCOMPARE(records->at(1).trace, QByteArray());
        QCOMPARE(records->at(0).trace, makeRecord(u"new"_s, u"openai"_s).trace);
    }

    void upgradesVersion2LedgerKeepingRows()
    {
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        {
            // A ledger as schema version 2 left it: usage records with traces, no breaker history.
            const RawDatabase raw(m_path);
            QVERIFY(raw.exec(version1Table));
            QVERIFY(raw.exec(u"ALTER TABLE usage_records ADD COLUMN trace TEXT NOT NULL DEFAULT ''"_s));
            QVERIFY(raw.exec(
                u"INSERT INTO usage_records VALUES (1, 1763700000000, 'old', 'k', 'smart', 'openai',"
                " 'gpt-4o', 200, 1, 0, 90, NULL, 1, 10, 5, 0, 0, 0, NULL, '', '', '{\"route\":\"smart\"}')"_s));
            QVERIFY(raw.exec(u"PRAGMA user_version = 2"_s));
        }
        const auto tooOld = LedgerReader::open(m_path);
        QVERIFY(!tooOld);
        QVERIFY2(tooOld.errorMessage().contains(u"older schema"_s), qPrintable(tooOld.errorMessage()));

        Ledger ledger(m_path);
        const Status opened = ledger.open();
        QVERIFY2(opened.isOk(), qPrintable(opened.errorMessage()));
        ledger.appendBreakerEvent(makeEvent(u"gpt-4o"_s, u"open"_s, 10));
        ledger.close();
        {
            const RawDatabase raw(m_path);
            QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), LedgerSchema::currentVersion());
        }
        auto reader = LedgerReader::open(m_path);
        QVERIFY2(reader.isOk(), qPrintable(reader.errorMessage()));
        const auto records = reader->recent(10);
        QVERIFY(records.isOk());
        QCOMPARE(records->size(), 1);
        QCOMPARE(records->first().requestId, u"old"_s);
        QCOMPARE(records->first().trace, "{\"route\":\"smart\"}"_ba);
        QCOMPARE(records->first().cost, std::nullopt);
        QCOMPARE(records->first().usage.reportedCost, std::nullopt);
        const auto events = reader->breakerEvents(QDateTime(), 10);
        QVERIFY2(events.isOk(), qPrintable(events.errorMessage()));
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->first().toState, u"open"_s);
    }

    void reopeningIsIdempotent()
    {
        for (int session = 1; session <= 3; ++session) {
            Ledger ledger(m_path);
            const Status opened = ledger.open();
            QVERIFY2(opened.isOk(), qPrintable(opened.errorMessage()));
            QVERIFY(ledger.open().isOk());
            ledger.append(makeRecord(u"req-%1"_s.arg(session), u"openai"_s));
            ledger.close();
            ledger.close();
        }
        auto reader = LedgerReader::open(m_path);
        QVERIFY2(reader.isOk(), qPrintable(reader.errorMessage()));
        const auto records = reader->recent(10);
        QVERIFY(records.isOk());
        QCOMPARE(records->size(), 3);
        QCOMPARE(records->first().requestId, u"req-3"_s);
        const RawDatabase raw(m_path);
        QCOMPARE(raw.value(u"PRAGMA user_version"_s).toInt(), LedgerSchema::currentVersion());
    }

    void newerSchemaIsRefusedAndLeftAlone()
    {
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        {
            const RawDatabase raw(m_path);
            QVERIFY(raw.exec(u"CREATE TABLE usage_records (id INTEGER PRIMARY KEY, future TEXT)"_s));
            QVERIFY(raw.exec(u"PRAGMA user_version = 99"_s));
        }
        const QByteArray before = fileHash(m_path);
        QVERIFY(!before.isEmpty());

        Ledger ledger(m_path);
        const Status opened = ledger.open();
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(u"newer Switchyard"_s), qPrintable(opened.errorMessage()));
        QVERIFY(opened.errorMessage().contains(m_path));
        QVERIFY(!ledger.isOpen());

        const auto reader = LedgerReader::open(m_path);
        QVERIFY(!reader);
        QVERIFY2(reader.errorMessage().contains(u"schema version 99"_s), qPrintable(reader.errorMessage()));

        QCOMPARE(fileHash(m_path), before);
        QVERIFY(!QFile::exists(m_path + u"-wal"_s));
    }

    void readerNeedsAnExistingLedger()
    {
        const auto missing = LedgerReader::open(m_path);
        QVERIFY(!missing);
        QVERIFY2(missing.errorMessage().contains(m_path), qPrintable(missing.errorMessage()));
        QVERIFY(!QFile::exists(m_path));
    }

    void appendFromThreadsThenFlush()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        QList<UsageRecord> appended;
        connect(&ledger, &Ledger::recordsAppended, this,
            [&appended](const QList<UsageRecord> &records) { appended.append(records); });

        constexpr int threads = 4;
        constexpr int perThread = 300; // more than one full batch in total
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&ledger, t] {
                for (int i = 0; i < perThread; ++i) {
                    UsageRecord record = makeRecord(u"t%1-%2"_s.arg(t).arg(i), u"provider-%1"_s.arg(t), i);
                    record.usage.promptTokens = i;
                    record.cost = Money::fromNanoUsd(i);
                    ledger.append(record);
                }
            });
        }
        for (std::thread &worker : workers) {
            worker.join();
        }
        ledger.flush();

        auto reader = LedgerReader::open(m_path);
        QVERIFY2(reader.isOk(), qPrintable(reader.errorMessage()));
        const auto stored = reader->recent(threads * perThread + 10);
        QVERIFY(stored.isOk());
        QCOMPARE(stored->size(), threads * perThread);
        QSet<QString> requestIds;
        for (const UsageRecord &record : stored.value()) {
            requestIds.insert(record.requestId);
            const int i = record.requestId.section(u'-', 1).toInt();
            QCOMPARE(record.usage.promptTokens, i);
            QCOMPARE(record.cost, std::optional<Money>(Money::fromNanoUsd(i)));
            QCOMPARE(record.provider, u"provider-%1"_s.arg(record.requestId.mid(1, 1)));
        }
        QCOMPARE(requestIds.size(), threads * perThread);

        QTRY_COMPARE(appended.size(), threads * perThread);
        QSet<qint64> ids;
        for (const UsageRecord &record : std::as_const(appended)) {
            QVERIFY(record.id > 0);
            ids.insert(record.id);
        }
        QCOMPARE(ids.size(), threads * perThread);
    }

    void fieldsRoundTrip()
    {
        UsageRecord priced = makeRecord(u"req-priced"_s, u"anthropic"_s);
        priced.route = u"coding"_s;
        priced.model = u"claude-sonnet-4-5"_s;
        priced.attempt = 2;
        priced.stream = true;
        priced.latencyMs = 1234;
        priced.usage = Usage {12'000, 3'000, 8'000, 1'000, 500, true, {}};
        priced.cost = Money::fromNanoUsd(98'765'432'101);
        priced.usage.reportedCost = Money::fromNanoUsd(97'000'000'000);
        priced.time = QDateTime::fromMSecsSinceEpoch(baseTimeMs + 123, Qt::UTC);

        UsageRecord unpriced = makeRecord(u"req-unpriced"_s, u"groq"_s);
        unpriced.status = 0;
        unpriced.ttftMs = -1;
        unpriced.usage = Usage {};
        unpriced.cost = std::nullopt;
        unpriced.priceSource.clear();
        unpriced.errorClass = u"connect"_s;

        UsageRecord undated = makeRecord(u"req-undated"_s, u"openai"_s);
        undated.time = QDateTime();

        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        QSignalSpy appendedSpy(&ledger, &Ledger::recordsAppended);
        const QDateTime beforeAppend = QDateTime::currentDateTimeUtc();
        ledger.append(priced);
        ledger.append(unpriced);
        ledger.append(undated);
        ledger.flush();
        QTRY_COMPARE(appendedSpy.size(), 1);
        const auto batch = appendedSpy.first().first().value<QList<UsageRecord>>();
        QCOMPARE(batch.size(), 3);

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto stored = reader->recent(10);
        QVERIFY(stored.isOk());
        QCOMPARE(stored->size(), 3);

        UsageRecord expectedPriced = priced;
        expectedPriced.id = batch[0].id;
        UsageRecord expectedUnpriced = unpriced;
        expectedUnpriced.id = batch[1].id;
        QCOMPARE(batch[0], expectedPriced);
        QCOMPARE(stored->at(2), expectedPriced);
        QCOMPARE(stored->at(1), expectedUnpriced);
        QCOMPARE(stored->at(1).cost, std::nullopt);
        QCOMPARE(stored->at(1).ttftMs, -1);
        QCOMPARE(stored->at(2).time.timeSpec(), Qt::UTC);
        QVERIFY(stored->at(0).time >= beforeAppend.addMSecs(-1));

        ledger.close();
        const RawDatabase raw(m_path);
        QCOMPARE(raw.value(u"SELECT COUNT(*) FROM usage_records WHERE cost_nano_usd IS NULL"_s).toInt(), 1);
        QCOMPARE(raw.value(u"SELECT cost_nano_usd FROM usage_records WHERE request_id = 'req-priced'"_s).toLongLong(),
            98'765'432'101);
        QCOMPARE(raw.value(u"SELECT reported_cost_nano_usd FROM usage_records WHERE request_id = 'req-priced'"_s)
                     .toLongLong(),
            97'000'000'000);
        QVERIFY(raw.value(u"SELECT reported_cost_nano_usd FROM usage_records WHERE request_id = 'req-unpriced'"_s)
                    .isNull());
    }

    void breakerEventsRoundTrip()
    {
        BreakerEvent opened = makeEvent(u"gpt-4o"_s, u"open"_s, 1000);
        BreakerEvent halfOpen = makeEvent(u"gpt-4o"_s, u"half_open"_s, 31'000);
        BreakerEvent closed = makeEvent(u"gpt-4o"_s, u"closed"_s, 31'200);
        closed.fromState = u"half_open"_s;
        closed.reason = u"probe succeeded"_s;
        BreakerEvent early = makeEvent(u"gpt-4o-mini"_s, u"open"_s, -3'600'000);
        BreakerEvent undated = makeEvent(u"o3"_s, u"open"_s, 0);
        undated.time = QDateTime();

        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        // Shares the worker's batches with usage records, which keep their own signal.
        QSignalSpy appendedSpy(&ledger, &Ledger::recordsAppended);
        const QDateTime beforeAppend = QDateTime::currentDateTimeUtc();
        for (const BreakerEvent &event : {early, opened, halfOpen, closed}) {
            ledger.appendBreakerEvent(event);
        }
        ledger.append(makeRecord(u"req"_s, u"openai"_s));
        ledger.appendBreakerEvent(undated);
        ledger.flush();
        QTRY_COMPARE(appendedSpy.size(), 1);

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto all = reader->breakerEvents(QDateTime(), 100);
        QVERIFY2(all.isOk(), qPrintable(all.errorMessage()));
        QCOMPARE(all->size(), 5);
        QCOMPARE(all->first().model, u"o3"_s); // stamped now: the newest
        QVERIFY(all->first().time >= beforeAppend.addMSecs(-1));
        QCOMPARE(all->first().time.timeSpec(), Qt::UTC);
        QSet<qint64> ids;
        for (const BreakerEvent &event : all.value()) {
            QVERIFY(event.id > 0);
            ids.insert(event.id);
        }
        QCOMPARE(ids.size(), 5);

        const auto sinceBase = reader->breakerEvents(QDateTime::fromMSecsSinceEpoch(baseTimeMs, Qt::UTC), 100);
        QVERIFY(sinceBase.isOk());
        QCOMPARE(sinceBase->size(), 4);
        QCOMPARE(sinceBase->last().model, u"gpt-4o"_s); // oldest last, the hour-old one left out

        const auto newestTwo = reader->breakerEvents(QDateTime::fromMSecsSinceEpoch(baseTimeMs, Qt::UTC), 2);
        QVERIFY(newestTwo.isOk());
        QCOMPARE(newestTwo->size(), 2);
        BreakerEvent expectedClosed = closed;
        expectedClosed.id = newestTwo->at(1).id;
        QCOMPARE(newestTwo->at(1), expectedClosed);

        const auto afterAll = reader->breakerEvents(QDateTime::currentDateTimeUtc().addSecs(60), 100);
        QVERIFY(afterAll.isOk());
        QVERIFY(afterAll->isEmpty());
    }

    void breakerEventsAppendedWhileClosedWaitForOpen()
    {
        Ledger ledger(m_path);
        ledger.appendBreakerEvent(makeEvent(u"gpt-4o"_s, u"open"_s, 0));
        QVERIFY(ledger.open().isOk());
        ledger.flush();
        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        QCOMPARE(reader->breakerEvents(QDateTime(), 10)->size(), 1);
    }

    void recordsAppendedWhileClosedWaitForOpen()
    {
        Ledger ledger(m_path);
        ledger.append(makeRecord(u"early"_s, u"openai"_s));
        QVERIFY(ledger.open().isOk());
        ledger.flush();
        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        QCOMPARE(reader->recent(10)->size(), 1);
    }

    void failedWritesAreKeptAndRetried()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        QSignalSpy failedSpy(&ledger, &Ledger::writeFailed);
        QSignalSpy appendedSpy(&ledger, &Ledger::recordsAppended);

        auto blocker = std::make_unique<RawDatabase>(m_path);
        QVERIFY(blocker->exec(u"BEGIN IMMEDIATE"_s));
        ledger.append(makeRecord(u"blocked"_s, u"openai"_s));
        ledger.flush();
        QVERIFY(failedSpy.wait());
        const QString message = failedSpy.first().first().toString();
        QVERIFY2(message.contains(u"retried"_s), qPrintable(message));
        QCOMPARE(appendedSpy.size(), 0);

        QVERIFY(blocker->exec(u"ROLLBACK"_s));
        blocker.reset();
        ledger.flush();
        QTRY_COMPARE(appendedSpy.size(), 1);
        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto stored = reader->recent(10);
        QCOMPARE(stored->size(), 1);
        QCOMPARE(stored->first().requestId, u"blocked"_s);
    }

    void failedBreakerEventsAreKeptAndRetried()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        QSignalSpy failedSpy(&ledger, &Ledger::writeFailed);

        auto blocker = std::make_unique<RawDatabase>(m_path);
        QVERIFY(blocker->exec(u"BEGIN IMMEDIATE"_s));
        ledger.appendBreakerEvent(makeEvent(u"gpt-4o"_s, u"open"_s, 0));
        ledger.flush();
        QVERIFY(failedSpy.wait());
        const QString message = failedSpy.first().first().toString();
        QVERIFY2(message.contains(u"circuit breaker"_s) && message.contains(u"retried"_s), qPrintable(message));

        QVERIFY(blocker->exec(u"ROLLBACK"_s));
        blocker.reset();
        ledger.appendBreakerEvent(makeEvent(u"gpt-4o"_s, u"half_open"_s, 1));
        ledger.flush();
        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto stored = reader->breakerEvents(QDateTime(), 10);
        QVERIFY(stored.isOk());
        QCOMPARE(stored->size(), 2);
        QCOMPARE(stored->at(0).toState, u"half_open"_s);
        QCOMPARE(stored->at(1).toState, u"open"_s);
    }

    void spendGroupsAndFilters()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        const auto add = [&ledger](const QString &provider, const QString &route, qint64 offsetMs, qint64 prompt,
                             std::optional<Money> cost, const QString &errorClass, qint64 latencyMs) {
            UsageRecord record = makeRecord(u"r"_s, provider, offsetMs);
            record.route = route;
            record.usage = Usage {prompt, prompt / 2, prompt / 4, 0, prompt / 10, true, {}};
            record.cost = cost;
            record.errorClass = errorClass;
            record.latencyMs = latencyMs;
            ledger.append(record);
        };
        const qint64 hour = 3'600'000;
        add(u"openai"_s, u"fast"_s, -48 * hour, 9000, Money::fromNanoUsd(1'000'000'000), QString(), 900); // too old
        add(u"groq"_s, u"fast"_s, -47 * hour, 5000, std::nullopt, QString(), 500); // too old, unpriced
        add(u"openai"_s, u"fast"_s, 0, 1000, Money::fromNanoUsd(3'000'000), QString(), 100);
        add(u"openai"_s, QString(), hour, 2000, Money::fromNanoUsd(4'000'001), QString(), 300);
        add(u"groq"_s, u"fast"_s, 2 * hour, 400, std::nullopt, QString(), 50);
        add(u"groq"_s, u"fast"_s, 3 * hour, 0, std::nullopt, u"http_429"_s, 10);
        add(u"mistral"_s, QString(), 4 * hour, 100, Money::fromNanoUsd(9'999'999), QString(), 200);
        ledger.flush();

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const QDateTime since = QDateTime::fromMSecsSinceEpoch(baseTimeMs, Qt::UTC);

        const auto byProvider = reader->spend(Grouping::Provider, since);
        QVERIFY2(byProvider.isOk(), qPrintable(byProvider.errorMessage()));
        const QList<SpendRow> expectedByProvider {
            {u"mistral"_s, 1, 0, 100, 50, 25, 10, Money::fromNanoUsd(9'999'999), 0, 200.0, 0},
            {u"openai"_s, 2, 0, 3000, 1500, 750, 300, Money::fromNanoUsd(7'000'001), 0, 200.0, 0},
            {u"groq"_s, 2, 1, 400, 200, 100, 40, Money(), 2, 30.0, 600},
        };
        QCOMPARE(byProvider.value(), expectedByProvider);

        const auto byRoute = reader->spend(Grouping::Route, since);
        QVERIFY(byRoute.isOk());
        QCOMPARE(byRoute->size(), 2);
        QCOMPARE(byRoute->at(0).group, QString());
        QCOMPARE(byRoute->at(0).cost, Money::fromNanoUsd(14'000'000));
        QCOMPARE(byRoute->at(1).group, u"fast"_s);
        QCOMPARE(byRoute->at(1).requests, 3);
        QCOMPARE(byRoute->at(1).unpricedRequests, 2);
        QCOMPARE(byRoute->at(1).unpricedTokens, 600); // 400 + 200 prompt and completion; cached are part of prompt

        const auto allTime = reader->spend(Grouping::Key, QDateTime());
        QVERIFY(allTime.isOk());
        QCOMPARE(allTime->size(), 1);
        QCOMPARE(allTime->first().group, u"team-a"_s);
        QCOMPARE(allTime->first().requests, 7);
        QCOMPARE(allTime->first().cost, Money::fromNanoUsd(1'017'000'000));
        QCOMPARE(allTime->first().unpricedRequests, 3);
        QCOMPARE(allTime->first().unpricedTokens, 600 + 7500);

        const auto future = reader->spend(Grouping::Model, since.addDays(1));
        QVERIFY(future.isOk());
        QVERIFY(future->isEmpty());
    }

    void capturedBodiesRoundTrip()
    {
        UsageRecord captured = makeRecord(u"req-captured"_s, u"openai"_s);
        CapturedBodies bodies;
        bodies.request = "{\"model\":\"smart\"}"_ba;
        bodies.append(bodies.response, QByteArray(CapturedBodies::limitBytes + 10, 'x'));
        QVERIFY(bodies.truncated);
        QCOMPARE(bodies.response.size(), CapturedBodies::limitBytes);
        captured.bodies = std::make_shared<const CapturedBodies>(bodies);
        UsageRecord emptyAnswer = makeRecord(u"req-empty"_s, u"openai"_s);
        emptyAnswer.bodies = std::make_shared<const CapturedBodies>(CapturedBodies {"{}"_ba, QByteArray(), false});

        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        ledger.append(captured);
        ledger.append(emptyAnswer);
        ledger.append(makeRecord(u"req-plain"_s, u"openai"_s));
        ledger.flush();

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto stored = reader->capturedBodies(u"req-captured"_s);
        QVERIFY2(stored.isOk(), qPrintable(stored.errorMessage()));
        QCOMPARE(stored.value(), std::optional<CapturedBodies>(bodies));
        const auto empty = reader->capturedBodies(u"req-empty"_s);
        QVERIFY(empty.isOk());
        QVERIFY(empty->has_value());
        QCOMPARE(empty->value().response, QByteArray());
        const auto none = reader->capturedBodies(u"req-plain"_s);
        QVERIFY(none.isOk());
        QCOMPARE(none.value(), std::nullopt);
    }

    void spendCountsWhatTheProviderReported()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        UsageRecord computedOnly = makeRecord(u"a"_s, u"openai"_s);
        UsageRecord bothKnown = makeRecord(u"b"_s, u"openrouter"_s);
        bothKnown.usage.reportedCost = Money::fromNanoUsd(5'000'000);
        // OpenRouter bills models the catalog does not know; its figure makes the request priced.
        UsageRecord reportedOnly = makeRecord(u"c"_s, u"openrouter"_s);
        reportedOnly.model = u"house/new-model"_s;
        reportedOnly.cost = std::nullopt;
        reportedOnly.usage.reportedCost = Money::fromNanoUsd(1'000'000);
        for (const UsageRecord &record : {computedOnly, bothKnown, reportedOnly}) {
            ledger.append(record);
        }
        ledger.flush();
        QCOMPARE(bothKnown.effectiveCost(), Money::fromNanoUsd(5'000'000));
        QCOMPARE(computedOnly.effectiveCost(), computedOnly.cost);

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto byProvider = reader->spend(Grouping::Provider, QDateTime());
        QVERIFY2(byProvider.isOk(), qPrintable(byProvider.errorMessage()));
        QCOMPARE(byProvider->size(), 2);
        QCOMPARE(byProvider->at(0).group, u"openai"_s);
        QCOMPARE(byProvider->at(0).cost, Money::fromNanoUsd(7'250'000));
        QCOMPARE(byProvider->at(1).group, u"openrouter"_s);
        QCOMPARE(byProvider->at(1).cost, Money::fromNanoUsd(6'000'000));
        QCOMPARE(byProvider->at(1).unpricedRequests, 0);

        const auto records = reader->recent(10);
        QVERIFY(records.isOk());
        QCOMPARE(records->at(0).usage.reportedCost, Money::fromNanoUsd(1'000'000));
        QCOMPARE(records->at(0).cost, std::nullopt);
        QCOMPARE(records->at(2).usage.reportedCost, std::nullopt);
    }

    void recentPagesBackwards()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        for (int i = 1; i <= 5; ++i) {
            ledger.append(makeRecord(u"req-%1"_s.arg(i), u"openai"_s, i));
        }
        ledger.close();

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const auto requestIds = [](const QList<UsageRecord> &records) {
            QStringList ids;
            for (const UsageRecord &record : records) {
                ids.append(record.requestId);
            }
            return ids;
        };
        const auto first = reader->recent(2);
        QVERIFY(first.isOk());
        QCOMPARE(requestIds(first.value()), (QStringList {u"req-5"_s, u"req-4"_s}));
        const auto second = reader->recent(2, first->last().id);
        QCOMPARE(requestIds(second.value()), (QStringList {u"req-3"_s, u"req-2"_s}));
        const auto last = reader->recent(2, second->last().id);
        QCOMPARE(requestIds(last.value()), QStringList {u"req-1"_s});
        QVERIFY(reader->recent(2, last->last().id)->isEmpty());
    }

    void providerHealthOverAWindow()
    {
        Ledger ledger(m_path);
        QVERIFY(ledger.open().isOk());
        const qint64 hour = 3'600'000;
        const auto add = [&ledger](const QString &provider, qint64 offsetMs, qint64 latencyMs, const QString &error) {
            UsageRecord record = makeRecord(u"r"_s, provider, offsetMs);
            record.latencyMs = latencyMs;
            record.errorClass = error;
            ledger.append(record);
        };
        add(u"openai"_s, -30 * hour, 5, QString()); // before the window: last success only
        add(u"openai"_s, 0, 400, QString());
        add(u"openai"_s, hour, 100, QString());
        add(u"openai"_s, 2 * hour, 300, QString());
        add(u"openai"_s, 3 * hour, 9000, u"timeout"_s);
        add(u"openai"_s, 4 * hour, 1, u"client_closed"_s); // the client's doing, not the provider's
        add(u"groq"_s, -40 * hour, 50, QString());
        add(u"groq"_s, hour, 70, u"http_5xx"_s);
        add(u"groq"_s, 2 * hour, 20, QString());
        add(u"groq"_s, 3 * hour, 60, QString());
        add(u"mistral"_s, hour, 10, u"connect"_s);
        ledger.flush();

        auto reader = LedgerReader::open(m_path);
        QVERIFY(reader.isOk());
        const QDateTime since = QDateTime::fromMSecsSinceEpoch(baseTimeMs, Qt::UTC);
        const auto at = [](qint64 offsetMs) { return QDateTime::fromMSecsSinceEpoch(baseTimeMs + offsetMs, Qt::UTC); };
        const auto health = reader->providerHealth({u"openai"_s, u"groq"_s, u"mistral"_s, u"unused"_s}, since);
        QVERIFY2(health.isOk(), qPrintable(health.errorMessage()));
        const QList<ProviderHealth> expected {
            {u"openai"_s, at(2 * hour), 4, 1, 300}, // odd count: the middle of 100, 300, 400
            {u"groq"_s, at(3 * hour), 3, 1, 40}, // even count: the mean of 20 and 60
            {u"mistral"_s, QDateTime(), 1, 1, -1},
            {u"unused"_s, QDateTime(), 0, 0, -1},
        };
        QCOMPARE(health.value(), expected);
        QCOMPARE(health->at(0).errorRate(), 0.25);
        QCOMPARE(health->at(3).errorRate(), 0.0);

        const auto allTime = reader->providerHealth({u"groq"_s}, QDateTime());
        QVERIFY(allTime.isOk());
        QCOMPARE(allTime->first().attempts, 4);
        QCOMPARE(allTime->first().medianLatencyMs, 50);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_counter = 0;
};

QTEST_GUILESS_MAIN(TestLedger)
#include "tst_ledger.moc"
