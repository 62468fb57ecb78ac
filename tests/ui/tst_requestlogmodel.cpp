#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "ui/models/ledgerqueryworker.h"
#include "ui/models/requestlogmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Filter = Ledger::LedgerReader::RecordFilter;
using Ledger::UsageRecord;
using Ui::RequestLogModel;

namespace {

const qint64 BaseTimeMs = 1'763'700'000'000; // 2025-11-21, UTC
constexpr int BulkRows = 100'000;
constexpr int WaitMs = 30'000;

UsageRecord record(const QString &requestId, const QString &provider, const QString &model, qint64 offsetSeconds)
{
    UsageRecord record;
    record.time = QDateTime::fromMSecsSinceEpoch(BaseTimeMs + offsetSeconds * 1000, Qt::UTC);
    record.requestId = requestId;
    record.keyName = u"laptop"_s;
    record.route = u"fast"_s;
    record.provider = provider;
    record.model = model;
    record.status = 200;
    record.latencyMs = 300;
    record.ttftMs = 80;
    record.usage = Usage {1000, 200, 0, 0, 0, true, {}};
    record.cost = Money::fromNanoUsd(150'000);
    record.trace = R"({"route":"fast","strategy":"fallback","planned":[],"skipped":[],"attempts":[]})"_ba;
    return record;
}

// A small ledger whose records differ in every filtered field, oldest first (ids 1…8).
QList<UsageRecord> variedRecords()
{
    QList<UsageRecord> records;
    records.append(record(u"req-a"_s, u"openai"_s, u"gpt-4o-mini"_s, 0));
    UsageRecord failed = record(u"req-b"_s, u"openai"_s, u"gpt-4o"_s, 60);
    failed.status = 503;
    failed.errorClass = u"http_5xx"_s;
    failed.cost.reset();
    records.append(failed);
    UsageRecord fallback = record(u"req-b"_s, u"anthropic"_s, u"claude-sonnet-4"_s, 61);
    fallback.attempt = 2;
    records.append(fallback);
    UsageRecord direct = record(u"req-c"_s, u"groq"_s, u"llama-3.1-8b-instant"_s, 3600);
    direct.route.clear();
    records.append(direct);
    UsageRecord otherKey = record(u"req-d"_s, u"openai"_s, u"gpt-4o-mini"_s, 7200);
    otherKey.keyName = u"CI-Runner"_s;
    otherKey.route = u"cheap_100%"_s;
    records.append(otherKey);
    UsageRecord noKey = record(u"req-e"_s, u"mistral"_s, u"mistral-small"_s, 7300);
    noKey.keyName.clear();
    noKey.errorClass = u"timeout"_s;
    noKey.status = 0;
    records.append(noKey);
    records.append(record(u"req-f"_s, u"anthropic"_s, u"claude-haiku"_s, 86'400));
    records.append(record(u"req-g"_s, u"openai"_s, u"gpt-4o"_s, 90'000));
    return records;
}

QList<qint64> ids(const QList<UsageRecord> &records)
{
    QList<qint64> list;
    for (const UsageRecord &r : records) {
        list.append(r.id);
    }
    return list;
}

QList<qint64> ids(const RequestLogModel &model)
{
    QList<qint64> list;
    for (int row = 0; row < model.rowCount(); ++row) {
        list.append(model.record(row).id);
    }
    return list;
}

// Waits until the model has no page in flight.
bool settle(RequestLogModel &model)
{
    QSignalSpy loading(&model, &RequestLogModel::loadingChanged);
    while (model.isLoading()) {
        if (!loading.wait(WaitMs)) {
            return false;
        }
    }
    return true;
}

} // namespace

// RequestLogModel and LedgerReader::records() on real SQLite ledger files.
class TestRequestLogModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"ledger-%1.sqlite"_s.arg(++m_counter));
        m_ledger = std::make_unique<Ledger::Ledger>(m_path);
        QVERIFY(m_ledger->open());
    }

    void cleanup() { m_ledger.reset(); }

    void filtersNarrowTheQuery_data()
    {
        QTest::addColumn<Filter>("filter");
        QTest::addColumn<QList<qint64>>("expected");

        QTest::newRow("everything") << Filter {} << QList<qint64> {8, 7, 6, 5, 4, 3, 2, 1};
        Filter errors;
        errors.outcome = Filter::Outcome::Failed;
        QTest::newRow("errors") << errors << QList<qint64> {6, 2};
        Filter successes;
        successes.outcome = Filter::Outcome::Succeeded;
        QTest::newRow("successes") << successes << QList<qint64> {8, 7, 5, 4, 3, 1};
        Filter openai;
        openai.provider = u"openai"_s;
        QTest::newRow("provider") << openai << QList<qint64> {8, 5, 2, 1};
        Filter direct;
        direct.route = u""_s;
        QTest::newRow("direct requests") << direct << QList<qint64> {4};
        Filter route;
        route.route = u"fast"_s;
        QTest::newRow("route") << route << QList<qint64> {8, 7, 6, 3, 2, 1};
        Filter withoutKey;
        withoutKey.keyName = u""_s;
        QTest::newRow("without a key") << withoutKey << QList<qint64> {6};
        Filter key;
        key.keyName = u"CI-Runner"_s;
        QTest::newRow("key") << key << QList<qint64> {5};
        Filter request;
        request.requestId = u"req-b"_s;
        QTest::newRow("request id") << request << QList<qint64> {3, 2};
        Filter since;
        since.since = QDateTime::fromMSecsSinceEpoch(BaseTimeMs + 7200'000, Qt::UTC);
        QTest::newRow("since, inclusive") << since << QList<qint64> {8, 7, 6, 5};
        Filter model;
        model.text = u"GPT-4O"_s;
        QTest::newRow("text: model, any case") << model << QList<qint64> {8, 5, 2, 1};
        Filter target;
        target.text = u"openai/gpt-4o-m"_s;
        QTest::newRow("text: provider/model") << target << QList<qint64> {5, 1};
        Filter keyText;
        keyText.text = u"runner"_s;
        QTest::newRow("text: key") << keyText << QList<qint64> {5};
        Filter requestText;
        requestText.text = u"req-c"_s;
        QTest::newRow("text: request id") << requestText << QList<qint64> {4};
        Filter wildcard;
        wildcard.text = u"_100%"_s;
        QTest::newRow("text: LIKE wildcards are literal") << wildcard << QList<qint64> {5};
        Filter underscore;
        underscore.text = u"gpt_4o"_s;
        QTest::newRow("text: _ matches only _") << underscore << QList<qint64> {};
        Filter combined;
        combined.provider = u"openai"_s;
        combined.outcome = Filter::Outcome::Succeeded;
        combined.text = u"mini"_s;
        QTest::newRow("combined") << combined << QList<qint64> {5, 1};
    }

    void filtersNarrowTheQuery()
    {
        QFETCH(Filter, filter);
        QFETCH(QList<qint64>, expected);
        storeVariedRecords();
        auto reader = Ledger::LedgerReader::open(m_path);
        QVERIFY2(reader, qPrintable(reader.errorMessage()));
        const auto all = reader->records({}, 100);
        QVERIFY(all);
        const auto found = reader->records(filter, 100);
        QVERIFY2(found, qPrintable(found.errorMessage()));
        QCOMPARE(ids(found.value()), expected);

        // Live records are matched in memory by the same rules.
        QList<qint64> matched;
        for (const UsageRecord &r : all.value()) {
            if (filter.matches(r)) {
                matched.append(r.id);
            }
        }
        QCOMPARE(matched, expected);

        // Keyset paging: one record at a time below the previous one gives the same list.
        QList<qint64> paged;
        qint64 cursor = 0;
        while (true) {
            const auto page = reader->records(filter, 1, cursor);
            QVERIFY(page);
            if (page->isEmpty()) {
                break;
            }
            cursor = page->constFirst().id;
            paged.append(cursor);
        }
        QCOMPARE(paged, expected);
    }

    void recordsCarryEveryField()
    {
        UsageRecord stored = variedRecords().at(1);
        stored.stream = true;
        stored.ttftMs = -1;
        stored.usage = Usage {1200, 340, 100, 20, 30, true, {}};
        stored.priceSource = u"litellm"_s;
        m_ledger->append(stored);
        m_ledger->flush();
        auto reader = Ledger::LedgerReader::open(m_path);
        QVERIFY(reader);
        const auto found = reader->records({}, 10);
        QVERIFY(found);
        QCOMPARE(found->size(), 1);
        stored.id = 1;
        QCOMPARE(found->constFirst(), stored);
    }

    void modelPagesThroughAHundredThousandRecords()
    {
        m_ledger->close();
        insertBulk(BulkRows);

        Ui::LedgerQueryWorker worker(m_path);
        // No QAbstractItemModelTester here: it walks every row on each insertion.
        RequestLogModel model(&worker, 500);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(model.isLoading());
        QVERIFY(settle(model));
        QCOMPARE(model.rowCount(), 500);
        QCOMPARE(model.record(0).id, qint64(BulkRows));
        QVERIFY(model.canFetchMore({}));

        int pages = 1;
        while (model.canFetchMore({})) {
            model.fetchMore({});
            // A second call while a page is read asks for nothing more.
            model.fetchMore({});
            QVERIFY(settle(model));
            ++pages;
        }
        QVERIFY(model.isComplete());
        QCOMPARE(model.rowCount(), BulkRows);
        // 200 full pages and the empty one that shows there is no more.
        QCOMPARE(pages, BulkRows / 500 + 1);
        QCOMPARE(inserted.count(), BulkRows / 500);

        // Newest first, every id exactly once.
        QSet<qint64> seen;
        qint64 previous = std::numeric_limits<qint64>::max();
        for (int row = 0; row < model.rowCount(); ++row) {
            const qint64 id = model.record(row).id;
            QVERIFY2(id < previous, qPrintable(u"row %1: id %2 after %3"_s.arg(row).arg(id).arg(previous)));
            previous = id;
            seen.insert(id);
        }
        QCOMPARE(seen.size(), BulkRows);
        QCOMPARE(model.record(model.rowCount() - 1).id, qint64(1));
        QVERIFY2(model.record(0).trace.isEmpty(), "pages hold no trace copies");

        using Column = RequestLogModel::Column;
        const auto text = [&model](int row, Column column) { return model.index(row, int(column)).data().toString(); };
        // Record 100000: provider 100000 % 3 = 1 → anthropic; every tenth failed and unpriced.
        QCOMPARE(text(0, Column::Target), u"anthropic/model-1"_s);
        QCOMPARE(text(0, Column::Cost), u"unknown"_s);
        QCOMPARE(text(0, Column::Error), u"http_5xx"_s);
        QCOMPARE(text(1, Column::Cost), Money::fromNanoUsd(99'999).toString());
        QCOMPARE(text(1, Column::Error), QString());
    }

    void bulkFiltersResetTheModel()
    {
        m_ledger->close();
        insertBulk(BulkRows);
        Ui::LedgerQueryWorker worker(m_path);
        RequestLogModel model(&worker, 500);
        QVERIFY(settle(model));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        Filter errors;
        errors.outcome = Filter::Outcome::Failed;
        errors.provider = u"anthropic"_s;
        model.setFilter(errors);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(settle(model));
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QVERIFY(settle(model));
        }
        // Ids divisible by 10 with id % 3 == 1: 10, 40, … 100000.
        QCOMPARE(model.rowCount(), 3334);
        for (int row = 0; row < model.rowCount(); ++row) {
            QVERIFY(model.record(row).isFailure());
            QCOMPARE(model.record(row).provider, u"anthropic"_s);
        }

        Filter search;
        search.text = u"model-2"_s;
        search.since = QDateTime::fromMSecsSinceEpoch(BaseTimeMs + qint64(BulkRows - 300) * 1000, Qt::UTC);
        model.setFilter(search);
        QVERIFY(settle(model));
        QVERIFY(model.isComplete());
        QCOMPARE(model.rowCount(), 100); // ids 99701…100000 with id % 3 == 2
    }

    void modelPassesTheTesterWhileItFetchesPages()
    {
        m_ledger->close();
        insertBulk(3000);
        Ui::LedgerQueryWorker worker(m_path);
        RequestLogModel model(&worker, 250);
        // The tester calls fetchMore() itself as it checks the model, until no page is left.
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), WaitMs);
        QCOMPARE(model.rowCount(), 3000);

        Filter errors;
        errors.outcome = Filter::Outcome::Failed;
        model.setFilter(errors);
        QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), WaitMs);
        QCOMPARE(model.rowCount(), 300);
    }

