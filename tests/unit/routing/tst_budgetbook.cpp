#include "core/routing/budgetbook.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Routing::Budget;
using Routing::BudgetBook;

namespace {

// Times carry a fixed UTC offset (+01:00 unless written otherwise), so window arithmetic is
// free of daylight-saving changes and of the machine's time zone: the book computes windows in
// the zone of the clock's QDateTime. One test uses a real zone with a DST change on purpose.
QDateTime at(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODate);
    Q_ASSERT(time.isValid());
    return time;
}

Money usd(double amount)
{
    return Money::fromUsd(amount);
}

Money nano(qint64 amount)
{
    return Money::fromNanoUsd(amount);
}

Budget budget(Budget::Scope scope, const QString &name, Money limit, Budget::Window window = Budget::Window::Day)
{
    Budget result;
    result.scope = scope;
    result.name = name;
    result.limit = limit;
    result.window = window;
    return result;
}

Budget keyBudget(Money limit, Budget::Window window = Budget::Window::Day)
{
    return budget(Budget::Scope::Key, u"laptop"_s, limit, window);
}

} // namespace

class TestBudgetBook : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_now = at(u"2026-11-23T15:00:00+01:00"_s); }

    void windows_data()
    {
        QTest::addColumn<int>("window");
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("start");
        QTest::addColumn<QString>("end");

        const int day = int(Budget::Window::Day);
        const int week = int(Budget::Window::Week);
        const int month = int(Budget::Window::Month);
        QTest::newRow("day afternoon") << day << u"2026-11-23T15:00:00+01:00"_s << u"2026-11-23T00:00:00+01:00"_s
                                       << u"2026-11-24T00:00:00+01:00"_s;
        QTest::newRow("day at midnight") << day << u"2026-11-24T00:00:00+01:00"_s << u"2026-11-24T00:00:00+01:00"_s
                                         << u"2026-11-25T00:00:00+01:00"_s;
        QTest::newRow("day last second") << day << u"2026-12-31T23:59:59+01:00"_s << u"2026-12-31T00:00:00+01:00"_s
                                         << u"2027-01-01T00:00:00+01:00"_s;
        QTest::newRow("day in another offset") << day << u"2026-11-23T23:30:00-05:00"_s
                                               << u"2026-11-23T00:00:00-05:00"_s << u"2026-11-24T00:00:00-05:00"_s;
        QTest::newRow("week on Monday") << week << u"2026-11-23T00:00:00+01:00"_s << u"2026-11-23T00:00:00+01:00"_s
                                        << u"2026-11-30T00:00:00+01:00"_s;
        QTest::newRow("week on Sunday night") << week << u"2026-11-29T23:59:59+01:00"_s
                                              << u"2026-11-23T00:00:00+01:00"_s << u"2026-11-30T00:00:00+01:00"_s;
        QTest::newRow("week across the year") << week << u"2026-01-01T12:00:00+01:00"_s
                                              << u"2025-12-29T00:00:00+01:00"_s << u"2026-01-05T00:00:00+01:00"_s;
        QTest::newRow("month on the 31st") << month << u"2026-01-31T18:00:00+01:00"_s << u"2026-01-01T00:00:00+01:00"_s
                                           << u"2026-02-01T00:00:00+01:00"_s;
        QTest::newRow("month leap February") << month << u"2028-02-29T23:59:59+01:00"_s
                                             << u"2028-02-01T00:00:00+01:00"_s << u"2028-03-01T00:00:00+01:00"_s;
        QTest::newRow("month February") << month << u"2026-02-28T12:00:00+01:00"_s << u"2026-02-01T00:00:00+01:00"_s
                                        << u"2026-03-01T00:00:00+01:00"_s;
        QTest::newRow("month December") << month << u"2026-12-15T12:00:00+01:00"_s << u"2026-12-01T00:00:00+01:00"_s
                                        << u"2027-01-01T00:00:00+01:00"_s;
        QTest::newRow("month on the 1st") << month << u"2026-11-01T00:00:00+01:00"_s << u"2026-11-01T00:00:00+01:00"_s
                                          << u"2026-12-01T00:00:00+01:00"_s;
    }

    void windows()
    {
        QFETCH(int, window);
        QFETCH(QString, time);
        QFETCH(QString, start);
        QFETCH(QString, end);
        const auto kind = Budget::Window(window);
        const QDateTime startTime = BudgetBook::windowStart(kind, at(time));
        const QDateTime endTime = BudgetBook::windowEnd(kind, at(time));
        QCOMPARE(startTime, at(start));
        QCOMPARE(endTime, at(end));
        // Same zone as the clock's time, so messages show the reset in the user's local time.
        QCOMPARE(startTime.offsetFromUtc(), at(time).offsetFromUtc());
        QCOMPARE(endTime.offsetFromUtc(), at(time).offsetFromUtc());
    }

    void dayWindowFollowsDaylightSavingTime()
    {
        const QTimeZone berlin("Europe/Berlin");
        if (!berlin.isValid()) {
            QSKIP("the system has no time zone data for Europe/Berlin");
        }
        // Clocks went forward at 02:00 on Sunday 2026-03-29: that day has 23 hours.
        const QDateTime noon(QDate(2026, 3, 29), QTime(12, 0), berlin);
        const QDateTime start = BudgetBook::windowStart(Budget::Window::Day, noon);
        const QDateTime end = BudgetBook::windowEnd(Budget::Window::Day, noon);
        QCOMPARE(start, QDateTime(QDate(2026, 3, 29), QTime(0, 0), berlin));
        QCOMPARE(end, QDateTime(QDate(2026, 3, 30), QTime(0, 0), berlin));
        QCOMPARE(start.secsTo(end), 23 * 3600);
        QCOMPARE(end.offsetFromUtc(), 2 * 3600);
    }

    void reserveSettleAndReleaseToTheNanoDollar_data()
    {
        QTest::addColumn<qint64>("estimate");
        QTest::addColumn<bool>("settle");
        QTest::addColumn<qint64>("actual");
        QTest::addColumn<qint64>("spent");

        QTest::newRow("settle below estimate")
            << qint64(1'234'567'891) << true << qint64(1'000'000'001) << qint64(1'000'000'001);
        QTest::newRow("settle above estimate") << qint64(1) << true << qint64(3) << qint64(3);
        QTest::newRow("settle for nothing") << qint64(500) << true << qint64(0) << qint64(0);
        QTest::newRow("release, exact fit") << qint64(4'999'999'993) << false << qint64(0) << qint64(0);
    }

    void reserveSettleAndReleaseToTheNanoDollar()
    {
        QFETCH(qint64, estimate);
        QFETCH(bool, settle);
        QFETCH(qint64, actual);
        QFETCH(qint64, spent);

        BudgetBook book = makeBook();
        const Money limit = usd(5.00);
        book.setBudgets({keyBudget(limit)});
        book.seed({{Budget::Scope::Key, u"laptop"_s, Budget::Window::Day, nano(7)}});

        const Result<BudgetBook::Reservation> reservation
            = book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, nano(estimate));
        QVERIFY2(reservation.isOk(), qPrintable(reservation.errorMessage()));
        QVERIFY(reservation->isValid());
        QCOMPARE(reservation->estimate, nano(estimate));
        QCOMPARE(book.accounts().at(0).reserved, nano(estimate));
        QCOMPARE(book.accounts().at(0).spent, nano(7));
        QCOMPARE(book.remaining(Budget::Scope::Key, u"laptop"_s), limit - nano(7) - nano(estimate));

        if (settle) {
            book.settle(reservation.value(), nano(actual));
        } else {
            book.release(reservation.value());
        }
        QCOMPARE(book.accounts().at(0).reserved, Money());
        QCOMPARE(book.accounts().at(0).spent, nano(7) + nano(spent));
        QCOMPARE(book.remaining(Budget::Scope::Key, u"laptop"_s), limit - nano(7) - nano(spent));

        // A second settle of the same reservation must not charge twice.
        QTest::ignoreMessage(QtWarningMsg, "reservation 1 is not held (already settled or released)");
        book.settle(reservation.value(), nano(actual));
        QCOMPARE(book.accounts().at(0).spent, nano(7) + nano(spent));
    }

    void burstStopsExactlyAtTheLimit_data()
    {
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qint64>("estimate");
        QTest::addColumn<int>("admitted");

        QTest::newRow("$1.00 by $0.30") << usd(1.00).nanoUsd() << usd(0.30).nanoUsd() << 3;
        QTest::newRow("$5.00 by $1.00, exact fit") << usd(5.00).nanoUsd() << usd(1.00).nanoUsd() << 5;
        QTest::newRow("10 nano by 3 nano") << qint64(10) << qint64(3) << 3;
        QTest::newRow("estimate over the limit") << usd(1.00).nanoUsd() << usd(1.01).nanoUsd() << 0;
        QTest::newRow("zero limit") << qint64(0) << qint64(1) << 0;
    }

    void burstStopsExactlyAtTheLimit()
    {
        QFETCH(qint64, limit);
        QFETCH(qint64, estimate);
        QFETCH(int, admitted);

        BudgetBook book = makeBook();
        book.setBudgets({keyBudget(nano(limit))});
        // None of them has finished when the next one arrives.
        QList<BudgetBook::Reservation> held;
        for (int i = 0; i < 10; ++i) {
            const Result<BudgetBook::Reservation> reservation
                = book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, nano(estimate));
            if (reservation) {
                held.append(reservation.value());
            }
        }
        QCOMPARE(held.size(), admitted);
        QVERIFY(book.accounts().at(0).reserved <= nano(limit));
        QCOMPARE(book.accounts().at(0).reserved, nano(estimate * admitted));

        // Finishing one makes room for exactly one more.
        if (!held.isEmpty()) {
            book.release(held.takeFirst());
            QVERIFY(book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, nano(estimate)).isOk());
            QVERIFY(!book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, nano(estimate)).isOk());
        }
    }

    void refusalSaysWhichBudgetAndWhenItResets_data()
    {
        QTest::addColumn<Budget>("budget");
        QTest::addColumn<Money>("spent");
        QTest::addColumn<Money>("estimate");
        QTest::addColumn<QString>("resetsAt");
        QTest::addColumn<QString>("message");

        QTest::newRow("key used up") << keyBudget(usd(5.00)) << usd(5.00) << usd(0.01) << u"2026-11-24T00:00:00+01:00"_s
                                     << u"Budget for key \"laptop\" is used up: $5.00 of $5.00 this day; it resets at "
                                        "2026-11-24 00:00 (local time)."_s;
        QTest::newRow("key overspent") << keyBudget(usd(5.00)) << usd(5.0312) << Money()
                                       << u"2026-11-24T00:00:00+01:00"_s
                                       << u"Budget for key \"laptop\" is used up: $5.0312 of $5.00 this day; it resets "
                                          "at 2026-11-24 00:00 (local time)."_s;
        QTest::newRow("route week, not enough left")
            << budget(Budget::Scope::Route, u"smart"_s, usd(20.00), Budget::Window::Week) << usd(19.996) << usd(0.05)
            << u"2026-11-30T00:00:00+01:00"_s
            << u"Budget for route \"smart\" has $0.004 left of $20.00 this week, less than this request's estimated "
               "cost of $0.05; it resets at 2026-11-30 00:00 (local time)."_s;
        QTest::newRow("provider month") << budget(Budget::Scope::Provider, u"openai"_s, usd(100), Budget::Window::Month)
                                        << usd(100) << usd(0.000001) << u"2026-12-01T00:00:00+01:00"_s
                                        << u"Budget for provider \"openai\" is used up: $100.00 of $100.00 this "
                                           "month; it resets at 2026-12-01 00:00 (local time)."_s;
    }

    void refusalSaysWhichBudgetAndWhenItResets()
    {
        QFETCH(Budget, budget);
        QFETCH(Money, spent);
        QFETCH(Money, estimate);
        QFETCH(QString, resetsAt);
        QFETCH(QString, message);

        BudgetBook book = makeBook();
        const Budget unrelated = Routing::Budget {Budget::Scope::Key, u"ci"_s, Money(), Budget::Window::Day};
        book.setBudgets({unrelated, budget});
        book.seed({{budget.scope, budget.name, budget.window, spent}});

        BudgetBook::Refusal refusal;
        const Result<BudgetBook::Reservation> reservation
            = book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, estimate, &refusal);
        QVERIFY(!reservation);
        QCOMPARE(reservation.errorMessage(), message);
        QCOMPARE(refusal.budget, budget);
        QCOMPARE(refusal.spent, spent);
        QCOMPARE(refusal.reserved, Money());
        QCOMPARE(refusal.estimate, estimate);
        QCOMPARE(refusal.resetsAt, at(resetsAt));
        // Nothing was held for the refused request.
        QCOMPARE(book.accounts().at(1).reserved, Money());
    }

    void everyApplicableBudgetMustHaveRoom()
    {
        BudgetBook book = makeBook();
        book.setBudgets({keyBudget(usd(10)), budget(Budget::Scope::Route, u"smart"_s, usd(1)),
            budget(Budget::Scope::Provider, u"groq"_s, usd(1))});

        const Result<BudgetBook::Reservation> first = book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, usd(0.75));
        QVERIFY(first.isOk());
        // The route's budget refuses though the key has room.
        BudgetBook::Refusal refusal;
        QVERIFY(!book.reserve(u"laptop"_s, u"smart"_s, u"openai"_s, usd(0.5), &refusal).isOk());
        QCOMPARE(refusal.budget.scope, Budget::Scope::Route);
        QCOMPARE(refusal.reserved, usd(0.75));
        // Another route on another provider is held only against the key.
        QVERIFY(book.reserve(u"laptop"_s, u"cheap"_s, u"openai"_s, usd(0.5)).isOk());
        QCOMPARE(book.accounts().at(0).reserved, usd(1.25));
        QCOMPARE(book.accounts().at(1).reserved, usd(0.75));
        QCOMPARE(book.accounts().at(2).reserved, Money());
        // Requests without a key, route or provider name are held against no budget of that scope.
        QVERIFY(book.reserve(QString(), QString(), QString(), usd(100)).isOk());
        QCOMPARE(book.accounts().at(0).reserved, usd(1.25));
    }

    void windowsRollOverLazily_data()
    {
        QTest::addColumn<int>("window");
        QTest::addColumn<QString>("lastMoment");
        QTest::addColumn<QString>("reset");

        QTest::newRow("day") << int(Budget::Window::Day) << u"2026-11-23T23:59:59.999+01:00"_s
                             << u"2026-11-24T00:00:00+01:00"_s;
        QTest::newRow("week") << int(Budget::Window::Week) << u"2026-11-29T23:59:59.999+01:00"_s
                              << u"2026-11-30T00:00:00+01:00"_s;
        QTest::newRow("month") << int(Budget::Window::Month) << u"2026-11-30T23:59:59.999+01:00"_s
                               << u"2026-12-01T00:00:00+01:00"_s;
    }

    void windowsRollOverLazily()
    {
        QFETCH(int, window);
        QFETCH(QString, lastMoment);
        QFETCH(QString, reset);

        BudgetBook book = makeBook();
        book.setBudgets({keyBudget(usd(1), Budget::Window(window))});
        book.seed({{Budget::Scope::Key, u"laptop"_s, Budget::Window(window), usd(0.5)}});
        const Result<BudgetBook::Reservation> inFlight = book.reserve(u"laptop"_s, QString(), QString(), usd(0.5));
        QVERIFY(inFlight.isOk());

        m_now = at(lastMoment);
        QVERIFY(!book.reserve(u"laptop"_s, QString(), QString(), nano(1)).isOk());
        QCOMPARE(book.accounts().at(0).windowEnd, at(reset));

        // Much later than the boundary, as after a quiet night: the window is the one containing now.
        m_now = at(reset).addSecs(3600);
        const BudgetBook::Account account = book.accounts().at(0);
        QCOMPARE(account.windowStart, at(reset));
        QCOMPARE(account.spent, Money());
        // The request in flight across the boundary still holds its estimate, then is charged to
        // the new window.
        QCOMPARE(account.reserved, usd(0.5));
        QCOMPARE(book.remaining(Budget::Scope::Key, u"laptop"_s), usd(0.5));
        book.settle(inFlight.value(), usd(0.25));
        QCOMPARE(book.accounts().at(0).spent, usd(0.25));
        QCOMPARE(book.accounts().at(0).reserved, Money());
        QVERIFY(book.reserve(u"laptop"_s, QString(), QString(), usd(0.75)).isOk());
    }

    void providerOverBudget()
    {
        BudgetBook book = makeBook();
        book.setBudgets(
            {budget(Budget::Scope::Provider, u"openai"_s, usd(1)), budget(Budget::Scope::Route, u"groq"_s, usd(0))});
        QVERIFY(!book.isProviderOverBudget(u"openai"_s));
        // A route budget of the same name is not a provider budget.
        QVERIFY(!book.isProviderOverBudget(u"groq"_s));

        const Result<BudgetBook::Reservation> reservation = book.reserve(QString(), QString(), u"openai"_s, usd(1));
        QVERIFY(reservation.isOk());
        QVERIFY(book.isProviderOverBudget(u"openai"_s)); // what is in flight counts
        book.release(reservation.value());
        QVERIFY(!book.isProviderOverBudget(u"openai"_s));

        const Result<BudgetBook::Reservation> second = book.reserve(QString(), QString(), u"openai"_s, usd(0.5));
        QVERIFY(second.isOk());
        book.settle(second.value(), usd(1.2));
        QVERIFY(book.isProviderOverBudget(u"openai"_s));
        QCOMPARE(book.remaining(Budget::Scope::Provider, u"openai"_s), usd(-0.2));

        m_now = at(u"2026-11-24T00:00:00+01:00"_s);
        QVERIFY(!book.isProviderOverBudget(u"openai"_s));
    }

    void remainingIsTheLeastOfTheWindows()
    {
        BudgetBook book = makeBook();
        book.setBudgets({keyBudget(usd(5), Budget::Window::Day), keyBudget(usd(50), Budget::Window::Month)});
        book.seed({{Budget::Scope::Key, u"laptop"_s, Budget::Window::Day, usd(1)},
            {Budget::Scope::Key, u"laptop"_s, Budget::Window::Month, usd(48)},
            {Budget::Scope::Key, u"nobody"_s, Budget::Window::Month, usd(48)}});
        QCOMPARE(book.remaining(Budget::Scope::Key, u"laptop"_s), usd(2));
        QCOMPARE(book.remaining(Budget::Scope::Key, u"nobody"_s), std::nullopt);

        BudgetBook::Refusal refusal;
        QVERIFY(!book.reserve(u"laptop"_s, QString(), QString(), usd(3), &refusal).isOk());
        QCOMPARE(refusal.budget.window, Budget::Window::Month);
    }

    void changingBudgetsKeepsWhatStays()
    {
        BudgetBook book = makeBook();
        const Budget route = budget(Budget::Scope::Route, u"smart"_s, usd(1));
        book.setBudgets({keyBudget(usd(5)), route});
        book.seed({{Budget::Scope::Key, u"laptop"_s, Budget::Window::Day, usd(4)}});
        const Result<BudgetBook::Reservation> inFlight = book.reserve(u"laptop"_s, u"smart"_s, QString(), usd(0.5));
        QVERIFY(inFlight.isOk());

        // The key's limit is raised, the route's budget removed and a provider budget added.
        const Budget provider = budget(Budget::Scope::Provider, u"openai"_s, usd(2));
        book.setBudgets({keyBudget(usd(6)), provider});
        QCOMPARE(book.budgets(), (QList<Budget> {keyBudget(usd(6)), provider}));
        QCOMPARE(book.accounts().at(0).spent, usd(4));
        QCOMPARE(book.accounts().at(0).reserved, usd(0.5));
        QCOMPARE(book.remaining(Budget::Scope::Key, u"laptop"_s), usd(1.5));

        // Settling touches only the budgets it was held against that still exist.
        book.settle(inFlight.value(), usd(0.5));
        QCOMPARE(book.accounts().at(0).spent, usd(4.5));
        QCOMPARE(book.accounts().at(0).reserved, Money());
        QCOMPARE(book.accounts().at(1).spent, Money());
        QCOMPARE(book.accounts().at(1).reserved, Money());
    }

private:
    BudgetBook makeBook()
    {
        return BudgetBook([this] { return m_now; });
    }

    QDateTime m_now;
};

QTEST_GUILESS_MAIN(TestBudgetBook)
#include "tst_budgetbook.moc"
