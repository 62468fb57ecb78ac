#include "core/gateway/gatewaycall.h"

#include "core/gateway/clientencoder.h"
#include "core/gateway/httpconnection.h"
#include "core/gateway/upstreamexchange.h"

#include <QJsonDocument>

#include <limits>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

GatewayCall::GatewayCall(Context context, Routing::RoutePlan plan, HttpConnection *client, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_session(std::move(plan), m_context.routing)
    , m_client(client)
{
    connect(client, &HttpConnection::clientGone, this, &GatewayCall::handleClientGone);
    if (m_context.capturedRequest) {
        m_captured.emplace();
        m_captured->append(m_captured->request, *m_context.capturedRequest);
        m_context.capturedRequest.reset();
    }
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &GatewayCall::tryNext);
}

GatewayCall::~GatewayCall()
{
    if (m_exchange != nullptr) {
        GatewayCall::stopAttempt();
        m_session.abandon();
    }
}

void GatewayCall::start()
{
    tryNext();
}

void GatewayCall::terminate(const QString &reason)
{
    if (m_finished) {
        return;
    }
    abandonAttempt(u"shutdown"_s);
    respondError(ClientEncoder::gatewayError(503, reason, u"shutdown"_s));
    finish();
}

void GatewayCall::stopAttempt()
{
    if (m_exchange != nullptr) {
        UpstreamExchange *exchange = m_exchange;
        m_exchange = nullptr;
        exchange->disconnect(this);
        exchange->cancel();
        exchange->deleteLater();
    }
}

void GatewayCall::beginAttempt(const Routing::RouteTarget &target)
{
    ++m_attempt;
    m_target = target;
    m_attemptStartedAt = QDateTime::currentDateTimeUtc();
    m_attemptClock.start();
    m_status = 0;
    m_retryAfter.clear();
}

UpstreamExchange *GatewayCall::startExchange(UpstreamRequest request)
{
    m_exchange = new UpstreamExchange(m_context.pool, std::move(request), this);
    return m_exchange;
}

Ledger::UsageRecord GatewayCall::baseRecord(const QString &errorClass, const Usage &usage) const
{
    Ledger::UsageRecord record;
    record.time = m_attemptStartedAt;
    record.requestId = m_context.requestId;
    record.keyName = m_context.routing.keyName;
    record.route = routeName();
    record.provider = m_target.provider;
    record.model = m_target.model;
    record.status = m_status;
    record.attempt = m_attempt;
    record.latencyMs = m_attemptClock.isValid() ? m_attemptClock.elapsed() : 0;
    record.usage = usage;
    record.errorClass = errorClass;
    m_context.tables->priceRecord(record);
    return record;
}

void GatewayCall::abandonAttempt(const QString &errorClass)
{
    m_retryTimer.stop();
    if (m_exchange != nullptr) {
        stopAttempt();
        m_session.abandon(); // not the target's fault: its breaker and budget are left alone
        emitRecord(attemptRecord(errorClass), true);
    }
}

void GatewayCall::emitRecord(Ledger::UsageRecord record, bool withTrace)
{
    if (withTrace) {
        record.trace = QJsonDocument(m_session.trace().toJson()).toJson(QJsonDocument::Compact);
        if (m_captured) {
            m_lastRecord = std::move(record);
            return;
        }
    }
    emit attemptRecorded(record);
}

void GatewayCall::scheduleRetry()
{
    m_retryTimer.start(int(qMin<qint64>(m_session.delayMs(), std::numeric_limits<int>::max())));
}

HttpHeaders GatewayCall::responseHeaders(const QByteArray &contentType) const
{
    HttpHeaders headers {{"Content-Type"_ba, contentType}, {"x-request-id"_ba, m_context.requestId.toUtf8()},
        {"x-switchyard-attempts"_ba, QByteArray::number(m_attempt)}};
    if (!routeName().isEmpty()) {
        headers.append({"x-switchyard-route"_ba, routeName().toUtf8()});
    }
    if (m_attempt > 0) {
        headers.append({"x-switchyard-target"_ba, m_target.toString().toUtf8()});
    }
    if (m_context.traceHeader) {
        headers.append({"x-switchyard-trace"_ba, m_session.trace().toHeaderSummary()});
    }
    return headers;
}

