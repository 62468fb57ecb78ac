#include "core/gateway/chatcompletioncall.h"

#include "core/gateway/httpconnection.h"
#include "core/gateway/upstreamexchange.h"
#include "core/protocol/openaicodec.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcCall, "switchyard.gateway.chatcompletioncall")

// Responses larger than this are not a chat completion; refusing them bounds memory.
constexpr qsizetype MaxBufferedResponseBytes = 64 * 1024 * 1024;

bool isRetryableStatus(int status)
{
    return status == 429 || status >= 500;
}

QString errorClassForStatus(int status)
{
    if (status == 429) {
        return u"http_429"_s;
    }
    return status >= 500 ? u"http_5xx"_s : u"http_4xx"_s;
}

QString errorClassFor(const UpstreamFailure &failure)
{
    switch (failure.kind) {
    case UpstreamFailure::Kind::Connect: return u"connect"_s;
    case UpstreamFailure::Kind::Timeout: return u"timeout"_s;
    case UpstreamFailure::Kind::Reset: return u"reset"_s;
    case UpstreamFailure::Kind::InvalidResponse: return u"invalid_response"_s;
    }
    return u"reset"_s;
}

QByteArray errorBody(int status, const QString &message, const QString &code = {})
{
    ProviderError error;
    error.httpStatus = status;
    error.type = Protocol::OpenAiCodec::errorTypeForStatus(status);
    error.code = code;
    error.message = message;
    return Protocol::OpenAiCodec::encodeError(error);
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

ChatCompletionCall::ChatCompletionCall(Context context, QByteArray body, ChatRequestSummary summary,
                                       Routing::RoutePlan plan, HttpConnection *client, QObject *parent)
    : QObject(parent)
    , m_context(std::move(context))
    , m_body(std::move(body))
    , m_summary(std::move(summary))
    , m_plan(std::move(plan))
    , m_client(client)
{
    connect(client, &HttpConnection::clientGone, this, &ChatCompletionCall::handleClientGone);
}

ChatCompletionCall::~ChatCompletionCall()
{
    releaseExchange();
}

void ChatCompletionCall::start()
{
    tryNextTarget();
}

void ChatCompletionCall::tryNextTarget()
{
    while (hasMoreTargets()) {
        const Routing::RouteTarget target = m_plan.targets.at(m_nextTarget++).target;
        const ProviderEndpoint *endpoint = m_context.tables->provider(target.provider);
        if (endpoint != nullptr && endpoint->credentialProblem.isEmpty()) {
            startAttempt(target, *endpoint);
            return;
        }
        // Not sent at all; recorded so the ledger explains why the target was passed over.
        ++m_attempt;
        m_target = target;
        m_endpoint = endpoint;
        m_attemptStartedAt = QDateTime::currentDateTimeUtc();
        m_attemptTimer.start();
        m_status = 0;
        m_usage = {};
        const QString message = endpoint != nullptr
            ? endpoint->credentialProblem
            : tr("Provider \"%1\" is not configured.").arg(target.provider);
        recordAttempt(u"no_credential"_s);
        m_failures.append({target.toString(), u"no_credential"_s, message, 0, {}, {}});
    }
    respondAllFailed();
}

void ChatCompletionCall::startAttempt(const Routing::RouteTarget &target, const ProviderEndpoint &endpoint)
{
    ++m_attempt;
    m_target = target;
    m_endpoint = &endpoint;
    m_attemptStartedAt = QDateTime::currentDateTimeUtc();
    m_attemptTimer.start();
    m_mode = Mode::Json;
    m_status = 0;
    m_contentType.clear();
    m_retryAfter.clear();
    m_responseBody.clear();
    m_decoder.reset();
    m_usage = {};
    m_ttftMs = -1;
    m_sawDone = false;
    m_sawFinish = false;
    m_streamError.clear();

    const Config::GatewaySettings &settings = m_context.tables->settings();
    UpstreamRequest request;
    request.url = endpoint.chatCompletionsUrl;
    request.headers = {{"Content-Type"_ba, "application/json"_ba},
                       {"Accept"_ba, m_summary.stream ? "text/event-stream"_ba : "application/json"_ba}};
    if (!endpoint.authorization.isEmpty()) {
        request.headers.append({"Authorization"_ba, endpoint.authorization});
    }
    request.headers.append(endpoint.extraHeaders);
    // Ask for the usage chunk so the ledger gets token counts; clients that did not ask for it
    // do not see it (forwardStreamEvents drops it).
    const bool addUsageOption = m_summary.stream && endpoint.supportsStreamUsage && !m_summary.hasStreamOptions;
    request.body = PassThroughScanner::rewriteRequest(m_body, m_summary, target.model, addUsageOption);
    request.connectTimeoutMs = settings.connectTimeoutMs;
    request.firstByteTimeoutMs = settings.firstByteTimeoutMs;
    request.idleTimeoutMs = settings.idleTimeoutMs;

    m_exchange = new UpstreamExchange(m_context.pool, std::move(request), this);
    connect(m_exchange, &UpstreamExchange::responseStarted, this, &ChatCompletionCall::handleResponseStarted);
    connect(m_exchange, &UpstreamExchange::dataReceived, this, &ChatCompletionCall::handleData);
    connect(m_exchange, &UpstreamExchange::finished, this, &ChatCompletionCall::handleUpstreamFinished);
    connect(m_exchange, &UpstreamExchange::failed, this, &ChatCompletionCall::handleUpstreamFailed);
    m_exchange->start();
}

void ChatCompletionCall::handleResponseStarted(int status, const HttpHeaders &headers)
{
    m_status = status;
    m_contentType = headerValue(headers, "content-type");
    m_retryAfter = headerValue(headers, "retry-after");
    if (status >= 200 && status < 300) {
        const bool isEventStream = m_contentType.startsWith("text/event-stream");
        m_mode = m_summary.stream && isEventStream ? Mode::Stream : Mode::Json;
    } else {
        m_mode = isRetryableStatus(status) && hasMoreTargets() ? Mode::RetryableError : Mode::FinalError;
    }
}

void ChatCompletionCall::handleData(QByteArrayView data)
{
    if (m_mode == Mode::Stream) {
        forwardStreamEvents(data);
        return;
    }
    if (m_responseBody.size() + data.size() > MaxBufferedResponseBytes) {
        releaseExchange();
        failAttempt(u"invalid_response"_s, tr("The provider's answer exceeds %1 MB.").arg(MaxBufferedResponseBytes >> 20));
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
            if (!m_clientStreamStarted && out.isEmpty() && hasMoreTargets()) {
                // Nothing reached the client yet, so another target can still answer.
                releaseExchange();
                failAttempt(u"stream_error"_s, m_streamError);
                return;
            }
        }
        if (summary.isUsageOnly && !m_summary.includeUsage) {
            continue;
        }
        appendEvent(out, event);
    }
    if (out.isEmpty() || m_client.isNull()) {
        return;
    }
    if (!m_clientStreamStarted) {
        m_clientStreamStarted = true;
        m_ttftMs = m_attemptTimer.elapsed();
        HttpHeaders headers = responseHeaders("text/event-stream"_ba);
        headers.append({"Cache-Control"_ba, "no-cache"_ba});
        m_client->beginStream(200, headers);
        m_clientStatus = 200;
    }
    m_client->writeChunk(out);
}

