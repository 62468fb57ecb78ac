#include "ui/widgets/todayspendlabel.h"

#include "core/ledger/ledger.h"
#include "ui/models/ledgerqueryworker.h"

#include <QDate>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

TodaySpendLabel::TodaySpendLabel(Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent)
    : QLabel(parent)
    , m_worker(new LedgerQueryWorker(ledgerPath, this))
{
    setObjectName(u"todaySpendLabel"_s);
    setText(tr("Today: …"));
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(RefreshDelayMs);
    m_midnightTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TodaySpendLabel::refresh);
    connect(&m_midnightTimer, &QTimer::timeout, this, [this] {
        refresh();
        scheduleMidnight();
    });
    connect(ledger, &Ledger::Ledger::recordsAppended, this, &TodaySpendLabel::scheduleRefresh);
    connect(m_worker, &LedgerQueryWorker::spendLoaded, this, &TodaySpendLabel::handleSpendLoaded);
    connect(m_worker, &LedgerQueryWorker::queryFailed, this, &TodaySpendLabel::handleQueryFailed);
    refresh();
    scheduleMidnight();
}

void TodaySpendLabel::refresh()
{
    m_refreshTimer.stop();
    m_pendingTicket = m_worker->querySpend(Ledger::Grouping::Provider, QDate::currentDate().startOfDay());
}

void TodaySpendLabel::scheduleRefresh()
{
    if (!m_refreshTimer.isActive()) {
        m_refreshTimer.start();
    }
}

void TodaySpendLabel::scheduleMidnight()
{
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime midnight = now.date().addDays(1).startOfDay();
    // A second late, so the new day has surely begun; QTimer takes an int.
    m_midnightTimer.start(int(std::min<qint64>(now.msecsTo(midnight) + 1000, 24 * 3600 * 1000)));
}

void TodaySpendLabel::handleSpendLoaded(quint64 ticket, const QList<Ledger::SpendRow> &rows)
{
    if (ticket != m_pendingTicket) {
        return;
    }
    m_pendingTicket = 0;
    Money cost;
    qint64 unpriced = 0;
    for (const Ledger::SpendRow &row : rows) {
        cost += row.cost;
        unpriced += row.unpricedRequests;
    }
    // Sub-cent days keep their digits, so a small spend never reads as $0.
    const int decimals = cost.isZero() || cost >= Money::fromUsd(1) ? 2 : cost >= Money::fromUsd(0.01) ? 4 : 6;
    setText(unpriced == 0 ? tr("Today: %1").arg(cost.toString(decimals))
                          : tr("Today: %1 + %n unpriced", nullptr, int(unpriced)).arg(cost.toString(decimals)));
    setToolTip(tr("Spend recorded in the usage ledger since midnight, local time. Requests to models without a "
                  "known price are counted apart, never as $0."));
}

void TodaySpendLabel::handleQueryFailed(quint64 ticket, const QString &message)
{
    if (ticket != m_pendingTicket) {
        return;
    }
    m_pendingTicket = 0;
    setText(tr("Today: unknown"));
    setToolTip(tr("Today's spend cannot be read: %1").arg(message));
}

} // namespace Switchyard::Ui
