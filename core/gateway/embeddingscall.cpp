#include "core/gateway/embeddingscall.h"

#include "core/gateway/clientencoder.h"
#include "core/gateway/httpconnection.h"
#include "core/gateway/upstreamexchange.h"
#include "core/protocol/geminicodec.h"
#include "core/protocol/openaicodec.h"
#include "core/routing/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcEmbeddings, "switchyard.gateway.embeddingscall")

constexpr qsizetype MaxBufferedResponseBytes = 256 * 1024 * 1024;

Routing::AttemptOutcome transportOutcome(Routing::AttemptOutcome::Transport transport, const QString &message)
{
    Routing::AttemptOutcome outcome;
    outcome.transport = transport;
    outcome.errorMessage = message;
    return outcome;
}
} // namespace

EmbeddingsCall::EmbeddingsCall(Context context, Protocol::EmbeddingsRequest request, Routing::RoutePlan plan,
    HttpConnection *client, QObject *parent)
    : GatewayCall(parent)
    , m_context(std::move(context))
    , m_request(std::move(request))
    , m_session(std::move(plan), m_context.routing)
    , m_client(client)
{
    connect(client, &HttpConnection::clientGone, this, [this] {
        if (m_exchange != nullptr) {
            stopAttempt();
            m_session.abandon();
            emit attemptRecorded(attemptRecord(u"client_closed"_s, {}));
        }
        finish();
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &EmbeddingsCall::tryNext);
}

EmbeddingsCall::~EmbeddingsCall()
{
    if (m_exchange != nullptr) {
        stopAttempt();
        m_session.abandon();
    }
}

void EmbeddingsCall::start()
{
    tryNext();
}

void EmbeddingsCall::tryNext()
{
    if (m_finished) {
        return;
    }
    const auto attempt = m_session.next(m_context.clock->nowMs());
    if (!attempt) {
        const Routing::RoutingSession::Refusal &refusal = *m_session.refusal();
        if (refusal.kind == Routing::RoutingSession::Refusal::Kind::NoTargetLeft) {
            respondError(m_lastFailure.isEmpty() && m_unsupported
                    ? *m_unsupported
                    : ClientEncoder::gatewayError(
                        502, m_lastFailure.isEmpty() ? refusal.message : m_lastFailure, u"no_target_available"_s));
        } else {
            const bool budget = refusal.kind == Routing::RoutingSession::Refusal::Kind::Budget;
            respondError(ClientEncoder::gatewayError(
                             429, refusal.message, budget ? u"budget_exceeded"_s : u"rate_limit_exceeded"_s),
                refusal.retryAfterSeconds > 0 ? QByteArray::number(refusal.retryAfterSeconds) : QByteArray());
        }
        return;
    }
    ++m_attempt;
    m_target = attempt->planned.target;
    m_attemptStartedAt = QDateTime::currentDateTimeUtc();
    m_attemptClock.start();
    m_status = 0;
    m_retryAfter.clear();
    m_response.clear();
    const ProviderEndpoint *endpoint = m_context.tables->provider(m_target.provider);
    if (endpoint == nullptr || !endpoint->credentialProblem.isEmpty()) {
        const QString message = endpoint != nullptr ? endpoint->credentialProblem
                                                    : tr("Provider \"%1\" is not configured.").arg(m_target.provider);
        conclude(transportOutcome(Routing::AttemptOutcome::Transport::Connect, message), u"no_credential"_s);
        return;
    }
    m_wireFormat = endpoint->wireFormat;
    auto request = upstreamRequest(*endpoint);
    if (!request) {
        // Not this provider's kind of request: nothing is sent, judged or charged, and the route
        // may still have a target that takes it. Should none, the client hears why (400).
        m_session.abandon();
        m_unsupported = ClientEncoder::gatewayError(400, request.errorMessage(), u"unsupported_by_target"_s);
        tryNext();
        return;
    }
    const Config::GatewaySettings &settings = m_context.tables->settings();
    request->connectTimeoutMs = settings.connectTimeoutMs;
    request->firstByteTimeoutMs = m_target.timeoutMs > 0 ? m_target.timeoutMs : settings.firstByteTimeoutMs;
    request->idleTimeoutMs = settings.idleTimeoutMs;
    m_exchange = new UpstreamExchange(m_context.pool, std::move(request).value(), this);
    connect(m_exchange, &UpstreamExchange::responseStarted, this, [this](int status, const HttpHeaders &headers) {
        m_status = status;
        m_retryAfter = headerValue(headers, "retry-after");
    });
    connect(m_exchange, &UpstreamExchange::dataReceived, this, [this](QByteArrayView data) {
        if (m_response.size() + data.size() > MaxBufferedResponseBytes) {
            stopAttempt();
            conclude(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse,
                         tr("The provider's answer exceeds %1 MB.").arg(MaxBufferedResponseBytes >> 20)),
                u"invalid_response"_s);
            return;
        }
        m_response.append(data);
    });
    connect(m_exchange, &UpstreamExchange::finished, this, &EmbeddingsCall::handleUpstreamFinished);
    connect(m_exchange, &UpstreamExchange::failed, this, &EmbeddingsCall::handleUpstreamFailed);
    m_exchange->start();
}