void ChatCompletionCall::handleUpstreamFinished()
{
    releaseExchange();
    switch (m_mode) {
    case Mode::Json:
        finishJson();
        return;
    case Mode::Stream:
        finishStream();
        return;
    case Mode::RetryableError:
        failAttempt(errorClassForStatus(m_status), Protocol::OpenAiCodec::decodeError(m_status, m_responseBody).message,
                    m_responseBody, m_retryAfter);
        return;
    case Mode::FinalError: {
        recordAttempt(errorClassForStatus(m_status));
        const ProviderError error = Protocol::OpenAiCodec::decodeError(m_status, m_responseBody);
        respondError(m_status, Protocol::OpenAiCodec::encodeError(error), m_retryAfter);
        finish();
        return;
    }
    }
}

void ChatCompletionCall::finishJson()
{
    const auto usage = PassThroughScanner::scanResponseUsage(m_responseBody);
    if (!usage) {
        failAttempt(u"invalid_response"_s, tr("The provider answered with invalid JSON."));
        return;
    }
    m_usage = usage->value_or(Usage{});
    m_ttftMs = m_attemptTimer.elapsed();
    if (!m_client.isNull()) {
        m_client->respond(m_status, responseHeaders(m_contentType.isEmpty() ? "application/json"_ba : m_contentType),
                          m_responseBody);
        m_clientStatus = m_status;
    }
    recordAttempt({});
    finish();
}

void ChatCompletionCall::finishStream()
{
    const bool complete = (m_sawDone || m_sawFinish) && !m_decoder.hasPartialEvent();
    if (!m_clientStreamStarted) {
        failAttempt(complete ? u"invalid_response"_s : u"truncated"_s, tr("The provider's stream ended before any event."));
        return;
    }
    if (!m_streamError.isEmpty()) {
        recordAttempt(u"stream_error"_s);
        if (!m_client.isNull()) {
            m_client->endStream();
        }
        finish();
        return;
    }
    if (!complete) {
        endStreamWithError(u"truncated"_s,
                           tr("The provider's stream ended before its final event; the answer is incomplete."));
        return;
    }
    if (!m_client.isNull()) {
        m_client->endStream();
    }
    recordAttempt({});
    finish();
}

void ChatCompletionCall::handleUpstreamFailed(const UpstreamFailure &failure)
{
    releaseExchange();
    const QString errorClass = errorClassFor(failure);
    if (m_clientStreamStarted) {
        endStreamWithError(errorClass, tr("The connection to the provider failed mid-stream: %1").arg(failure.message));
        return;
    }
    failAttempt(errorClass, failure.message);
}

