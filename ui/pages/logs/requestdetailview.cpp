#include "ui/pages/logs/requestdetailview.h"

#include "ui/models/ledgerqueryworker.h"
#include "ui/models/requestlogmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QScrollBar>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

// A request falls over a handful of times at most; this only bounds a corrupt ledger.
constexpr int MaxAttempts = 100;

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString row(const QString &label, const QString &valueHtml)
{
    return u"<tr><td style=\"padding-right: 12px\"><b>"_s + escaped(label) + u"</b></td><td>"_s + valueHtml
        + u"</td></tr>"_s;
}

QString milliseconds(qint64 ms)
{
    return RequestDetailView::tr("%1 ms").arg(QLocale().toString(ms));
}

QString strategyText(const QString &key)
{
    if (key == "fallback"_L1) {
        return RequestDetailView::tr("fallback (targets in the order written)");
    }
    if (key == "weighted"_L1) {
        return RequestDetailView::tr("weighted (random by weight)");
    }
    if (key == "lowest_latency"_L1) {
        return RequestDetailView::tr("lowest latency");
    }
    if (key == "lowest_cost"_L1) {
        return RequestDetailView::tr("lowest cost");
    }
    if (key == "least_busy"_L1) {
        return RequestDetailView::tr("least busy");
    }
    return key;
}

QString skipText(const QString &key)
{
    if (key == "breaker_open"_L1) {
        return RequestDetailView::tr("circuit breaker open");
    }
    if (key == "context_window"_L1) {
        return RequestDetailView::tr("prompt larger than the model's context window");
    }
    if (key == "nested_route"_L1) {
        return RequestDetailView::tr("nested route undefined, cyclic or nested too deep");
    }
    if (key == "over_budget"_L1) {
        return RequestDetailView::tr("provider over budget");
    }
    if (key == "rate_limited"_L1) {
        return RequestDetailView::tr("over its rate limit");
    }
    return key;
}

QString transportText(const QString &key)
{
    if (key == "connect"_L1) {
        return RequestDetailView::tr("could not connect");
    }
    if (key == "timeout"_L1) {
        return RequestDetailView::tr("timed out");
    }
    if (key == "ttft_timeout"_L1) {
        return RequestDetailView::tr("no first token in time");
    }
    if (key == "reset"_L1) {
        return RequestDetailView::tr("connection broke");
    }
    if (key == "invalid_response"_L1) {
        return RequestDetailView::tr("invalid response");
    }
    return key;
}

QString nextText(const QJsonObject &attempt)
{
    const QString next = attempt.value(u"next"_s).toString();
    if (next == "answered"_L1) {
        return RequestDetailView::tr("answered the client");
    }
    if (next == "retry"_L1) {
        return RequestDetailView::tr("retried the same target after %1")
            .arg(milliseconds(attempt.value(u"delayMs"_s).toInteger()));
    }
    if (next == "fallback"_L1) {
        return RequestDetailView::tr("fell back to the next target");
    }
    if (next == "exhausted"_L1) {
        return RequestDetailView::tr("no target or time left: the error went to the client");
    }
    return next;
}

QString outcomeText(const QJsonObject &attempt)
{
    QStringList parts;
    const int status = attempt.value(u"status"_s).toInt();
    if (const QString transport = attempt.value(u"transport"_s).toString(); !transport.isEmpty()) {
        parts.append(transportText(transport));
    }
    parts.append(status > 0 ? RequestDetailView::tr("HTTP %1").arg(status) : RequestDetailView::tr("no response"));
    for (const QString &key : {u"errorType"_s, u"errorCode"_s}) {
        if (const QString value = attempt.value(key).toString(); !value.isEmpty()) {
            parts.append(value);
        }
    }
    if (const qint64 latency = attempt.value(u"latencyMs"_s).toInteger(-1); latency >= 0) {
        parts.append(RequestDetailView::tr("after %1").arg(milliseconds(latency)));
    }
    if (const QString condition = attempt.value(u"condition"_s).toString(); !condition.isEmpty()) {
        parts.append(RequestDetailView::tr("counts as %1").arg(condition));
    }
    return parts.join(u", "_s);
}

} // namespace

