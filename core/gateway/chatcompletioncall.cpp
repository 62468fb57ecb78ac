#include "core/gateway/chatcompletioncall.h"

#include "core/gateway/httpconnection.h"
#include "core/gateway/upstreamexchange.h"
#include "core/protocol/openaicodec.h"
#include "core/protocol/openaicompatquirks.h"
#include "core/routing/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcCall, "switchyard.gateway.chatcompletioncall")

// Responses larger than this are not a chat completion; refusing them bounds memory.
constexpr qsizetype MaxBufferedResponseBytes = 64 * 1024 * 1024;

// A target's parameter overrides on the canonical form: the fields it models take them, the
// rest travel in `extra` like any field the gateway does not interpret.
void applyTargetParams(ChatRequest &request, const QJsonObject &params)
{
    for (auto it = params.begin(); it != params.end(); ++it) {
        const QString &key = it.key();
        if (key == "temperature"_L1) {
            request.temperature = it.value().toDouble();
        } else if (key == "top_p"_L1) {
            request.topP = it.value().toDouble();
        } else if (key == "max_tokens"_L1 || key == "max_completion_tokens"_L1) {
            request.maxTokens = it.value().toInteger();
        } else if (key == "stop"_L1) {
            request.stop = it.value().isArray() ? it.value().toArray() : QJsonArray {it.value()};
        } else {
            request.extra.insert(key, it.value());
        }
    }
}

// SSE framing of one event; multi-line data keeps one "data:" field per line.
void appendEvent(QByteArray &out, const Protocol::SseEvent &event)
{
    if (!event.event.isEmpty()) {
        out += "event: "_ba + event.event + '\n';
    }
    qsizetype start = 0;
    while (true) {
        const qsizetype newline = event.data.indexOf('\n', start);
        out += "data: "_ba;
        out.append(event.data.constData() + start, (newline < 0 ? event.data.size() : newline) - start);
        out += '\n';
        if (newline < 0) {
            break;
        }
        start = newline + 1;
    }
    out += '\n';
}
} // namespace

ChatCompletionCall::ChatCompletionCall(Context context, QByteArray body, std::optional<ChatRequest> request,
    ChatRequestSummary summary, Routing::RoutePlan plan, HttpConnection *client, QObject *parent)
    : GatewayCall(std::move(context), std::move(plan), client, parent)
    , m_body(std::move(body))
    , m_request(std::move(request))
    , m_summary(std::move(summary))
    , m_encoder(m_context.dialect, m_summary.includeUsage)
{
    for (QTimer *timer : {&m_ttftTimer, &m_attemptTimer}) {
        timer->setSingleShot(true);
    }
    connect(&m_ttftTimer, &QTimer::timeout, this, &ChatCompletionCall::handleTtftTimeout);
    connect(&m_attemptTimer, &QTimer::timeout, this, &ChatCompletionCall::handleAttemptTimeout);
}

void ChatCompletionCall::tryNext()
{
    if (m_finished) {
        return;
    }
    const auto attempt = m_session.next(m_context.clock->nowMs());
    if (!attempt) {
        respondRefusal(*m_session.refusal());
        return;
    }
    const Routing::RouteTarget &target = attempt->planned.target;
    const ProviderEndpoint *endpoint = m_context.tables->provider(target.provider);
    beginAttempt(target);
    m_endpoint = endpoint;
    m_mode = Mode::Json;
    m_contentType.clear();
    m_retryAfterMs.clear();
    m_responseBody.clear();
    m_decoder.reset();
    m_usage = {};
    m_ttftMs = -1;
    m_sawDone = false;
    m_sawFinish = false;
    m_streamError.clear();
    m_codec.reset();
    m_relay = false;
    if (endpoint == nullptr || !endpoint->credentialProblem.isEmpty()) {
        // Never sent; recorded so the ledger and the trace explain why the target was passed over.
        const QString message = endpoint != nullptr ? endpoint->credentialProblem
                                                    : tr("Provider \"%1\" is not configured.").arg(target.provider);
        concludeFailure(
            transportOutcome(Routing::AttemptOutcome::Transport::Connect, message), u"no_credential"_s, message);
        return;
    }
    startAttempt(attempt->planned, *endpoint);
}

