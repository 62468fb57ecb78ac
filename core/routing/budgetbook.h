#pragma once

#include "core/model/money.h"
#include "core/model/result.h"
#include "core/routing/budget.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace Switchyard::Routing {

// Spend against the workspace's budgets: admits a request only if its estimated cost fits every
// budget that applies to it (its key's, its route's, its provider's), counting what was spent in
// the current window plus what requests still in flight have reserved, so a burst of concurrent
// requests cannot overshoot a limit.
//
// Windows are calendar-aligned in the time zone of the clock's QDateTime (local time for the
// default clock) and roll over lazily: each call first starts new windows whose time has come.
// Single-threaded: use it from the thread that owns it.
class BudgetBook
{
public:
    // Wall-clock time: windows follow the calendar (unlike the router's monotonic Clock).
    using Now = std::function<QDateTime()>;

    // Spend since the start of a budget's current window, e.g. summed from the ledger at start-up.
    struct Spend
    {
        Budget::Scope scope = Budget::Scope::Key;
        QString name;
        Budget::Window window = Budget::Window::Month;
        Money spent;
    };

    // An estimate held against the budgets of one request until it is settled or released.
    struct Reservation
    {
        quint64 id = 0; // 0: not a reservation
        Money estimate;
        bool isValid() const { return id != 0; }
    };

    // Why reserve() refused, for the 429 response.
    struct Refusal
    {
        Budget budget;
        Money spent; // settled in the current window
        Money reserved; // held by requests in flight
        Money estimate; // of the refused request
        QDateTime resetsAt;
    };

    // One budget's state in its current window, e.g. for metrics.
    struct Account
    {
        Budget budget;
        QDateTime windowStart;
        QDateTime windowEnd; // = resetsAt
        Money spent; // settled
        Money reserved; // held by requests in flight
        Money remaining() const { return budget.limit - spent - reserved; }
    };

    explicit BudgetBook(Now now = &QDateTime::currentDateTime);

    // Replaces the budgets. Budgets that stay (same scope, name and window) keep their spend and
    // reservations; the others start from zero.
    void setBudgets(const QList<Budget> &budgets);
    QList<Budget> budgets() const;

    // Sets the spend of the current windows (rows naming no budget are ignored). Call it once the
    // budgets are set, before requests are admitted.
    void seed(const QList<Spend> &rows);

    // Holds `estimate` against every budget that applies (empty names match no budget). Refused
    // when any of them has no room for it left; `refusal`, if given, then says which.
    Result<Reservation> reserve(const QString &keyName, const QString &routeName, const QString &providerId,
        Money estimate, Refusal *refusal = nullptr);
    // The request finished: replaces its reservation with what it actually cost (for an unknown
    // price the caller's default charge, never zero).
    void settle(const Reservation &reservation, Money actual);
    // The request was never sent: drops its reservation.
    void release(const Reservation &reservation);

    // True when a budget of the provider has nothing left, so routes skip its targets.
    bool isProviderOverBudget(const QString &providerId) const;
    // The least room left among the budgets of that scope and name; no budget: nullopt.
    std::optional<Money> remaining(Budget::Scope scope, const QString &name) const;
    // Every budget's current window, in the order set.
    QList<Account> accounts() const;
    // The book's wall-clock time (what windows and reset times are measured against).
    QDateTime now() const { return m_now(); }

    // The window containing `at`, in at's time zone: [start, end).
    static QDateTime windowStart(Budget::Window window, const QDateTime &at);
    static QDateTime windowEnd(Budget::Window window, const QDateTime &at);

private:
    struct Entry
    {
        quint64 id = 0;
        Account account;
    };
    struct Pending
    {
        QList<quint64> entryIds;
        Money estimate;
    };

    void rollOver() const;
    Entry *entry(quint64 id);
    void finish(const Reservation &reservation, std::optional<Money> actual);

    Now m_now;
    // Windows roll over lazily, on reads too.
    mutable std::vector<Entry> m_entries;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextEntryId = 1;
    quint64 m_nextReservationId = 1;
};

} // namespace Switchyard::Routing