RequestDetailView::RequestDetailView(LedgerQueryWorker *worker, QWidget *parent)
    : QTextBrowser(parent)
    , m_worker(worker)
{
    setOpenLinks(false);
    connect(m_worker, &LedgerQueryWorker::recordsLoaded, this, &RequestDetailView::handleRecordsLoaded);
    connect(m_worker, &LedgerQueryWorker::capturedBodiesLoaded, this, &RequestDetailView::handleBodiesLoaded);
    connect(m_worker, &LedgerQueryWorker::queryFailed, this, &RequestDetailView::handleQueryFailed);
    clearRecord();
}

void RequestDetailView::showRecord(const Ledger::UsageRecord &record)
{
    m_record = record;
    m_trace.clear();
    m_traceError.clear();
    m_pendingTicket = 0;
    m_bodies.reset();
    m_bodiesError.clear();
    m_bodiesTicket = 0;
    if (record.requestId.isEmpty()) {
        m_traceState = TraceState::Loaded;
        m_bodiesState = TraceState::Loaded;
    } else {
        m_bodiesState = TraceState::Loading;
        m_bodiesTicket = m_worker->queryCapturedBodies(record.requestId);
        // The trace is stored with the request's last attempt, which may be another record.
        Ledger::LedgerReader::RecordFilter filter;
        filter.requestId = record.requestId;
        m_traceState = TraceState::Loading;
        m_pendingTicket = m_worker->queryRecords(filter, MaxAttempts);
    }
    render();
}

void RequestDetailView::clearRecord()
{
    m_record.reset();
    m_pendingTicket = 0;
    m_bodiesTicket = 0;
    setHtml(u"<p><i>"_s + escaped(tr("Select a request to see its details and routing decision.")) + u"</i></p>"_s);
}

void RequestDetailView::handleRecordsLoaded(quint64 ticket, const QList<Ledger::UsageRecord> &attempts)
{
    if (ticket != m_pendingTicket) {
        return;
    }
    m_pendingTicket = 0;
    m_traceState = TraceState::Loaded;
    // Newest first: the last attempt's record carries the trace.
    for (const Ledger::UsageRecord &attempt : attempts) {
        if (!attempt.trace.isEmpty()) {
            m_trace = attempt.trace;
            break;
        }
    }
    renderKeepingScroll();
}

void RequestDetailView::handleBodiesLoaded(quint64 ticket, const std::optional<Ledger::CapturedBodies> &bodies)
{
    if (ticket != m_bodiesTicket) {
        return;
    }
    m_bodiesTicket = 0;
    m_bodiesState = TraceState::Loaded;
    m_bodies = bodies;
    renderKeepingScroll();
}

void RequestDetailView::handleQueryFailed(quint64 ticket, const QString &message)
{
    if (ticket == m_bodiesTicket) {
        m_bodiesTicket = 0;
        m_bodiesState = TraceState::Failed;
        m_bodiesError = message;
        renderKeepingScroll();
        return;
    }
    if (ticket != m_pendingTicket) {
        return;
    }
    m_pendingTicket = 0;
    m_traceState = TraceState::Failed;
    m_traceError = message;
    render();
}

void RequestDetailView::renderKeepingScroll()
{
    const int scroll = verticalScrollBar()->value();
    render();
    verticalScrollBar()->setValue(scroll);
}

void RequestDetailView::render()
{
    if (!m_record) {
        return;
    }
    // Side by side, so the routing decision is in view without scrolling past the fields.
    setHtml(u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\"><tr><td valign=\"top\">"_s + fieldsHtml()
        + u"<h3>"_s + escaped(tr("Request and Response Bodies")) + u"</h3>"_s + bodiesHtml()
        + u"</td><td width=\"24\"></td><td valign=\"top\" width=\"58%\">"_s + traceHtml() + u"</td></tr></table>"_s);
}