void ChatCompletionCall::startAttempt(const Routing::PlannedTarget &planned, const ProviderEndpoint &endpoint)
{
    const Routing::RouteTarget &target = planned.target;
    const Config::GatewaySettings &settings = m_context.tables->settings();
    auto built = upstreamRequest(target, endpoint);
    if (!built) {
        // The request has no form this provider accepts: nothing is sent, so nothing is judged or
        // charged, and another target may still take it. Should none, the client hears why (400).
        m_session.abandon();
        m_failures.append({target.toString(), u"unsupported_request"_s, built.errorMessage(),
            ClientEncoder::gatewayError(400, built.errorMessage(), u"unsupported_by_target"_s), {}});
        tryNext();
        return;
    }
    UpstreamRequest request = std::move(built).value();
    request.connectTimeoutMs = settings.connectTimeoutMs;
    request.firstByteTimeoutMs = settings.firstByteTimeoutMs;
    request.idleTimeoutMs = settings.idleTimeoutMs;

    if (target.ttftTimeoutMs > 0) {
        m_ttftTimer.start(target.ttftTimeoutMs);
    }
    qint64 limitMs = target.timeoutMs;
    if (const int deadlineMs = m_session.plan().deadlineMs; deadlineMs > 0) {
        const qint64 leftMs = deadlineMs - (m_context.clock->nowMs() - m_context.routing.startedAtMs);
        limitMs = limitMs > 0 ? qMin(limitMs, leftMs) : leftMs;
    }
    if (limitMs > 0) {
        m_attemptTimer.start(int(qMin<qint64>(limitMs, std::numeric_limits<int>::max())));
    }

    startExchange(std::move(request));
    connect(m_exchange, &UpstreamExchange::responseStarted, this, &ChatCompletionCall::handleResponseStarted);
    connect(m_exchange, &UpstreamExchange::dataReceived, this, &ChatCompletionCall::handleData);
    connect(m_exchange, &UpstreamExchange::finished, this, &ChatCompletionCall::handleUpstreamFinished);
    connect(m_exchange, &UpstreamExchange::failed, this, &ChatCompletionCall::handleUpstreamFailed);
    m_exchange->start();
}

Result<UpstreamRequest> ChatCompletionCall::upstreamRequest(
    const Routing::RouteTarget &target, const ProviderEndpoint &endpoint)
{
    if (m_context.dialect == ClientDialect::OpenAi && endpoint.acceptsOpenAiBodies) {
        UpstreamRequest request;
        request.url = endpoint.chatCompletionsUrl;
        request.headers = {{"Content-Type"_ba, "application/json"_ba},
            {"Accept"_ba, m_summary.stream ? "text/event-stream"_ba : "application/json"_ba}};
        if (!endpoint.authHeader.first.isEmpty()) {
            request.headers.append(endpoint.authHeader);
        }
        request.headers.append(endpoint.extraHeaders);
        request.body = passThroughBody(target, endpoint);
        return request;
    }
    if (m_context.dialect == ClientDialect::Anthropic
        && endpoint.wireFormat == Providers::WireFormat::AnthropicMessages) {
        // Same dialect: the client's body goes as it is (prompt-cache markers, thinking signatures
        // and fields the codec does not model all survive) and the answer comes back as it is;
        // the codec only reads it for the ledger and the routing decisions.
        QJsonObject body = QJsonDocument::fromJson(m_body).object();
        for (auto it = target.params.begin(); it != target.params.end(); ++it) {
            body.insert(it.key(), it.value());
        }
        body.insert(u"model"_s, target.model);
        m_codec.emplace(endpoint.wireFormat);
        m_relay = true;
        return m_codec->relayRequest(QJsonDocument(body).toJson(QJsonDocument::Compact), target.model, m_summary.stream,
            endpoint, m_context.anthropicBeta);
    }
    auto canonical = canonicalRequest();
    if (!canonical) {
        return Result<UpstreamRequest>::failure(canonical.errorMessage());
    }
    ChatRequest request = std::move(canonical).value();
    request.model = target.model;
    applyTargetParams(request, target.params);
    if (endpoint.wireFormat == Providers::WireFormat::OpenAiChat) {
        Protocol::OpenAiCompatQuirks::apply(endpoint.presetId, request);
    }
    m_codec.emplace(endpoint.wireFormat);
    return m_codec->buildRequest(request, endpoint, m_context.anthropicBeta);
}

