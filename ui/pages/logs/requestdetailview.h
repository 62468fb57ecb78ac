#pragma once

#include "core/ledger/usagerecord.h"

#include <QTextBrowser>

#include <optional>

namespace Switchyard::Ui {

class LedgerQueryWorker;

// The Logs page's detail pane: one ledger record's fields, and its request's routing decision
// (plan, skipped targets, every attempt and what followed it) from the trace stored with the
// request's last attempt, which is read off the GUI thread.
class RequestDetailView final : public QTextBrowser
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestDetailView)

public:
    // The worker must outlive the view.
    explicit RequestDetailView(LedgerQueryWorker *worker, QWidget *parent = nullptr);

    void showRecord(const Ledger::UsageRecord &record);
    void clearRecord();
    // The record shown, if any.
    const std::optional<Ledger::UsageRecord> &record() const { return m_record; }

private:
    enum class TraceState {
        Loading,
        Loaded,
        Failed,
    };

    void handleRecordsLoaded(quint64 ticket, const QList<Ledger::UsageRecord> &attempts);
    void handleBodiesLoaded(quint64 ticket, const std::optional<Ledger::CapturedBodies> &bodies);
    void handleQueryFailed(quint64 ticket, const QString &message);
    void render();
    void renderKeepingScroll();
    QString fieldsHtml() const;
    QString bodiesHtml() const;
    QString traceHtml() const;

    LedgerQueryWorker *m_worker = nullptr;
    std::optional<Ledger::UsageRecord> m_record;
    quint64 m_pendingTicket = 0;
    TraceState m_traceState = TraceState::Loading;
    QByteArray m_trace;
    QString m_traceError;
    quint64 m_bodiesTicket = 0;
    TraceState m_bodiesState = TraceState::Loading;
    std::optional<Ledger::CapturedBodies> m_bodies;
    QString m_bodiesError;
};

} // namespace Switchyard::Ui
