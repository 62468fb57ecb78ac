#include "core/workbench/chatexchange.h"

#include "core/protocol/openaicodec.h"

#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Switchyard::Workbench {

namespace {
Q_LOGGING_CATEGORY(lcExchange, "switchyard.workbench.chatexchange")
} // namespace

ChatExchange::ChatExchange(QObject *parent)
    : QObject(parent)
{
    // The gateway is on this machine: a proxy from the environment must not stand in between.
    m_network.setProxy(QNetworkProxy::NoProxy);
}

ChatExchange::~ChatExchange()
{
    if (m_reply != nullptr) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ChatExchange::start(const GatewayAccess &access, ChatRequest request)
{
    Q_ASSERT(!m_started);
    m_started = true;
    m_running = true;
    m_access = access;
    m_result.target = request.model;
    m_clock.start();
    if (!access.isValid()) {
        // After returning, so callers connect the same way for every outcome.
        QTimer::singleShot(0, this, [this] { fail(tr("The gateway is not running. Start it to send requests.")); });
        return;
    }
    request.stream = true;
    request.includeUsage = true;
    QNetworkRequest httpRequest(access.chatCompletionsUrl());
    httpRequest.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    httpRequest.setRawHeader("Accept"_ba, "text/event-stream"_ba);
    httpRequest.setRawHeader("Authorization"_ba, "Bearer "_ba + access.key.toUtf8());
    httpRequest.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    m_reply = m_network.post(httpRequest, Protocol::OpenAiCodec::encodeRequest(request));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &ChatExchange::handleMetaData);
    connect(m_reply, &QIODevice::readyRead, this, &ChatExchange::handleReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatExchange::handleReplyFinished);
}

void ChatExchange::cancel()
{
    if (!m_running) {
        return;
    }
    if (m_reply != nullptr) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    finish(ExchangeResult::Outcome::Cancelled);
}

void ChatExchange::handleMetaData()
{
    if (m_result.httpStatus != 0) {
        return;
    }
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        return;
    }
    m_result.httpStatus = status.toInt();
    m_streaming = m_result.httpStatus == 200;
    m_result.servedTarget = QString::fromUtf8(m_reply->rawHeader("x-switchyard-target"_ba));
    m_result.route = QString::fromUtf8(m_reply->rawHeader("x-switchyard-route"_ba));
    m_result.attempts = m_reply->rawHeader("x-switchyard-attempts"_ba).toInt();
    m_result.requestId = QString::fromUtf8(m_reply->rawHeader("x-request-id"_ba));
}

void ChatExchange::handleReadyRead()
{
    handleMetaData();
    const QByteArray bytes = m_reply->readAll();
    if (!m_streaming) {
        m_errorBody += bytes;
        return;
    }
    for (const Protocol::SseEvent &event : m_decoder.feed(bytes)) {
        handleStreamData(event.data);
        if (!m_running) {
            return; // a slot connected to a delta cancelled the exchange
        }
    }
}

void ChatExchange::handleStreamData(const QByteArray &data)
{
    const Result<StreamEvent> decoded = Protocol::OpenAiCodec::decodeStreamData(data);
    if (!decoded) {
        qCWarning(lcExchange) << "the gateway sent an undecodable stream event";
        if (m_result.errorMessage.isEmpty()) {
            m_result.errorMessage
                = tr("The gateway sent a stream event that is not JSON: %1").arg(decoded.errorMessage());
        }
        return;
    }
    const StreamEvent &event = decoded.value();
    if (event.usage) {
        m_result.usage = *event.usage;
    }
    switch (event.kind) {
    case StreamEvent::Kind::Done:
        m_sawDone = true;
        return;
    case StreamEvent::Kind::Error:
        m_result.errorMessage = event.error ? event.error->message : tr("The gateway reported an error in the stream.");
        return;
    case StreamEvent::Kind::Usage:
        return;
    case StreamEvent::Kind::Delta:
        break;
    }
    if (!event.finishReason.isEmpty()) {
        m_result.finishReason = event.finishReason;
    }
    if (!event.reasoningDelta.isEmpty()) {
        markFirstToken();
        m_reasoning += event.reasoningDelta;
        emit reasoningDelta(event.reasoningDelta);
    }
    if (!event.contentDelta.isEmpty() && m_running) {
        markFirstToken();
        m_text += event.contentDelta;
        emit textDelta(event.contentDelta);
    }
}

void ChatExchange::markFirstToken()
{
    if (m_result.ttftMs < 0) {
        m_result.ttftMs = m_clock.elapsed();
    }
}

void ChatExchange::handleReplyFinished()
{
    handleMetaData();
    if (m_reply->bytesAvailable() > 0) {
        handleReadyRead();
        if (!m_running) {
            return;
        }
    }
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_result.httpStatus == 0) {
        fail(tr("The gateway at %1 did not answer: %2").arg(m_access.baseUrl.toString(), reply->errorString()));
        return;
    }
    if (!m_streaming) {
        fail(Protocol::OpenAiCodec::decodeError(m_result.httpStatus, m_errorBody).message);
        return;
    }
    if (!m_result.errorMessage.isEmpty()) {
        finish(ExchangeResult::Outcome::Failed);
        return;
    }
    if (!m_sawDone && m_result.finishReason.isEmpty()) {
        fail(reply->error() != QNetworkReply::NoError
                ? tr("The answer broke off: %1").arg(reply->errorString())
                : tr("The answer broke off: the gateway closed the stream before the end."));
        return;
    }
    finish(ExchangeResult::Outcome::Completed);
}

void ChatExchange::fail(const QString &message)
{
    m_result.errorMessage = message;
    finish(ExchangeResult::Outcome::Failed);
}

void ChatExchange::finish(ExchangeResult::Outcome outcome)
{
    if (!m_running) {
        return;
    }
    m_running = false;
    m_result.outcome = outcome;
    if (outcome == ExchangeResult::Outcome::Cancelled) {
        m_result.errorMessage.clear();
    }
    m_result.totalMs = m_clock.elapsed();
    m_result.cost = m_access.costOf(m_result.servedTarget, m_result.usage);
    emit finished(m_result);
}

} // namespace Switchyard::Workbench