Result<ChatRequest> ChatCompletionCall::canonicalRequest()
{
    if (!m_request) {
        // Decoded only now: an OpenAI client's request needs it only for a provider of another format.
        auto decoded = Protocol::OpenAiCodec::decodeRequest(m_body);
        if (!decoded) {
            return decoded;
        }
        m_request = std::move(decoded).value();
    }
    return *m_request;
}

QByteArray ChatCompletionCall::passThroughBody(
    const Routing::RouteTarget &target, const ProviderEndpoint &endpoint) const
{
    // Ask for the usage chunk so the ledger gets token counts; clients that did not ask for it
    // do not see it (forwardStreamEvents drops it).
    const bool addUsageOption = m_summary.stream && endpoint.supportsStreamUsage && !m_summary.hasStreamOptions;
    if (target.params.isEmpty()) {
        return PassThroughScanner::rewriteRequest(m_body, m_summary, target.model, addUsageOption);
    }
    // Parameter overrides are the route designer's choice for this target: the slower full
    // parse is paid only for such targets.
    QJsonObject body = QJsonDocument::fromJson(m_body).object();
    for (auto it = target.params.begin(); it != target.params.end(); ++it) {
        body.insert(it.key(), it.value());
    }
    body.insert(u"model"_s, target.model);
    if (addUsageOption) {
        body.insert(u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}});
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void ChatCompletionCall::handleResponseStarted(int status, const HttpHeaders &headers)
{
    m_status = status;
    m_contentType = headerValue(headers, "content-type");
    m_retryAfter = headerValue(headers, "retry-after");
    m_retryAfterMs = headerValue(headers, "retry-after-ms");
    if (status >= 200 && status < 300) {
        const bool isEventStream = m_contentType.startsWith("text/event-stream");
        m_mode = m_summary.stream && isEventStream ? Mode::Stream : Mode::Json;
        if (m_mode == Mode::Json) {
            m_ttftTimer.stop(); // a JSON answer's first token comes with its head
        }
    } else {
        m_mode = Mode::ErrorBody;
        m_ttftTimer.stop();
    }
}

void ChatCompletionCall::handleData(QByteArrayView data)
{
    if (m_mode == Mode::Stream) {
        if (m_codec) {
            forwardTranslatedEvents(data);
        } else {
            forwardStreamEvents(data);
        }
        return;
    }
    if (m_responseBody.size() + data.size() > MaxBufferedResponseBytes) {
        stopAttempt();
        const QString message = tr("The provider's answer exceeds %1 MB.").arg(MaxBufferedResponseBytes >> 20);
        concludeFailure(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, message),
            u"invalid_response"_s, message);
        return;
    }
    m_responseBody.append(data);
}

void ChatCompletionCall::forwardStreamEvents(QByteArrayView data)
{
    const QList<Protocol::SseEvent> events = m_decoder.feed(data);
    QByteArray out;
    for (const Protocol::SseEvent &event : events) {
        const StreamEventSummary summary = PassThroughScanner::scanStreamEvent(event.data);
        m_sawDone = m_sawDone || summary.isDone;
        m_sawFinish = m_sawFinish || summary.hasFinish;
        if (summary.usage) {
            m_usage = *summary.usage; // the last usage wins (xAI sends another chunk after it)
        }
        if (summary.isError) {
            m_streamError = summary.errorMessage.isEmpty() ? tr("The provider reported an error in the stream.")
                                                           : summary.errorMessage;
            if (!m_clientStreamStarted && out.isEmpty()) {
                // Nothing reached the client yet, so the route may still try another target.
                stopAttempt();
                concludeFailure(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, m_streamError),
                    u"stream_error"_s, m_streamError);
                return;
            }
        }
        if (summary.isUsageOnly && !m_summary.includeUsage) {
            continue;
        }
        appendEvent(out, event);
    }
    writeToClient(out);
}