Result<UpstreamRequest> EmbeddingsCall::upstreamRequest(const ProviderEndpoint &endpoint) const
{
    UpstreamRequest request;
    request.headers = {{"Content-Type"_ba, "application/json"_ba}, {"Accept"_ba, "application/json"_ba}};
    if (!endpoint.authHeader.first.isEmpty()) {
        request.headers.append(endpoint.authHeader);
    }
    request.headers.append(endpoint.extraHeaders);
    switch (endpoint.wireFormat) {
    case Providers::WireFormat::OpenAiChat:
        request.url = QUrl(endpoint.baseUrl + u"/embeddings"_s);
        request.body = Protocol::EmbeddingsCodec::encodeOpenAiRequest(m_request, m_target.model);
        return request;
    case Providers::WireFormat::GeminiGenerate: {
        auto body = Protocol::EmbeddingsCodec::encodeGeminiRequest(m_request, m_target.model);
        if (!body) {
            return Result<UpstreamRequest>::failure(body.errorMessage());
        }
        request.url = QUrl(endpoint.baseUrl + Protocol::EmbeddingsCodec::geminiPath(m_target.model));
        request.body = std::move(body).value();
        return request;
    }
    case Providers::WireFormat::AnthropicMessages:
        break;
    }
    return Result<UpstreamRequest>::failure(tr("Provider \"%1\" offers no embeddings endpoint.").arg(endpoint.id));
}

void EmbeddingsCall::handleUpstreamFinished()
{
    stopAttempt();
    Routing::AttemptOutcome outcome;
    outcome.httpStatus = m_status;
    outcome.latencyMs = m_attemptClock.elapsed();
    if (m_status < 200 || m_status >= 300) {
        const ProviderError error = m_wireFormat == Providers::WireFormat::GeminiGenerate
            ? Protocol::GeminiCodec::decodeError(m_status, m_response)
            : Protocol::OpenAiCodec::decodeError(m_status, m_response);
        outcome.errorType = error.type;
        outcome.errorCode = error.code;
        outcome.errorMessage = error.message;
        conclude(outcome,
            m_status == 429       ? u"http_429"_s
                : m_status >= 500 ? u"http_5xx"_s
                                  : u"http_4xx"_s,
            m_response.isEmpty() ? std::nullopt : std::optional<ProviderError>(error));
        return;
    }
    Usage usage;
    QByteArray body;
    if (m_wireFormat == Providers::WireFormat::GeminiGenerate) {
        auto response = Protocol::EmbeddingsCodec::decodeGeminiResponse(m_response, m_target.model);
        if (response) {
            usage = response->usage;
            body = Protocol::EmbeddingsCodec::encodeOpenAiResponse(response.value(), m_request.base64);
        }
    } else {
        const QJsonDocument document = QJsonDocument::fromJson(m_response);
        if (document.isObject()) {
            usage = Protocol::EmbeddingsCodec::decodeOpenAiUsage(document.object());
            body = m_response;
        }
    }
    if (body.isEmpty()) {
        conclude(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse,
                     tr("The provider answered with invalid JSON.")),
            u"invalid_response"_s);
        return;
    }
    Ledger::UsageRecord record = attemptRecord({}, usage);
    m_session.finish(outcome, m_context.tables->chargeFor(record), record.usage.totalTokens(), m_context.clock->nowMs(),
        QDateTime::currentMSecsSinceEpoch());
    respond(200, body);
    emit attemptRecorded(record);
    finish();
}

