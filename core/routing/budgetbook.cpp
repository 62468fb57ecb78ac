#include "core/routing/budgetbook.h"

#include "core/routing/routingtr.h"

#include <QLoggingCategory>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

Q_LOGGING_CATEGORY(lcBudgetBook, "switchyard.routing.budgetbook")

// Midnight at the start of `date` in the time zone of `like`. QDate::startOfDay also copes with
// a day whose midnight a DST change skips.
QDateTime startOfDay(const QDate &date, const QDateTime &like)
{
    switch (like.timeSpec()) {
    case Qt::TimeZone:
        return date.startOfDay(like.timeZone());
    case Qt::OffsetFromUTC:
        return date.startOfDay(Qt::OffsetFromUTC, like.offsetFromUtc());
    case Qt::UTC:
        return date.startOfDay(Qt::UTC);
    case Qt::LocalTime:
        break;
    }
    return date.startOfDay(Qt::LocalTime);
}

QDate firstDay(Budget::Window window, const QDate &date)
{
    switch (window) {
    case Budget::Window::Day:
        return date;
    case Budget::Window::Week:
        return date.addDays(1 - date.dayOfWeek());
    case Budget::Window::Month:
        break;
    }
    return QDate(date.year(), date.month(), 1);
}

QDate nextFirstDay(Budget::Window window, const QDate &first)
{
    switch (window) {
    case Budget::Window::Day:
        return first.addDays(1);
    case Budget::Window::Week:
        return first.addDays(7);
    case Budget::Window::Month:
        break;
    }
    return first.addMonths(1);
}

bool applies(const Budget &budget, const QString &keyName, const QString &routeName, const QString &providerId)
{
    if (budget.name.isEmpty()) {
        return false;
    }
    switch (budget.scope) {
    case Budget::Scope::Key:
        return budget.name == keyName;
    case Budget::Scope::Route:
        return budget.name == routeName;
    case Budget::Scope::Provider:
        break;
    }
    return budget.name == providerId;
}

bool sameBudget(const Budget &a, const Budget &b)
{
    return a.scope == b.scope && a.name == b.name && a.window == b.window;
}

// Cents when the amount is whole cents ("$5.00"), otherwise as many decimals as it needs
// ("$4.996"), so a person sees why a nearly full budget refused.
QString formatUsd(Money amount)
{
    constexpr qint64 NanoPerCent = 10'000'000;
    if (amount.nanoUsd() % NanoPerCent == 0) {
        return amount.toString(2);
    }
    QString text = amount.toString(9);
    while (text.endsWith(u'0')) {
        text.chop(1);
    }
    return text;
}

QString describe(const Budget &budget)
{
    switch (budget.scope) {
    case Budget::Scope::Key:
        return Tr::tr("key \"%1\"").arg(budget.name);
    case Budget::Scope::Route:
        return Tr::tr("route \"%1\"").arg(budget.name);
    case Budget::Scope::Provider:
        break;
    }
    return Tr::tr("provider \"%1\"").arg(budget.name);
}

QString describe(Budget::Window window)
{
    switch (window) {
    case Budget::Window::Day:
        return Tr::tr("this day");
    case Budget::Window::Week:
        return Tr::tr("this week");
    case Budget::Window::Month:
        break;
    }
    return Tr::tr("this month");
}

QString refusalMessage(const BudgetBook::Refusal &refusal)
{
    const Money used = refusal.spent + refusal.reserved;
    const QString resetsAt = refusal.resetsAt.toString(u"yyyy-MM-dd HH:mm"_s);
    if (used >= refusal.budget.limit) {
        return Tr::tr("Budget for %1 is used up: %2 of %3 %4; it resets at %5 (local time).")
            .arg(describe(refusal.budget), formatUsd(used), formatUsd(refusal.budget.limit),
                describe(refusal.budget.window), resetsAt);
    }
    return Tr::tr("Budget for %1 has %2 left of %3 %4, less than this request's estimated cost of %5; it resets "
                  "at %6 (local time).")
        .arg(describe(refusal.budget), formatUsd(refusal.budget.limit - used), formatUsd(refusal.budget.limit),
            describe(refusal.budget.window), formatUsd(refusal.estimate), resetsAt);
}

} // namespace

BudgetBook::BudgetBook(Now now)
    : m_now(std::move(now))
{
}

void BudgetBook::setBudgets(const QList<Budget> &budgets)
{
    rollOver();
    const QDateTime now = m_now();
    std::vector<Entry> entries;
    entries.reserve(size_t(budgets.size()));
    for (const Budget &budget : budgets) {
        const auto kept = std::find_if(m_entries.begin(), m_entries.end(),
            [&budget](const Entry &entry) { return sameBudget(entry.account.budget, budget); });
        if (kept != m_entries.end()) {
            Entry entry = *kept;
            entry.account.budget = budget;
            entries.push_back(entry);
            continue;
        }
        Entry entry;
        entry.id = m_nextEntryId++;
        entry.account.budget = budget;
        entry.account.windowStart = windowStart(budget.window, now);
        entry.account.windowEnd = windowEnd(budget.window, now);
        entries.push_back(entry);
    }
    m_entries = std::move(entries);
}

