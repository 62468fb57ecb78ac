#include "core/gateway/upstreamexchange.h"

#include "core/gateway/upstreampool.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcExchange, "switchyard.gateway.upstreamexchange")
} // namespace

UpstreamExchange::UpstreamExchange(UpstreamPool *pool, UpstreamRequest request, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_request(std::move(request))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamExchange::handleTimeout);
}

UpstreamExchange::~UpstreamExchange()
{
    cancel();
}

void UpstreamExchange::start()
{
    sendOn(m_pool->acquire(UpstreamOrigin::fromUrl(m_request.url)));
}

void UpstreamExchange::sendOn(UpstreamConnection *connection)
{
    m_connection = connection;
    const bool reused = connection->isConnected();
    m_phase = reused ? Phase::AwaitingHead : Phase::Connecting;
    m_timer.start(reused ? m_request.firstByteTimeoutMs : m_request.connectTimeoutMs);
    connection->start(this, serializedRequest());
}

QByteArray UpstreamExchange::serializedRequest() const
{
    QByteArray target = m_request.url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty()) {
        target = "/"_ba;
    }
    if (m_request.url.hasQuery()) {
        target += '?' + m_request.url.query(QUrl::FullyEncoded).toLatin1();
    }
    QByteArray out;
    out.reserve(m_request.body.size() + 512);
    out += m_request.method + ' ' + target + " HTTP/1.1\r\nHost: "_ba
        + UpstreamOrigin::fromUrl(m_request.url).hostHeader() + "\r\n"_ba;
    for (const auto &[name, value] : m_request.headers) {
        out += name + ": "_ba + value + "\r\n"_ba;
    }
    out += "Content-Length: "_ba + QByteArray::number(m_request.body.size()) + "\r\n\r\n"_ba;
    out += m_request.body;
    return out;
}

void UpstreamExchange::cancel()
{
    m_timer.stop();
    m_phase = Phase::Done;
    if (m_connection != nullptr) {
        // A half-read response leaves the connection unusable.
        m_connection->close();
        m_pool->release(m_connection);
        m_connection = nullptr;
    }
}

void UpstreamExchange::upstreamConnected()
{
    if (m_phase == Phase::Connecting) {
        m_phase = Phase::AwaitingHead;
        m_timer.start(m_request.firstByteTimeoutMs);
    }
}

void UpstreamExchange::upstreamHeaders(int status, const HttpHeaders &headers)
{
    m_phase = Phase::ReceivingBody;
    m_status = status;
    m_timer.start(m_request.idleTimeoutMs);
    emit responseStarted(status, headers);
}

void UpstreamExchange::upstreamBody(QByteArrayView data)
{
    if (m_phase != Phase::ReceivingBody) {
        return;
    }
    m_timer.start(m_request.idleTimeoutMs);
    emit dataReceived(data);
}

void UpstreamExchange::upstreamComplete()
{
    if (m_phase != Phase::ReceivingBody) {
        return;
    }
    m_phase = Phase::Done;
    m_timer.stop();
    releaseConnection();
    emit finished();
}

void UpstreamExchange::upstreamFailed(QAbstractSocket::SocketError error, const QString &message)
{
    if (m_phase == Phase::Done) {
        return;
    }
    // A pooled connection the provider had already closed fails before any response byte;
    // the request never reached the provider, so one retry on a fresh connection is safe.
    if (m_status == 0 && !m_retriedStale && m_connection != nullptr && m_connection->hasServedBefore()) {
        m_retriedStale = true;
        qCDebug(lcExchange) << "stale keep-alive connection, retrying on a fresh one";
        m_pool->release(m_connection);
        sendOn(m_pool->acquireFresh(UpstreamOrigin::fromUrl(m_request.url)));
        return;
    }
    const bool beforeConnect = m_phase == Phase::Connecting;
    switch (error) {
    case QAbstractSocket::SocketTimeoutError:
        fail(UpstreamFailure::Kind::Timeout, message);
        return;
    case QAbstractSocket::UnknownSocketError:
        fail(beforeConnect ? UpstreamFailure::Kind::Connect : UpstreamFailure::Kind::InvalidResponse, message);
        return;
    default:
        fail(beforeConnect ? UpstreamFailure::Kind::Connect : UpstreamFailure::Kind::Reset, message);
        return;
    }
}

void UpstreamExchange::handleTimeout()
{
    switch (m_phase) {
    case Phase::Connecting:
        fail(UpstreamFailure::Kind::Timeout,
             tr("Could not connect to the provider within %1 ms.").arg(m_request.connectTimeoutMs));
        return;
    case Phase::AwaitingHead:
        fail(UpstreamFailure::Kind::Timeout,
             tr("The provider did not answer within %1 ms.").arg(m_request.firstByteTimeoutMs));
        return;
    case Phase::ReceivingBody:
        fail(UpstreamFailure::Kind::Timeout,
             tr("The provider went silent for %1 ms in the middle of its answer.").arg(m_request.idleTimeoutMs));
        return;
    case Phase::Idle:
    case Phase::Done:
        return;
    }
}

void UpstreamExchange::fail(UpstreamFailure::Kind kind, const QString &message)
{
    m_phase = Phase::Done;
    m_timer.stop();
    if (m_connection != nullptr) {
        m_connection->close();
        releaseConnection();
    }
    emit failed(UpstreamFailure{kind, message});
}

void UpstreamExchange::releaseConnection()
{
    UpstreamConnection *connection = m_connection;
    m_connection = nullptr;
    m_pool->release(connection);
}

} // namespace Switchyard::Gateway