QString RequestDetailView::bodiesHtml() const
{
    const auto paragraph = [](const QString &text) -> QString { return u"<p>"_s + escaped(text) + u"</p>"_s; };
    switch (m_bodiesState) {
    case TraceState::Loading:
        return paragraph(tr("Loading…"));
    case TraceState::Failed:
        return paragraph(tr("The bodies could not be read: %1").arg(m_bodiesError));
    case TraceState::Loaded:
        break;
    }
    if (!m_bodies) {
        return paragraph(tr("Not stored for this request. With body capture off (the default, switched on the "
                            "Gateway page) the ledger keeps each request's usage, timing, cost and routing, never "
                            "the prompt or the answer."));
    }
    // JSON bodies indented; a stream's frames and anything else as received.
    const auto block = [](const QByteArray &body) -> QString {
        const QJsonDocument json = QJsonDocument::fromJson(body);
        const QByteArray shown = json.isNull() ? body : json.toJson(QJsonDocument::Indented);
        return u"<pre>"_s + escaped(QString::fromUtf8(shown)) + u"</pre>"_s;
    };
    QString html = u"<p><b>"_s + escaped(tr("Request")) + u"</b></p>"_s + block(m_bodies->request) + u"<p><b>"_s
        + escaped(tr("Response")) + u"</b></p>"_s
        + (m_bodies->response.isEmpty() ? paragraph(tr("Nothing was sent back.")) : block(m_bodies->response));
    if (m_bodies->truncated) {
        html += paragraph(tr("Cut at %1 KiB per body.").arg(Ledger::CapturedBodies::limitBytes / 1024));
    }
    return html;
}

QString RequestDetailView::fieldsHtml() const
{
    using Column = RequestLogModel::Column;
    const Ledger::UsageRecord &record = *m_record;
    const QLocale locale;
    const auto text = [&record](Column column) { return escaped(RequestLogModel::displayText(record, column)); };

    QString tokens;
    if (record.usage.isReported) {
        tokens = escaped(
            tr("%1 in (%2 cached, %3 written to the cache), %4 out (%5 reasoning)")
                .arg(locale.toString(record.usage.promptTokens), locale.toString(record.usage.cachedTokens),
                    locale.toString(record.usage.cacheWriteTokens), locale.toString(record.usage.completionTokens),
                    locale.toString(record.usage.reasoningTokens)));
    } else {
        tokens = escaped(tr("not reported by the provider"));
    }
    QString cost;
    if (record.usage.reportedCost && record.cost) {
        cost = escaped(tr("%1 as reported by the provider (%2 computed from the price list)")
                           .arg(record.usage.reportedCost->toString(), record.cost->toString()));
    } else if (record.usage.reportedCost) {
        cost = escaped(tr("%1 as reported by the provider").arg(record.usage.reportedCost->toString()));
    } else if (!record.cost) {
        cost = escaped(tr("unknown: no price is known for this model, so it is not counted in the spend"));
    } else if (record.priceSource.isEmpty()) {
        cost = text(Column::Cost);
    } else {
        cost = escaped(tr("%1 (price from %2)").arg(record.cost->toString(), record.priceSource));
    }

    QString html = u"<h3>"_s + escaped(tr("Request %1, Attempt %2").arg(record.requestId).arg(record.attempt))
        + u"</h3><table cellspacing=\"0\" cellpadding=\"2\">"_s;
    html += row(tr("Time"), escaped(locale.toString(record.time.toLocalTime(), u"yyyy-MM-dd HH:mm:ss.zzz"_s)));
    html += row(tr("Key"), record.keyName.isEmpty() ? escaped(tr("none")) : escaped(record.keyName));
    html += row(tr("Route"),
        record.route.isEmpty() ? escaped(tr("none (a direct provider/model request)")) : escaped(record.route));
    html += row(tr("Target"), text(Column::Target));
    html += row(tr("Status"),
        record.status > 0 ? escaped(tr("HTTP %1").arg(record.status)) : escaped(tr("no response received")));
    html += row(tr("Outcome"), record.isFailure() ? escaped(record.errorClass) : escaped(tr("success")));
    html += row(tr("Streamed"), escaped(record.stream ? tr("yes") : tr("no")));
    html += row(tr("Latency"), escaped(milliseconds(record.latencyMs)));
    html += row(tr("Time to first token"),
        record.ttftMs >= 0 ? escaped(milliseconds(record.ttftMs)) : escaped(tr("no token received")));
    html += row(tr("Tokens"), tokens);
    html += row(tr("Cost"), cost);
    return html + u"</table>"_s;
}