void ChatCompletionCall::forwardTranslatedEvents(QByteArrayView data)
{
    QByteArray out;
    for (const Protocol::SseEvent &event : m_decoder.feed(data)) {
        auto events = m_codec->decodeStreamEvent(event.data);
        if (!events) {
            StreamEvent error;
            error.kind = StreamEvent::Kind::Error;
            error.error = ClientEncoder::gatewayError(
                502, tr("The provider sent an unreadable stream event: %1").arg(events.errorMessage()));
            events = QList<StreamEvent> {error};
        }
        if (!translateEvents(events.value(), out)) {
            return;
        }
        if (m_relay) {
            appendEvent(out, event);
        }
    }
    writeToClient(out);
}

bool ChatCompletionCall::translateEvents(const QList<StreamEvent> &events, QByteArray &out)
{
    for (const StreamEvent &event : events) {
        if (event.usage) {
            m_usage = *event.usage;
        }
        m_sawDone = m_sawDone || event.kind == StreamEvent::Kind::Done;
        m_sawFinish = m_sawFinish || !event.finishReason.isEmpty();
        if (event.kind == StreamEvent::Kind::Error) {
            const QString message = event.error ? event.error->message : QString();
            m_streamError = message.isEmpty() ? tr("The provider reported an error in the stream.") : message;
            if (!m_clientStreamStarted && out.isEmpty()) {
                stopAttempt();
                concludeFailure(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, m_streamError),
                    u"stream_error"_s, m_streamError);
                return false;
            }
        }
        if (!m_relay) {
            out += m_encoder.streamEvent(event);
        }
    }
    return true;
}

void ChatCompletionCall::writeToClient(const QByteArray &frames)
{
    if (frames.isEmpty() || m_client.isNull()) {
        return;
    }
    if (!m_clientStreamStarted) {
        m_clientStreamStarted = true;
        m_ttftTimer.stop();
        m_ttftMs = m_attemptClock.elapsed();
        HttpHeaders headers = responseHeaders("text/event-stream"_ba);
        headers.append({"Cache-Control"_ba, "no-cache"_ba});
        m_client->beginStream(200, headers);
        m_clientStatus = 200;
    }
    writeChunkToClient(frames);
}

void ChatCompletionCall::handleUpstreamFinished()
{
    stopAttempt();
    switch (m_mode) {
    case Mode::Json:
        finishJson();
        return;
    case Mode::Stream:
        finishStream();
        return;
    case Mode::ErrorBody: {
        ProviderError error = decodeUpstreamError();
        const QString message = error.message;
        // Without a body the gateway's own summary of the failed targets says more.
        concludeFailure(httpOutcome(), errorClassForStatus(m_status), message,
            m_responseBody.isEmpty() ? std::nullopt : std::optional<ProviderError>(std::move(error)));
        return;
    }
    }
}

Routing::AttemptOutcome ChatCompletionCall::httpOutcome() const
{
    Routing::AttemptOutcome outcome;
    outcome.httpStatus = m_status;
    if (m_status < 200 || m_status >= 300) {
        const ProviderError error = decodeUpstreamError();
        outcome.errorType = error.type;
        outcome.errorCode = error.code;
        outcome.errorMessage = error.message;
    }
    outcome.latencyMs = m_ttftMs;
    return outcome;
}

ProviderError ChatCompletionCall::decodeUpstreamError() const
{
    return m_codec ? m_codec->decodeError(m_status, m_responseBody)
                   : Protocol::OpenAiCodec::decodeError(m_status, m_responseBody);
}

void ChatCompletionCall::finishJson()
{
    const QString invalidMessage = tr("The provider answered with invalid JSON.");
    if (m_codec) {
        auto response = m_codec->decodeResponse(m_responseBody);
        if (!response) {
            concludeFailure(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, invalidMessage),
                u"invalid_response"_s, invalidMessage);
            return;
        }
        m_usage = response->usage;
        if (!m_relay) {
            m_responseBody = m_encoder.response(std::move(response).value());
        }
        m_contentType = "application/json"_ba;
    } else {
        const auto usage = PassThroughScanner::scanResponseUsage(m_responseBody);
        if (!usage) {
            concludeFailure(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, invalidMessage),
                u"invalid_response"_s, invalidMessage);
            return;
        }
        m_usage = usage->value_or(Usage {});
    }
    m_ttftMs = m_attemptClock.elapsed();
    // The session hears of the success before the headers are built, so the trace header
    // includes the attempt that answered.
    Ledger::UsageRecord record = concludeSuccessInSession();
    if (!m_client.isNull()) {
        respondToClient(
            m_status, responseHeaders(m_contentType.isEmpty() ? "application/json"_ba : m_contentType), m_responseBody);
        m_clientStatus = m_status;
    }
    emitRecord(std::move(record), true);
    finish();
}

