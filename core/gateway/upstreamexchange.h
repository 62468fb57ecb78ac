#pragma once

#include "core/gateway/httpheaders.h"
#include "core/gateway/upstreamconnection.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

namespace Switchyard::Gateway {

class UpstreamPool;

struct UpstreamRequest
{
    QUrl url;
    QByteArray method = QByteArrayLiteral("POST");
    HttpHeaders headers; // besides Host and Content-Length, which the exchange adds
    QByteArray body;
    int connectTimeoutMs = 10000;
    int firstByteTimeoutMs = 60000; // from sending the request to the response head
    int idleTimeoutMs = 120000;     // longest silence while the body arrives
};

struct UpstreamFailure
{
    enum class Kind {
        Connect,         // refused, unreachable, DNS or TLS failure: nothing was sent
        Timeout,         // connect, first byte or idle timeout
        Reset,           // the connection broke
        InvalidResponse, // bytes that are not HTTP
    };
    Kind kind = Kind::Connect;
    QString message;
};

// One HTTP request to a provider over a pooled keep-alive connection. Emits the response as
// it arrives; exactly one of finished() or failed() ends it. Deletes nothing itself: the
// owner deletes the exchange (deleteLater is safe from its own signals).
class UpstreamExchange final : public QObject, private UpstreamConnection::Client
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamExchange)

public:
    UpstreamExchange(UpstreamPool *pool, UpstreamRequest request, QObject *parent = nullptr);
    ~UpstreamExchange() override;

    void start();
    // Abandons the exchange without emitting anything further.
    void cancel();
    bool hasResponseStarted() const { return m_status != 0; }
    int status() const { return m_status; }

signals:
    void responseStarted(int status, const Switchyard::Gateway::HttpHeaders &headers);
    void dataReceived(QByteArrayView data);
    void finished();
    void failed(const Switchyard::Gateway::UpstreamFailure &failure);

private:
    void upstreamConnected() override;
    void upstreamHeaders(int status, const HttpHeaders &headers) override;
    void upstreamBody(QByteArrayView data) override;
    void upstreamComplete() override;
    void upstreamFailed(QAbstractSocket::SocketError error, const QString &message) override;

    void sendOn(UpstreamConnection *connection);
    void handleTimeout();
    void fail(UpstreamFailure::Kind kind, const QString &message);
    void releaseConnection();
    QByteArray serializedRequest() const;

    enum class Phase {
        Idle,
        Connecting,
        AwaitingHead,
        ReceivingBody,
        Done,
    };

    UpstreamPool *m_pool = nullptr;
    UpstreamRequest m_request;
    UpstreamConnection *m_connection = nullptr;
    QTimer m_timer;
    Phase m_phase = Phase::Idle;
    int m_status = 0;
    bool m_retriedStale = false;
};

} // namespace Switchyard::Gateway

Q_DECLARE_METATYPE(Switchyard::Gateway::UpstreamFailure)