QString RequestDetailView::traceHtml() const
{
    QString html = u"<h3>"_s + escaped(tr("Routing Decision")) + u"</h3>"_s;
    switch (m_traceState) {
    case TraceState::Loading:
        return html + u"<p><i>"_s + escaped(tr("Reading the request's trace…")) + u"</i></p>"_s;
    case TraceState::Failed:
        return html + u"<p>"_s + escaped(tr("The trace cannot be shown: %1").arg(m_traceError)) + u"</p>"_s;
    case TraceState::Loaded:
        break;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(m_trace, &error);
    if (m_trace.isEmpty() || !document.isObject()) {
        return html + u"<p>"_s
            + escaped(m_trace.isEmpty()
                    ? tr("No routing trace is stored for this request (it predates traces, or its last attempt "
                         "was not recorded).")
                    : tr("The stored trace is not readable (%1).").arg(error.errorString()))
            + u"</p>"_s;
    }
    const QJsonObject trace = document.object();
    const QString route = trace.value(u"route"_s).toString();
    html += u"<p>"_s
        + (route.isEmpty() ? escaped(tr("A direct request: the client named the provider and model."))
                           : escaped(tr("Route %1, strategy %2."))
                                 .arg(u"<b>"_s + escaped(route) + u"</b>"_s,
                                     escaped(strategyText(trace.value(u"strategy"_s).toString()))))
        + u"</p>"_s;

    const QJsonArray planned = trace.value(u"planned"_s).toArray();
    html += u"<p><b>"_s + escaped(tr("Plan")) + u"</b></p>"_s;
    if (planned.isEmpty()) {
        html += u"<p>"_s + escaped(tr("No target was left to try.")) + u"</p>"_s;
    } else {
        html += u"<ol>"_s;
        for (const QJsonValue &value : planned) {
            const QJsonObject target = value.toObject();
            const QString via = target.value(u"route"_s).toString();
            QString line = u"<b>"_s + escaped(target.value(u"target"_s).toString()) + u"</b>"_s;
            if (const QString reason = target.value(u"reason"_s).toString(); !reason.isEmpty()) {
                line += u" — "_s + escaped(reason);
            }
            if (!via.isEmpty() && via != route) {
                line += u" "_s + escaped(tr("(through route %1)").arg(via));
            }
            html += u"<li>"_s + line + u"</li>"_s;
        }
        html += u"</ol>"_s;
    }

    const QJsonArray skipped = trace.value(u"skipped"_s).toArray();
    if (!skipped.isEmpty()) {
        html += u"<p><b>"_s + escaped(tr("Skipped")) + u"</b></p><ul>"_s;
        for (const QJsonValue &value : skipped) {
            const QJsonObject target = value.toObject();
            const QString reason = target.value(u"reason"_s).toString();
            html += u"<li><b>"_s + escaped(target.value(u"target"_s).toString()) + u"</b> — "_s
                + escaped(reason.isEmpty() ? skipText(target.value(u"why"_s).toString()) : reason) + u"</li>"_s;
        }
        html += u"</ul>"_s;
    }

    const QJsonArray attempts = trace.value(u"attempts"_s).toArray();
    html += u"<p><b>"_s + escaped(tr("Attempts")) + u"</b></p>"_s;
    if (attempts.isEmpty()) {
        return html + u"<p>"_s + escaped(tr("Nothing was sent upstream.")) + u"</p>"_s;
    }
    html += u"<table cellspacing=\"0\" cellpadding=\"3\"><tr><th align=\"left\">#</th><th align=\"left\">"_s
        + escaped(tr("Target")) + u"</th><th align=\"left\">"_s + escaped(tr("Started")) + u"</th><th align=\"left\">"_s
        + escaped(tr("Outcome")) + u"</th><th align=\"left\">"_s + escaped(tr("Then")) + u"</th></tr>"_s;
    const QString recordTarget = m_record->provider + u'/' + m_record->model;
    for (int i = 0; i < attempts.size(); ++i) {
        const QJsonObject attempt = attempts.at(i).toObject();
        const QString target = attempt.value(u"target"_s).toString();
        // The attempt this record is about stands out.
        const bool isThisRecord = i + 1 == m_record->attempt && target == recordTarget;
        const QStringList cells {QString::number(i + 1), target,
            tr("+%1").arg(milliseconds(attempt.value(u"startedAtMs"_s).toInteger())), outcomeText(attempt),
            nextText(attempt)};
        html += u"<tr>"_s;
        for (qsizetype cell = 0; cell < cells.size(); ++cell) {
            // Number, target and start stay on one line; the outcome and what followed may wrap.
            html += cell < 3 ? u"<td style=\"white-space: nowrap\">"_s : u"<td>"_s;
            html += isThisRecord ? QString(u"<b>"_s + escaped(cells.at(cell)) + u"</b>"_s) : escaped(cells.at(cell));
            html += u"</td>"_s;
        }
        html += u"</tr>"_s;
    }
    return html + u"</table>"_s;
}

} // namespace Switchyard::Ui