void ChatCompletionCall::finishStream()
{
    const bool complete
        = (m_codec ? m_codec->isStreamComplete() : m_sawDone || m_sawFinish) && !m_decoder.hasPartialEvent();
    if (m_codec && !m_relay && complete && m_streamError.isEmpty()) {
        // What the end of the connection implies (Gemini's usage), and the terminal event the
        // client's dialect needs even when the provider's format has none.
        QByteArray out;
        if (!translateEvents(m_codec->finishStream(), out)) {
            return;
        }
        if (!m_sawDone) {
            StreamEvent done;
            done.kind = StreamEvent::Kind::Done;
            translateEvents({done}, out);
        }
        writeToClient(out);
    }
    if (!m_clientStreamStarted) {
        const QString message = tr("The provider's stream ended before any event.");
        concludeFailure(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, message),
            complete ? u"invalid_response"_s : u"truncated"_s, message);
        return;
    }
    if (!m_streamError.isEmpty()) {
        // The provider's own error event already went to the client; the stream just ends.
        Ledger::UsageRecord record = attemptRecord(u"stream_error"_s);
        m_session.finish(transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, m_streamError),
            chargeFor(record), record.usage.totalTokens(), m_context.clock->nowMs(),
            QDateTime::currentMSecsSinceEpoch());
        emitRecord(std::move(record), true);
        if (!m_client.isNull()) {
            m_client->endStream();
        }
        finish();
        return;
    }
    if (!complete) {
        const QString message = tr("The provider's stream ended before its final event; the answer is incomplete.");
        endStreamWithError(
            transportOutcome(Routing::AttemptOutcome::Transport::InvalidResponse, message), u"truncated"_s, message);
        return;
    }
    if (!m_client.isNull()) {
        m_client->endStream();
    }
    concludeSuccess();
}

void ChatCompletionCall::handleUpstreamFailed(const UpstreamFailure &failure)
{
    stopAttempt();
    const Routing::AttemptOutcome outcome = transportOutcome(transportFor(failure), failure.message);
    if (m_clientStreamStarted) {
        endStreamWithError(outcome, errorClassFor(failure),
            tr("The connection to the provider failed mid-stream: %1").arg(failure.message));
        return;
    }
    concludeFailure(outcome, errorClassFor(failure), failure.message);
}

void ChatCompletionCall::handleTtftTimeout()
{
    stopAttempt();
    const QString message = tr("No first token within %1 ms.").arg(m_target.ttftTimeoutMs);
    concludeFailure(
        transportOutcome(Routing::AttemptOutcome::Transport::TtftTimeout, message), u"ttft_timeout"_s, message);
}

void ChatCompletionCall::handleAttemptTimeout()
{
    stopAttempt();
    const QString message = tr("No complete answer within %1 ms.").arg(m_attemptTimer.interval());
    const Routing::AttemptOutcome outcome = transportOutcome(Routing::AttemptOutcome::Transport::Timeout, message);
    if (m_clientStreamStarted) {
        endStreamWithError(outcome, u"timeout"_s, message);
        return;
    }
    concludeFailure(outcome, u"timeout"_s, message);
}

void ChatCompletionCall::concludeFailure(const Routing::AttemptOutcome &outcome, const QString &errorClass,
    const QString &message, std::optional<ProviderError> error)
{
    Ledger::UsageRecord record = attemptRecord(errorClass);
    qCDebug(lcCall) << m_context.requestId << "attempt" << m_attempt << m_target.toString() << "failed:" << errorClass
                    << message;
    m_failures.append({m_target.toString(), errorClass, message, std::move(error), m_retryAfter});
    const auto verdict = m_session.finish(outcome, chargeFor(record), record.usage.totalTokens(),
        m_context.clock->nowMs(), QDateTime::currentMSecsSinceEpoch(), m_retryAfter, m_retryAfterMs);
    emitRecord(std::move(record), verdict == Routing::RoutingSession::Verdict::Answer);
    switch (verdict) {
    case Routing::RoutingSession::Verdict::Answer:
        respondFailure();
        return;
    case Routing::RoutingSession::Verdict::Retry:
        scheduleRetry();
        return;
    case Routing::RoutingSession::Verdict::Fallback:
        tryNext();
        return;
    }
}

