#include "core/gateway/counttokenscall.h"

#include "core/gateway/gatewaytables.h"
#include "core/gateway/httpconnection.h"
#include "core/gateway/upstreamexchange.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcCount, "switchyard.gateway.counttokenscall")

// A count is a cheap call; a provider that takes longer than this is answered for by the estimate.
constexpr int CountTimeoutMs = 10000;
} // namespace

CountTokensCall::CountTokensCall(UpstreamPool *pool, const ProviderEndpoint *provider, QByteArray body, qint64 estimate,
    HttpConnection *client, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_provider(provider)
    , m_body(std::move(body))
    , m_estimate(estimate)
    , m_client(client)
{
}

void CountTokensCall::start()
{
    if (m_provider == nullptr || !m_provider->credentialProblem.isEmpty()) {
        respondEstimate();
        return;
    }
    UpstreamRequest request;
    request.url = QUrl(m_provider->baseUrl + u"/messages/count_tokens"_s);
    request.headers = {{"Content-Type"_ba, "application/json"_ba}, {"anthropic-version"_ba, "2023-06-01"_ba}};
    if (!m_provider->authHeader.first.isEmpty()) {
        request.headers.append(m_provider->authHeader);
    }
    request.headers.append(m_provider->extraHeaders);
    request.body = m_body;
    request.connectTimeoutMs = CountTimeoutMs;
    request.firstByteTimeoutMs = CountTimeoutMs;
    request.idleTimeoutMs = CountTimeoutMs;
    m_exchange = new UpstreamExchange(m_pool, std::move(request), this);
    connect(m_exchange, &UpstreamExchange::responseStarted, this,
        [this](int status, const HttpHeaders &) { m_status = status; });
    connect(
        m_exchange, &UpstreamExchange::dataReceived, this, [this](QByteArrayView data) { m_response.append(data); });
    connect(m_exchange, &UpstreamExchange::finished, this, &CountTokensCall::handleFinished);
    connect(m_exchange, &UpstreamExchange::failed, this, [this](const UpstreamFailure &failure) {
        qCInfo(lcCount) << "provider" << m_provider->id << "could not count tokens:" << failure.message;
        respondEstimate();
    });
    m_exchange->start();
}

void CountTokensCall::handleFinished()
{
    const QJsonObject answer = QJsonDocument::fromJson(m_response).object();
    if (m_status != 200 || !answer.value("input_tokens"_L1).isDouble()) {
        qCInfo(lcCount) << "provider" << m_provider->id << "answered count_tokens with status" << m_status;
        respondEstimate();
        return;
    }
    respond(m_response, "exact"_ba);
}

void CountTokensCall::respondEstimate()
{
    const QJsonObject body {{u"input_tokens"_s, m_estimate}, {u"estimated"_s, true}};
    respond(QJsonDocument(body).toJson(QJsonDocument::Compact), "estimated"_ba);
}

void CountTokensCall::respond(const QByteArray &body, const QByteArray &kind)
{
    if (m_exchange != nullptr) {
        m_exchange->disconnect(this);
        m_exchange->cancel();
        m_exchange->deleteLater();
        m_exchange = nullptr;
    }
    if (!m_client.isNull()) {
        m_client->respond(
            200, {{"Content-Type"_ba, "application/json"_ba}, {"x-switchyard-token-count"_ba, kind}}, body);
    }
    emit finished();
}

} // namespace Switchyard::Gateway
