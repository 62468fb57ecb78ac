#include "core/routing/clock.h"
#include "core/routing/randomsource.h"

#include <QTest>

using namespace Switchyard::Routing;

class TestSystemSources : public QObject
{
    Q_OBJECT

private slots:
    void clockNeverGoesBack()
    {
        const SystemClock clock;
        qint64 previous = clock.nowMs();
        for (int i = 0; i < 1000; ++i) {
            const qint64 now = clock.nowMs();
            QVERIFY(now >= previous);
            previous = now;
        }
    }

    void randomStaysInUnitInterval()
    {
        SystemRandom random;
        bool sawDifferent = false;
        const double first = random.uniform();
        for (int i = 0; i < 10000; ++i) {
            const double value = random.uniform();
            QVERIFY(value >= 0.0 && value < 1.0);
            sawDifferent = sawDifferent || value != first;
        }
        QVERIFY(sawDifferent);
    }
};

QTEST_APPLESS_MAIN(TestSystemSources)
#include "tst_systemsources.moc"