void GatewayCall::respondError(const ProviderError &error, const QByteArray &retryAfter)
{
    if (m_client.isNull()) {
        return;
    }
    HttpHeaders headers = responseHeaders("application/json"_ba);
    if (!retryAfter.isEmpty()) {
        headers.append({"Retry-After"_ba, retryAfter});
    }
    const ClientEncoder encoder(m_context.dialect, false);
    const int status = encoder.errorStatus(error);
    respondToClient(status, headers, encoder.errorBody(error));
    m_clientStatus = status;
}

void GatewayCall::respondLimitRefusal(const Routing::RoutingSession::Refusal &refusal)
{
    const bool budget = refusal.kind == Routing::RoutingSession::Refusal::Kind::Budget;
    // A request that can never fit its limit gets no Retry-After: waiting would not help.
    respondError(
        ClientEncoder::gatewayError(429, refusal.message, budget ? u"budget_exceeded"_s : u"rate_limit_exceeded"_s),
        refusal.retryAfterSeconds > 0 ? QByteArray::number(refusal.retryAfterSeconds) : QByteArray());
}

void GatewayCall::respondToClient(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_client.isNull()) {
        return;
    }
    m_client->respond(status, headers, body);
    if (m_captured) {
        m_captured->append(m_captured->response, body);
    }
}

void GatewayCall::writeChunkToClient(const QByteArray &frames)
{
    if (m_client.isNull()) {
        return;
    }
    m_client->writeChunk(frames);
    if (m_captured) {
        m_captured->append(m_captured->response, frames);
    }
}

void GatewayCall::finish()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_retryTimer.stop();
    if (m_lastRecord) {
        m_lastRecord->bodies = std::make_shared<const Ledger::CapturedBodies>(std::move(*m_captured));
        emit attemptRecorded(*m_lastRecord);
    }
    emit finished();
}

QString GatewayCall::errorClassForStatus(int status)
{
    if (status == 429) {
        return u"http_429"_s;
    }
    return status >= 500 ? u"http_5xx"_s : u"http_4xx"_s;
}

Routing::AttemptOutcome::Transport GatewayCall::transportFor(const UpstreamFailure &failure)
{
    switch (failure.kind) {
    case UpstreamFailure::Kind::Connect:
        return Routing::AttemptOutcome::Transport::Connect;
    case UpstreamFailure::Kind::Timeout:
        return Routing::AttemptOutcome::Transport::Timeout;
    case UpstreamFailure::Kind::Reset:
        return Routing::AttemptOutcome::Transport::Reset;
    case UpstreamFailure::Kind::InvalidResponse:
        return Routing::AttemptOutcome::Transport::InvalidResponse;
    }
    return Routing::AttemptOutcome::Transport::Reset;
}

QString GatewayCall::errorClassFor(const UpstreamFailure &failure)
{
    switch (failure.kind) {
    case UpstreamFailure::Kind::Connect:
        return u"connect"_s;
    case UpstreamFailure::Kind::Timeout:
        return u"timeout"_s;
    case UpstreamFailure::Kind::Reset:
        return u"reset"_s;
    case UpstreamFailure::Kind::InvalidResponse:
        return u"invalid_response"_s;
    }
    return u"reset"_s;
}

Routing::AttemptOutcome GatewayCall::transportOutcome(
    Routing::AttemptOutcome::Transport transport, const QString &message)
{
    Routing::AttemptOutcome outcome;
    outcome.transport = transport;
    outcome.errorMessage = message;
    return outcome;
}

void GatewayCall::handleClientGone()
{
    if (m_finished) {
        return;
    }
    abandonAttempt(u"client_closed"_s);
    finish();
}

} // namespace Switchyard::Gateway
