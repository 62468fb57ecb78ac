#include "core/gateway/embeddingscall.h"

#include "core/gateway/clientencoder.h"
#include "core/gateway/httpconnection.h"
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

} // namespace

EmbeddingsCall::EmbeddingsCall(Context context, Protocol::EmbeddingsRequest request, Routing::RoutePlan plan,
    HttpConnection *client, QObject *parent)
    : GatewayCall(std::move(context), std::move(plan), client, parent)
    , m_request(std::move(request))
{
}

void EmbeddingsCall::tryNext()
{
    if (m_finished) {
        return;
    }
    const auto attempt = m_session.next(m_context.clock->nowMs());
    if (!attempt) {
        const Routing::RoutingSession::Refusal &refusal = *m_session.refusal();
        if (refusal.kind != Routing::RoutingSession::Refusal::Kind::NoTargetLeft) {
            respondLimitRefusal(refusal);
        } else if (m_lastFailure.isEmpty() && m_unsupported) {
            respondError(*m_unsupported);
        } else {
            respondError(ClientEncoder::gatewayError(
                502, m_lastFailure.isEmpty() ? refusal.message : m_lastFailure, u"no_target_available"_s));
        }
        finish();
        return;
    }
    beginAttempt(attempt->planned.target);
    m_response.clear();
    m_usage = {};
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
    startExchange(std::move(request).value());
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
        conclude(outcome, errorClassForStatus(m_status),
            m_response.isEmpty() ? std::nullopt : std::optional<ProviderError>(error));
        return;
    }
    QByteArray body;
    if (m_wireFormat == Providers::WireFormat::GeminiGenerate) {
        auto response = Protocol::EmbeddingsCodec::decodeGeminiResponse(m_response, m_target.model);
        if (response) {
            m_usage = response->usage;
            body = Protocol::EmbeddingsCodec::encodeOpenAiResponse(response.value(), m_request.base64);
        }
    } else {
        const QJsonDocument document = QJsonDocument::fromJson(m_response);
        if (document.isObject()) {
            m_usage = Protocol::EmbeddingsCodec::decodeOpenAiUsage(document.object());
            body = m_response;
        }
    }
    if (body.isEmpty()) {
        conclude(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse,
                     tr("The provider answered with invalid JSON.")),
            u"invalid_response"_s);
        return;
    }
    Ledger::UsageRecord record = attemptRecord({});
    m_session.finish(outcome, chargeFor(record), record.usage.totalTokens(), m_context.clock->nowMs(),
        QDateTime::currentMSecsSinceEpoch());
    if (!m_client.isNull()) {
        respondToClient(200, responseHeaders("application/json"_ba), body);
        m_clientStatus = 200;
    }
    emitRecord(std::move(record), true);
    finish();
}

void EmbeddingsCall::handleUpstreamFailed(const UpstreamFailure &failure)
{
    stopAttempt();
    conclude(transportOutcome(transportFor(failure), failure.message), errorClassFor(failure));
}

void EmbeddingsCall::conclude(
    const Routing::AttemptOutcome &outcome, const QString &errorClass, std::optional<ProviderError> error)
{
    Ledger::UsageRecord record = attemptRecord(errorClass);
    m_lastFailure = u"%1: %2"_s.arg(m_target.toString(), outcome.errorMessage);
    qCDebug(lcEmbeddings) << m_context.requestId << "attempt" << m_attempt << m_target.toString()
                          << "failed:" << errorClass;
    const auto verdict = m_session.finish(
        outcome, chargeFor(record), 0, m_context.clock->nowMs(), QDateTime::currentMSecsSinceEpoch(), m_retryAfter);
    emitRecord(std::move(record), verdict == Routing::RoutingSession::Verdict::Answer);
    switch (verdict) {
    case Routing::RoutingSession::Verdict::Answer:
        respondError(error ? *error : ClientEncoder::gatewayError(502, m_lastFailure, errorClass), m_retryAfter);
        finish();
        return;
    case Routing::RoutingSession::Verdict::Retry:
        scheduleRetry();
        return;
    case Routing::RoutingSession::Verdict::Fallback:
        tryNext();
        return;
    }
}

Ledger::UsageRecord EmbeddingsCall::attemptRecord(const QString &errorClass) const
{
    return baseRecord(errorClass, m_usage);
}

} // namespace Switchyard::Gateway