void EmbeddingsCall::handleUpstreamFailed(const UpstreamFailure &failure)
{
    stopAttempt();
    const bool connect = failure.kind == UpstreamFailure::Kind::Connect;
    const bool timeout = failure.kind == UpstreamFailure::Kind::Timeout;
    conclude(transportOutcome(connect ? Routing::AttemptOutcome::Transport::Connect
                     : timeout        ? Routing::AttemptOutcome::Transport::Timeout
                                      : Routing::AttemptOutcome::Transport::Reset,
                 failure.message),
        connect       ? u"connect"_s
            : timeout ? u"timeout"_s
                      : u"reset"_s);
}

void EmbeddingsCall::conclude(
    const Routing::AttemptOutcome &outcome, const QString &errorClass, std::optional<ProviderError> error)
{
    Ledger::UsageRecord record = attemptRecord(errorClass, {});
    m_lastFailure = u"%1: %2"_s.arg(m_target.toString(), outcome.errorMessage);
    qCDebug(lcEmbeddings) << m_context.requestId << "attempt" << m_attempt << m_target.toString()
                          << "failed:" << errorClass;
    const auto verdict = m_session.finish(outcome, m_context.tables->chargeFor(record), 0, m_context.clock->nowMs(),
        QDateTime::currentMSecsSinceEpoch(), m_retryAfter);
    emit attemptRecorded(record);
    switch (verdict) {
    case Routing::RoutingSession::Verdict::Answer:
        respondError(error ? *error : ClientEncoder::gatewayError(502, m_lastFailure, errorClass), m_retryAfter);
        return;
    case Routing::RoutingSession::Verdict::Retry:
        m_retryTimer.start(int(qMin<qint64>(m_session.delayMs(), std::numeric_limits<int>::max())));
        return;
    case Routing::RoutingSession::Verdict::Fallback:
        tryNext();
        return;
    }
}

void EmbeddingsCall::respond(int status, const QByteArray &body, const QByteArray &retryAfter)
{
    if (m_client.isNull()) {
        return;
    }
    HttpHeaders headers {{"Content-Type"_ba, "application/json"_ba}, {"x-request-id"_ba, m_context.requestId.toUtf8()},
        {"x-switchyard-attempts"_ba, QByteArray::number(m_attempt)}};
    if (!routeName().isEmpty()) {
        headers.append({"x-switchyard-route"_ba, routeName().toUtf8()});
    }
    if (m_attempt > 0) {
        headers.append({"x-switchyard-target"_ba, m_target.toString().toUtf8()});
    }
    if (!retryAfter.isEmpty()) {
        headers.append({"Retry-After"_ba, retryAfter});
    }
    m_client->respond(status, headers, body);
    m_clientStatus = status;
}

void EmbeddingsCall::respondError(const ProviderError &error, const QByteArray &retryAfter)
{
    const ClientEncoder encoder(ClientDialect::OpenAi, false);
    respond(encoder.errorStatus(error), encoder.errorBody(error), retryAfter);
    finish();
}

void EmbeddingsCall::terminate(const QString &reason)
{
    if (m_finished) {
        return;
    }
    m_retryTimer.stop();
    if (m_exchange != nullptr) {
        stopAttempt();
        m_session.abandon();
        emit attemptRecorded(attemptRecord(u"shutdown"_s, {}));
    }
    respondError(ClientEncoder::gatewayError(503, reason, u"shutdown"_s));
}

Ledger::UsageRecord EmbeddingsCall::attemptRecord(const QString &errorClass, const Usage &usage) const
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

void EmbeddingsCall::stopAttempt()
{
    if (m_exchange != nullptr) {
        UpstreamExchange *exchange = m_exchange;
        m_exchange = nullptr;
        exchange->disconnect(this);
        exchange->cancel();
        exchange->deleteLater();
    }
}

void EmbeddingsCall::finish()
{
    if (!m_finished) {
        m_finished = true;
        m_retryTimer.stop();
        emit finished();
    }
}

} // namespace Switchyard::Gateway