Ledger::UsageRecord ChatCompletionCall::concludeSuccessInSession()
{
    Ledger::UsageRecord record = attemptRecord({});
    m_session.finish(httpOutcome(), chargeFor(record), record.usage.totalTokens(), m_context.clock->nowMs(),
        QDateTime::currentMSecsSinceEpoch());
    return record;
}

void ChatCompletionCall::concludeSuccess()
{
    emitRecord(concludeSuccessInSession(), true);
    finish();
}

void ChatCompletionCall::endStreamWithError(
    const Routing::AttemptOutcome &outcome, const QString &errorClass, const QString &message)
{
    Ledger::UsageRecord record = attemptRecord(errorClass);
    // The verdict does not matter any more: part of the answer is with the client. The outcome
    // still counts for the target's breaker and statistics.
    m_session.finish(outcome, chargeFor(record), record.usage.totalTokens(), m_context.clock->nowMs(),
        QDateTime::currentMSecsSinceEpoch());
    emitRecord(std::move(record), true);
    if (!m_client.isNull()) {
        writeChunkToClient(m_encoder.streamError(ClientEncoder::gatewayError(502, message, errorClass)));
        m_client->endStream();
    }
    finish();
}

void ChatCompletionCall::respondFailure()
{
    const Failure &last = m_failures.last();
    if (last.error) {
        // The provider's own error (e.g. its 429 with Retry-After) tells the client most.
        respondError(*last.error, last.retryAfter);
        finish();
        return;
    }
    QStringList reasons;
    for (const Failure &failure : std::as_const(m_failures)) {
        reasons.append(u"%1: %2"_s.arg(failure.target, failure.message));
    }
    const int status = last.errorClass == u"timeout"_s || last.errorClass == u"ttft_timeout"_s ? 504 : 502;
    const QString message = routeName().isEmpty()
        ? tr("The provider could not be reached: %1").arg(reasons.join(u"; "_s))
        : tr("All %n target(s) of route \"%1\" failed: %2", nullptr, int(m_failures.size()))
              .arg(routeName(), reasons.join(u"; "_s));
    respondError(ClientEncoder::gatewayError(status, message, last.errorClass));
    finish();
}

void ChatCompletionCall::respondRefusal(const Routing::RoutingSession::Refusal &refusal)
{
    if (refusal.kind != Routing::RoutingSession::Refusal::Kind::NoTargetLeft) {
        respondLimitRefusal(refusal);
    } else if (!m_failures.isEmpty()) {
        respondFailure();
        return;
    } else {
        respondError(ClientEncoder::gatewayError(503,
            tr("No target of route \"%1\" can take the request now: %2 (%3)")
                .arg(routeName(), refusal.message, QString::fromUtf8(m_session.trace().toHeaderSummary())),
            u"no_target_available"_s));
    }
    finish();
}

void ChatCompletionCall::terminate(const QString &reason)
{
    if (m_finished || !m_clientStreamStarted) {
        GatewayCall::terminate(reason);
        return;
    }
    abandonAttempt(u"shutdown"_s);
    if (!m_client.isNull()) {
        writeChunkToClient(m_encoder.streamError(ClientEncoder::gatewayError(503, reason, u"shutdown"_s)));
        m_client->endStream();
    }
    finish();
}

Ledger::UsageRecord ChatCompletionCall::attemptRecord(const QString &errorClass) const
{
    Ledger::UsageRecord record = baseRecord(errorClass, m_usage);
    record.stream = m_summary.stream;
    record.ttftMs = m_ttftMs;
    return record;
}

void ChatCompletionCall::stopAttempt()
{
    m_ttftTimer.stop();
    m_attemptTimer.stop();
    GatewayCall::stopAttempt();
}

} // namespace Switchyard::Gateway