void ChatCompletionCall::failAttempt(const QString &errorClass, const QString &message, const QByteArray &body,
                                     const QByteArray &retryAfter)
{
    recordAttempt(errorClass);
    qCDebug(lcCall) << m_context.requestId << "attempt" << m_attempt << m_target.toString() << "failed:" << errorClass
                    << message;
    m_failures.append({m_target.toString(), errorClass, message, m_status, body, retryAfter});
    tryNextTarget();
}

void ChatCompletionCall::endStreamWithError(const QString &errorClass, const QString &message)
{
    recordAttempt(errorClass);
    if (!m_client.isNull()) {
        const QByteArray event = "data: "_ba + errorBody(502, message, errorClass) + "\n\n"_ba;
        m_client->writeChunk(event);
        m_client->endStream();
    }
    finish();
}

void ChatCompletionCall::respondAllFailed()
{
    if (m_failures.isEmpty()) {
        respondError(502, errorBody(502, tr("The route has no targets.")));
        finish();
        return;
    }
    const AttemptFailure &last = m_failures.last();
    if (last.status >= 400 && !last.body.isEmpty()) {
        // The last provider's own error (e.g. its 429 with Retry-After) tells the client most.
        const ProviderError error = Protocol::OpenAiCodec::decodeError(last.status, last.body);
        respondError(last.status, Protocol::OpenAiCodec::encodeError(error), last.retryAfter);
        finish();
        return;
    }
    QStringList reasons;
    for (const AttemptFailure &failure : std::as_const(m_failures)) {
        reasons.append(u"%1: %2"_s.arg(failure.target, failure.message));
    }
    const int status = last.errorClass == u"timeout"_s ? 504 : 502;
    const QString message = m_plan.routeName.isEmpty()
        ? tr("The provider could not be reached: %1").arg(reasons.join(u"; "_s))
        : tr("All %n target(s) of route \"%1\" failed: %2", nullptr, int(m_failures.size()))
              .arg(m_plan.routeName, reasons.join(u"; "_s));
    respondError(status, errorBody(status, message, last.errorClass));
    finish();
}

void ChatCompletionCall::respondError(int status, const QByteArray &body, const QByteArray &retryAfter)
{
    if (m_client.isNull()) {
        return;
    }
    HttpHeaders headers = responseHeaders("application/json"_ba);
    if (!retryAfter.isEmpty()) {
        headers.append({"Retry-After"_ba, retryAfter});
    }
    m_client->respond(status, headers, body);
    m_clientStatus = status;
}

HttpHeaders ChatCompletionCall::responseHeaders(const QByteArray &contentType) const
{
    HttpHeaders headers{{"Content-Type"_ba, contentType},
                        {"x-request-id"_ba, m_context.requestId.toUtf8()},
                        {"x-switchyard-attempts"_ba, QByteArray::number(m_attempt)}};
    if (!m_plan.routeName.isEmpty()) {
        headers.append({"x-switchyard-route"_ba, m_plan.routeName.toUtf8()});
    }
    if (m_attempt > 0) {
        headers.append({"x-switchyard-target"_ba, m_target.toString().toUtf8()});
    }
    return headers;
}

void ChatCompletionCall::handleClientGone()
{
    if (m_finished) {
        return;
    }
    releaseExchange();
    if (m_attempt > 0) {
        recordAttempt(u"client_closed"_s);
    }
    finish();
}

void ChatCompletionCall::terminate(const QString &reason)
{
    if (m_finished) {
        return;
    }
    releaseExchange();
    if (m_clientStreamStarted) {
        endStreamWithError(u"shutdown"_s, reason);
        return;
    }
    if (m_attempt > 0) {
        recordAttempt(u"shutdown"_s);
    }
    respondError(503, errorBody(503, reason, u"shutdown"_s));
    finish();
}

void ChatCompletionCall::recordAttempt(const QString &errorClass)
{
    Ledger::UsageRecord record;
    record.time = m_attemptStartedAt;
    record.requestId = m_context.requestId;
    record.keyName = m_context.keyName;
    record.route = m_plan.routeName;
    record.provider = m_target.provider;
    record.model = m_target.model;
    record.status = m_status;
    record.attempt = m_attempt;
    record.stream = m_summary.stream;
    record.latencyMs = m_attemptTimer.elapsed();
    record.ttftMs = m_ttftMs;
    record.usage = m_usage;
    record.errorClass = errorClass;
    if (m_usage.isReported) {
        const QString prefix = m_endpoint != nullptr ? m_endpoint->pricingPrefix : QString();
        if (const auto price = m_context.tables->catalog().find(prefix, m_target.model)) {
            record.cost = Pricing::PriceCatalog::cost(*price, m_usage);
            record.priceSource = price->source;
        }
    }
    emit attemptRecorded(record);
}

void ChatCompletionCall::releaseExchange()
{
    if (m_exchange != nullptr) {
        UpstreamExchange *exchange = m_exchange;
        m_exchange = nullptr;
        exchange->disconnect(this);
        exchange->cancel();
        exchange->deleteLater();
    }
}

void ChatCompletionCall::finish()
{
    if (!m_finished) {
        m_finished = true;
        emit finished();
    }
}

} // namespace Switchyard::Gateway
