#include "core/routing/retrydelay.h"

#include "tests/unit/routing/scriptedsources.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Switchyard::Routing;
using RoutingTest::ScriptedRandom;

namespace {
// Wed, 21 Oct 2015 07:28:00 GMT
qint64 referenceEpochMs()
{
    return QDateTime(QDate(2015, 10, 21), QTime(7, 28), QTimeZone::utc()).toMSecsSinceEpoch();
}
} // namespace

class TestRetryDelay : public QObject
{
    Q_OBJECT

private slots:
    void delay_data()
    {
        QTest::addColumn<int>("retryIndex");
        QTest::addColumn<double>("random");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("retryAfterMs");
        QTest::addColumn<qint64>("expected");
        QTest::addColumn<bool>("drawsRandom");

        // Policy: base 500 ms, cap 8000 ms.
        QTest::newRow("first retry, middle") << 0 << 0.5 << QByteArray() << QByteArray() << qint64(250) << true;
        QTest::newRow("first retry, lowest") << 0 << 0.0 << QByteArray() << QByteArray() << qint64(0) << true;
        QTest::newRow("first retry, highest") << 0 << 0.9999 << QByteArray() << QByteArray() << qint64(499) << true;
        QTest::newRow("second retry") << 1 << 0.5 << QByteArray() << QByteArray() << qint64(500) << true;
        QTest::newRow("fourth retry") << 3 << 0.5 << QByteArray() << QByteArray() << qint64(2000) << true;
        QTest::newRow("capped") << 5 << 0.5 << QByteArray() << QByteArray() << qint64(4000) << true;
        QTest::newRow("capped highest") << 5 << 0.9999 << QByteArray() << QByteArray() << qint64(7999) << true;
        QTest::newRow("huge index stays capped") << 400 << 0.25 << QByteArray() << QByteArray() << qint64(2000) << true;
        QTest::newRow("negative index as first") << -3 << 0.5 << QByteArray() << QByteArray() << qint64(250) << true;
        QTest::newRow("retry-after seconds") << 0 << 0.5 << "2"_ba << QByteArray() << qint64(2000) << false;
        QTest::newRow("retry-after fractional") << 0 << 0.5 << " 1.5 "_ba << QByteArray() << qint64(1500) << false;
        QTest::newRow("retry-after zero") << 2 << 0.5 << "0"_ba << QByteArray() << qint64(0) << false;
        QTest::newRow("retry-after 60 s is honoured") << 0 << 0.5 << "60"_ba << QByteArray() << qint64(60000) << false;
        QTest::newRow("retry-after over 60 s ignored") << 1 << 0.5 << "61"_ba << QByteArray() << qint64(500) << true;
        QTest::newRow("retry-after-ms wins") << 0 << 0.5 << "30"_ba
                                             << "412"_ba << qint64(412) << false;
        QTest::newRow("retry-after-ms alone") << 0 << 0.5 << QByteArray() << "1250.4"_ba << qint64(1250) << false;
        QTest::newRow("retry-after-ms over 60 s ignored")
            << 0 << 0.5 << QByteArray() << "60001"_ba << qint64(250) << true;
        QTest::newRow("invalid retry-after-ms falls to retry-after") << 0 << 0.5 << "3"_ba
                                                                     << "soon"_ba << qint64(3000) << false;
        QTest::newRow("http-date") << 0 << 0.5 << "Wed, 21 Oct 2015 07:28:30 GMT"_ba << QByteArray() << qint64(30000)
                                   << false;
        QTest::newRow("http-date in the past")
            << 0 << 0.5 << "Wed, 21 Oct 2015 07:27:00 GMT"_ba << QByteArray() << qint64(0) << false;
        QTest::newRow("http-date too far")
            << 0 << 0.5 << "Wed, 21 Oct 2015 07:30:00 GMT"_ba << QByteArray() << qint64(250) << true;
        QTest::newRow("garbage") << 0 << 0.5 << "later"_ba << QByteArray() << qint64(250) << true;
        QTest::newRow("negative") << 0 << 0.5 << "-5"_ba << QByteArray() << qint64(250) << true;
    }

    void delay()
    {
        QFETCH(int, retryIndex);
        QFETCH(double, random);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, retryAfterMs);
        QFETCH(qint64, expected);
        QFETCH(bool, drawsRandom);

        RetryPolicy policy;
        policy.maxRetries = 3;
        policy.baseDelayMs = 500;
        policy.maxDelayMs = 8000;
        ScriptedRandom source({random});
        QCOMPARE(
            RetryDelay::delayMs(retryIndex, policy, source, retryAfter, retryAfterMs, referenceEpochMs()), expected);
        QCOMPARE(source.consumed(), drawsRandom ? 1 : 0);
    }

    // Full jitter: every delay lies in [0, min(cap, base * 2^n)), spread over the whole range.
    void fullJitterBounds()
    {
        const RetryPolicy policy {5, 100, 1000};
        const QList<qint64> ceilings {100, 200, 400, 800, 1000, 1000};
        for (int n = 0; n < ceilings.size(); ++n) {
            for (const double u : {0.0, 0.25, 0.5, 0.75, 0.999999}) {
                ScriptedRandom source({u});
                const qint64 delay = RetryDelay::delayMs(n, policy, source, {}, {}, 0);
                QCOMPARE(delay, qint64(u * double(ceilings.at(n))));
                QVERIFY(delay >= 0 && delay < ceilings.at(n));
            }
        }
    }

    void fitsDeadline_data()
    {
        QTest::addColumn<qint64>("delay");
        QTest::addColumn<qint64>("elapsed");
        QTest::addColumn<int>("deadline");
        QTest::addColumn<bool>("fits");

        QTest::newRow("no deadline") << qint64(50000) << qint64(90000) << 0 << true;
        QTest::newRow("well inside") << qint64(500) << qint64(1000) << 5000 << true;
        QTest::newRow("just inside") << qint64(3999) << qint64(1000) << 5000 << true;
        QTest::newRow("exactly at the deadline") << qint64(4000) << qint64(1000) << 5000 << false;
        QTest::newRow("past") << qint64(4500) << qint64(1000) << 5000 << false;
        QTest::newRow("already over") << qint64(0) << qint64(6000) << 5000 << false;
    }

    void fitsDeadline()
    {
        QFETCH(qint64, delay);
        QFETCH(qint64, elapsed);
        QFETCH(int, deadline);
        QFETCH(bool, fits);
        QCOMPARE(RetryDelay::fitsDeadline(delay, elapsed, deadline), fits);
    }
};

QTEST_APPLESS_MAIN(TestRetryDelay)
#include "tst_retrydelay.moc"