    void aNewFilterDropsTheOldFiltersAnswer()
    {
        storeVariedRecords();
        Ui::LedgerQueryWorker worker(m_path);
        RequestLogModel model(&worker, 500);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Both queries are queued before either answer is handled.
        Filter groq;
        groq.provider = u"groq"_s;
        model.setFilter(groq);
        QVERIFY(settle(model));
        QCOMPARE(ids(model), (QList<qint64> {4}));
    }

    void liveRecordsGoOnTopWhenTheyMatch()
    {
        storeVariedRecords();
        Ui::LedgerQueryWorker worker(m_path);
        RequestLogModel model(&worker, 3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tester.setUseFetchMore(false);
        connect(m_ledger.get(), &Ledger::Ledger::recordsAppended, &model, &RequestLogModel::prependRecords);
        Filter openai;
        openai.provider = u"openai"_s;
        model.setFilter(openai);
        QVERIFY(settle(model));
        QCOMPARE(ids(model), (QList<qint64> {8, 5, 2}));
        QVERIFY(model.canFetchMore({}));

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        m_ledger->append(record(u"req-h"_s, u"openai"_s, u"gpt-4o"_s, 100'000));
        m_ledger->append(record(u"req-i"_s, u"groq"_s, u"llama"_s, 100'001));
        m_ledger->append(record(u"req-j"_s, u"openai"_s, u"o3"_s, 100'002));
        QTRY_COMPARE(ids(model), (QList<qint64> {11, 9, 8, 5, 2}));
        QCOMPARE(inserted.constFirst().at(1).toInt(), 0);
        QVERIFY2(model.record(0).trace.isEmpty(), "live rows hold no trace copies");

        // The next page continues below the oldest paged record, not below the live ones.
        model.fetchMore({});
        QVERIFY(settle(model));
        QCOMPARE(ids(model), (QList<qint64> {11, 9, 8, 5, 2, 1}));
        QVERIFY(model.isComplete());
    }

    void liveRecordsBeforeTheFirstPageAreNotDuplicated()
    {
        QList<UsageRecord> stored = variedRecords();
        for (const UsageRecord &r : stored) {
            m_ledger->append(r);
        }
        m_ledger->flush();
        for (int i = 0; i < stored.size(); ++i) {
            stored[i].id = i + 1;
        }
        Ui::LedgerQueryWorker worker(m_path);
        RequestLogModel model(&worker, 500);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The batch signal of the newest records arrives while the first page, which holds them
        // too, is still being read.
        model.prependRecords(stored.mid(6));
        QCOMPARE(ids(model), (QList<qint64> {8, 7}));
        QVERIFY(settle(model));
        QCOMPARE(ids(model), (QList<qint64> {8, 7, 6, 5, 4, 3, 2, 1}));
        // A batch seen already (or older than what is shown) is not shown twice.
        model.prependRecords(stored.mid(7));
        QCOMPARE(model.rowCount(), 8);
    }

    void aMissingLedgerIsAnEmptyLog()
    {
        Ui::LedgerQueryWorker worker(m_dir.filePath(u"absent/ledger.sqlite"_s));
        RequestLogModel model(&worker, 500);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(settle(model));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.isComplete());
        QVERIFY(!model.hasFailed());
        QVERIFY(!model.canFetchMore({}));
    }

    void anUnreadableLedgerFailsWithAMessage()
    {
        const QString path = m_dir.filePath(u"not-a-ledger.sqlite"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not SQLite");
        file.close();
        Ui::LedgerQueryWorker worker(path);
        RequestLogModel model(&worker, 500);
        QSignalSpy failed(&model, &RequestLogModel::loadFailed);
        QVERIFY(failed.wait());
        QVERIFY(!failed.at(0).at(0).toString().isEmpty());
        QVERIFY(model.hasFailed());
        QVERIFY2(!model.canFetchMore({}), "a failed page is not retried by scrolling");
    }

    void workerAnswersSpendQueries()
    {
        storeVariedRecords();
        Ui::LedgerQueryWorker worker(m_path);
        QSignalSpy spend(&worker, &Ui::LedgerQueryWorker::spendLoaded);
        const quint64 ticket = worker.querySpend(Ledger::Grouping::Provider, {});
        QVERIFY(spend.wait());
        QCOMPARE(spend.at(0).at(0).value<quint64>(), ticket);
        const auto rows = spend.at(0).at(1).value<QList<Ledger::SpendRow>>();
        QCOMPARE(rows.size(), 4);
    }

private:
    // Commits the varied records and waits for the ledger's announcement of them, so it does
    // not reach a model connected afterwards.
    void storeVariedRecords()
    {
        QSignalSpy appended(m_ledger.get(), &Ledger::Ledger::recordsAppended);
        const QList<UsageRecord> records = variedRecords();
        for (const UsageRecord &r : records) {
            m_ledger->append(r);
        }
        m_ledger->flush();
        const auto announced = [&appended] {
            qsizetype count = 0;
            for (const QList<QVariant> &arguments : std::as_const(appended)) {
                count += arguments.at(0).value<QList<UsageRecord>>().size();
            }
            return count;
        };
        QTRY_COMPARE(announced(), records.size());
    }

    // Straight into the ledger's table in one statement, as the gateway would have written them
    // over 100,000 seconds: ids 1…count, provider by id % 3, every tenth a priceless 5xx.
    void insertBulk(int count)
    {
        const QString connection = u"bulk-insert"_s;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(m_path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            const bool inserted = query.exec(
                u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
                " INSERT INTO usage_records (time_ms, request_id, key_name, route, provider, model, status, attempt,"
                " stream, latency_ms, ttft_ms, usage_reported, prompt_tokens, completion_tokens, cached_tokens,"
                " cache_write_tokens, reasoning_tokens, cost_nano_usd, price_source, error_class, trace)"
                " SELECT %2 + i * 1000, 'req-' || i, 'key-' || (i % 4), 'route-' || (i % 5),"
                " CASE i % 3 WHEN 0 THEN 'openai' WHEN 1 THEN 'anthropic' ELSE 'groq' END, 'model-' || (i % 3),"
                " CASE WHEN i % 10 = 0 THEN 503 ELSE 200 END, 1, 0, 250, 90, 1, 1000, 200, 0, 0, 0,"
                " CASE WHEN i % 10 = 0 THEN NULL ELSE i END, '', CASE WHEN i % 10 = 0 THEN 'http_5xx' ELSE '' END,"
                " '{\"route\":\"x\"}' FROM n"_s.arg(count)
                    .arg(BaseTimeMs));
            QVERIFY2(inserted, qPrintable(query.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
    }

    QTemporaryDir m_dir;
    int m_counter = 0;
    QString m_path;
    std::unique_ptr<Ledger::Ledger> m_ledger;
};

QTEST_MAIN(TestRequestLogModel)
#include "tst_requestlogmodel.moc"
