#include "core/ledger/usagereport.h"

#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard::Ledger;
using Switchyard::Money;

namespace {

const QList<SpendRow> rows {
    {u"coding"_s, 12, 1, 15000, 4000, 2000, 500, Money::fromNanoUsd(123'456'789), 0, 512.4},
    {u"cheap, \"fast\""_s, 3, 0, 900, 300, 0, 0, Money::fromNanoUsd(1'500), 1, 80.0},
    {QString(), 1, 1, 0, 0, 0, 0, Money(), 1, 5.0},
};

} // namespace

class TestUsageReport : public QObject
{
    Q_OBJECT

private slots:
    void table()
    {
        const QString expected
            = u"Route          Requests  Failed  Prompt  Completion  Cached  Reasoning       Cost  Unpriced  Avg ms\n"
              "coding               12       1   15000        4000    2000        500  $0.123457         0     512\n"
              "cheap, \"fast\"         3       0     900         300       0          0  $0.000002         1      80\n"
              "(direct)              1       1       0           0       0          0    unknown         1       5\n"
              "---------------------------------------------------------------------------------------------------\n"
              "Total                16       2   15900        4300    2000        500  $0.123458         2     400\n"_s;
        QCOMPARE(UsageReport::format(rows, Grouping::Route, UsageReport::Format::Table), expected);
        QCOMPARE(UsageReport::format({}, Grouping::Model, UsageReport::Format::Table),
            u"No usage recorded in this period.\n"_s);
    }

    void csv()
    {
        const QString expected = u"route,requests,failed,prompt_tokens,completion_tokens,cached_tokens,"
                                 "reasoning_tokens,cost_usd,unpriced_requests,avg_latency_ms\r\n"
                                 "coding,12,1,15000,4000,2000,500,0.123456789,0,512.4\r\n"
                                 "\"cheap, \"\"fast\"\"\",3,0,900,300,0,0,0.000001500,1,80.0\r\n"
                                 ",1,1,0,0,0,0,0.000000000,1,5.0\r\n"_s;
        QCOMPARE(UsageReport::format(rows, Grouping::Route, UsageReport::Format::Csv), expected);
    }

    void json()
    {
        const QString expected = u"[\n"
                                 "    {\n"
                                 "        \"avgLatencyMs\": 512.4,\n"
                                 "        \"cachedTokens\": 2000,\n"
                                 "        \"completionTokens\": 4000,\n"
                                 "        \"costNanoUsd\": 123456789,\n"
                                 "        \"costUsd\": 0.123456789,\n"
                                 "        \"failed\": 1,\n"
                                 "        \"model\": \"coding\",\n"
                                 "        \"promptTokens\": 15000,\n"
                                 "        \"reasoningTokens\": 500,\n"
                                 "        \"requests\": 12,\n"
                                 "        \"unpricedRequests\": 0\n"
                                 "    },\n"
                                 "    {\n"
                                 "        \"avgLatencyMs\": 80,\n"
                                 "        \"cachedTokens\": 0,\n"
                                 "        \"completionTokens\": 300,\n"
                                 "        \"costNanoUsd\": 1500,\n"
                                 "        \"costUsd\": 1.5e-06,\n"
                                 "        \"failed\": 0,\n"
                                 "        \"model\": \"cheap, \\\"fast\\\"\",\n"
                                 "        \"promptTokens\": 900,\n"
                                 "        \"reasoningTokens\": 0,\n"
                                 "        \"requests\": 3,\n"
                                 "        \"unpricedRequests\": 1\n"
                                 "    }\n"
                                 "]\n"_s;
        QCOMPARE(UsageReport::format(rows.mid(0, 2), Grouping::Model, UsageReport::Format::Json), expected);
        QCOMPARE(UsageReport::format({}, Grouping::Key, UsageReport::Format::Json), u"[\n]\n"_s);
    }

    void parseFormat_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<UsageReport::Format>("expected");
        QTest::newRow("table") << u"table"_s << true << UsageReport::Format::Table;
        QTest::newRow("csv upper") << u"CSV"_s << true << UsageReport::Format::Csv;
        QTest::newRow("json spaced") << u" json "_s << true << UsageReport::Format::Json;
        QTest::newRow("unknown") << u"xml"_s << false << UsageReport::Format::Table;
        QTest::newRow("empty") << QString() << false << UsageReport::Format::Table;
    }

    void parseFormat()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(UsageReport::Format, expected);
        const auto format = UsageReport::parseFormat(text);
        QCOMPARE(format.isOk(), valid);
        if (valid) {
            QCOMPARE(format.value(), expected);
        } else {
            QVERIFY2(format.errorMessage().contains(u"table, csv or json"_s), qPrintable(format.errorMessage()));
        }
    }

    void parseGrouping_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<Grouping>("expected");
        QTest::newRow("provider") << u"provider"_s << true << Grouping::Provider;
        QTest::newRow("model") << u"Model"_s << true << Grouping::Model;
        QTest::newRow("route") << u"route"_s << true << Grouping::Route;
        QTest::newRow("key") << u"key"_s << true << Grouping::Key;
        QTest::newRow("unknown") << u"day"_s << false << Grouping::Provider;
    }

    void parseGrouping()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(Grouping, expected);
        const auto grouping = UsageReport::parseGrouping(text);
        QCOMPARE(grouping.isOk(), valid);
        if (valid) {
            QCOMPARE(grouping.value(), expected);
        } else {
            QVERIFY2(grouping.errorMessage().contains(u"“day”"_s), qPrintable(grouping.errorMessage()));
        }
    }

    void parseSince_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDateTime>("expected"); // invalid = must be refused
        QTest::newRow("date is local midnight") << u"2025-11-21"_s << QDateTime(QDate(2025, 11, 21), QTime(0, 0));
        QTest::newRow("utc") << u"2025-11-21T14:30:00Z"_s << QDateTime(QDate(2025, 11, 21), QTime(14, 30), Qt::UTC);
        QTest::newRow("offset") << u"2025-11-21T14:30:00+02:00"_s
                                << QDateTime(QDate(2025, 11, 21), QTime(12, 30), Qt::UTC);
        QTest::newRow("milliseconds") << u"2025-11-21T14:30:00.250Z"_s
                                      << QDateTime(QDate(2025, 11, 21), QTime(14, 30, 0, 250), Qt::UTC);
        QTest::newRow("local date-time") << u"2025-11-21T08:00"_s << QDateTime(QDate(2025, 11, 21), QTime(8, 0));
        QTest::newRow("no month 13") << u"2025-13-01"_s << QDateTime();
        QTest::newRow("words") << u"yesterday"_s << QDateTime();
        QTest::newRow("short date") << u"2025-1-2"_s << QDateTime();
        QTest::newRow("empty") << QString() << QDateTime();
    }

    void parseSince()
    {
        QFETCH(QString, text);
        QFETCH(QDateTime, expected);
        const auto since = UsageReport::parseSince(text);
        QCOMPARE(since.isOk(), expected.isValid());
        if (expected.isValid()) {
            QCOMPARE(since.value(), expected);
        } else {
            QVERIFY2(since.errorMessage().contains(u"YYYY-MM-DD"_s), qPrintable(since.errorMessage()));
        }
    }
};

QTEST_GUILESS_MAIN(TestUsageReport)
#include "tst_usagereport.moc"
