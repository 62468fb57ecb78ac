#include "core/model/money.h"
#include "core/model/result.h"

#include <QTest>

using namespace Switchyard;

class TestMoney : public QObject
{
    Q_OBJECT

private slots:
    void sumsTinyAmountsExactly()
    {
        // 1 token at $0.15 per million, a million times, is exactly $0.15.
        Money total;
        const Money perToken = Money::fromUsd(0.15e-6);
        for (int i = 0; i < 1000000; ++i) {
            total += perToken;
        }
        QCOMPARE(total, Money::fromUsd(0.15));
        QCOMPARE(total.toString(4), QStringLiteral("$0.1500"));
    }

    void resultCarriesValueOrMessage()
    {
        const Result<int> good = 7;
        QVERIFY(good.isOk());
        QCOMPARE(good.value(), 7);
        const Result<int> bad = Result<int>::failure(QStringLiteral("no such model"));
        QVERIFY(!bad);
        QCOMPARE(bad.errorMessage(), QStringLiteral("no such model"));
    }
};

QTEST_APPLESS_MAIN(TestMoney)
#include "tst_money.moc"