QList<Budget> BudgetBook::budgets() const
{
    QList<Budget> result;
    result.reserve(qsizetype(m_entries.size()));
    for (const Entry &entry : m_entries) {
        result.append(entry.account.budget);
    }
    return result;
}

void BudgetBook::seed(const QList<Spend> &rows)
{
    rollOver();
    for (const Spend &row : rows) {
        for (Entry &entry : m_entries) {
            const Budget &budget = entry.account.budget;
            if (budget.scope == row.scope && budget.name == row.name && budget.window == row.window) {
                entry.account.spent = row.spent;
            }
        }
    }
}

Result<BudgetBook::Reservation> BudgetBook::reserve(
    const QString &keyName, const QString &routeName, const QString &providerId, Money estimate, Refusal *refusal)
{
    rollOver();
    estimate = std::max(estimate, Money());
    QList<quint64> entryIds;
    for (const Entry &entry : m_entries) {
        const Account &account = entry.account;
        if (!applies(account.budget, keyName, routeName, providerId)) {
            continue;
        }
        const Money used = account.spent + account.reserved;
        if (used >= account.budget.limit || used + estimate > account.budget.limit) {
            const Refusal refused {account.budget, account.spent, account.reserved, estimate, account.windowEnd};
            if (refusal) {
                *refusal = refused;
            }
            return Result<Reservation>::failure(refusalMessage(refused));
        }
        entryIds.append(entry.id);
    }
    for (Entry &entry : m_entries) {
        if (entryIds.contains(entry.id)) {
            entry.account.reserved += estimate;
        }
    }
    const Reservation reservation {m_nextReservationId++, estimate};
    m_pending.insert(reservation.id, Pending {entryIds, estimate});
    return reservation;
}

void BudgetBook::settle(const Reservation &reservation, Money actual)
{
    finish(reservation, actual);
}

void BudgetBook::release(const Reservation &reservation)
{
    finish(reservation, std::nullopt);
}

void BudgetBook::finish(const Reservation &reservation, std::optional<Money> actual)
{
    rollOver();
    const auto pending = m_pending.constFind(reservation.id);
    if (pending == m_pending.constEnd()) {
        // A double settle would otherwise count the cost twice.
        qCWarning(lcBudgetBook) << "reservation" << reservation.id << "is not held (already settled or released)";
        return;
    }
    for (const quint64 id : pending->entryIds) {
        // Budgets removed since the reservation are gone, and so is what was held against them.
        if (Entry *held = entry(id)) {
            held->account.reserved -= pending->estimate;
            if (actual) {
                held->account.spent += *actual;
            }
        }
    }
    m_pending.erase(pending);
}

bool BudgetBook::isProviderOverBudget(const QString &providerId) const
{
    rollOver();
    return std::any_of(m_entries.cbegin(), m_entries.cend(), [&providerId](const Entry &entry) {
        const Account &account = entry.account;
        return account.budget.scope == Budget::Scope::Provider && account.budget.name == providerId
            && account.spent + account.reserved >= account.budget.limit;
    });
}

std::optional<Money> BudgetBook::remaining(Budget::Scope scope, const QString &name) const
{
    rollOver();
    std::optional<Money> least;
    for (const Entry &entry : m_entries) {
        if (entry.account.budget.scope == scope && entry.account.budget.name == name) {
            least = least ? std::min(*least, entry.account.remaining()) : entry.account.remaining();
        }
    }
    return least;
}

QList<BudgetBook::Account> BudgetBook::accounts() const
{
    rollOver();
    QList<Account> result;
    result.reserve(qsizetype(m_entries.size()));
    for (const Entry &entry : m_entries) {
        result.append(entry.account);
    }
    return result;
}

QDateTime BudgetBook::windowStart(Budget::Window window, const QDateTime &at)
{
    return startOfDay(firstDay(window, at.date()), at);
}

QDateTime BudgetBook::windowEnd(Budget::Window window, const QDateTime &at)
{
    return startOfDay(nextFirstDay(window, firstDay(window, at.date())), at);
}

void BudgetBook::rollOver() const
{
    // Reading local time costs a stat() of the time zone file in glibc: skip it on the request
    // path when there is no budget to roll over.
    if (m_entries.empty()) {
        return;
    }
    const QDateTime now = m_now();
    for (Entry &entry : m_entries) {
        Account &account = entry.account;
        if (now >= account.windowEnd) {
            account.windowStart = windowStart(account.budget.window, now);
            account.windowEnd = windowEnd(account.budget.window, now);
            // Requests in flight across the boundary keep their reservation and are charged to the
            // new window when they settle.
            account.spent = Money();
        }
    }
}

BudgetBook::Entry *BudgetBook::entry(quint64 id)
{
    const auto found
        = std::find_if(m_entries.begin(), m_entries.end(), [id](const Entry &candidate) { return candidate.id == id; });
    return found == m_entries.end() ? nullptr : &*found;
}

} // namespace Switchyard::Routing
