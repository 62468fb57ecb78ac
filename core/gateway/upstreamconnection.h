#pragma once

#include "core/gateway/httpmessageparser.h"
#include "core/gateway/upstreamorigin.h"

#include <QAbstractSocket>
#include <QObject>

namespace Switchyard::Gateway {

// One keep-alive connection to a provider, carrying one exchange at a time. The exchange
// currently using it (the Client) receives the parsed response.
class UpstreamConnection final : public QObject, private HttpMessageParser::Listener
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamConnection)

public:
    class Client
    {
    public:
        virtual ~Client() = default;
        virtual void upstreamConnected() = 0;
        virtual void upstreamHeaders(int status, const HttpHeaders &headers) = 0;
        virtual void upstreamBody(QByteArrayView data) = 0;
        virtual void upstreamComplete() = 0;
        // The transport failed or the response could not be parsed.
        virtual void upstreamFailed(QAbstractSocket::SocketError error, const QString &message) = 0;
    };

    explicit UpstreamConnection(const UpstreamOrigin &origin, QObject *parent = nullptr);
    ~UpstreamConnection() override;

    const UpstreamOrigin &origin() const { return m_origin; }
    // Starts the exchange: connects if needed and sends the request bytes.
    void start(Client *client, const QByteArray &request);
    // Stops delivering to the current client; the connection is no longer reusable.
    void detach();
    bool isConnected() const;
    // True once the connection has completed an exchange (so a failure may be a stale keep-alive).
    bool hasServedBefore() const { return m_exchanges > 0; }
    bool canBeReused() const;
    bool isIdle() const { return m_client == nullptr; }
    void close();

signals:
    // An idle connection was closed by the provider.
    void closedWhileIdle(Switchyard::Gateway::UpstreamConnection *connection);

private:
    bool headersComplete(HttpMessageParser &parser) override;
    void bodyReceived(QByteArrayView data) override;
    void messageComplete(HttpMessageParser &parser) override;

    void readFromSocket();
    void handleConnected();
    void handleError(QAbstractSocket::SocketError error);
    void handleDisconnected();
    void failCurrent(QAbstractSocket::SocketError error, const QString &message);

    UpstreamOrigin m_origin;
    QAbstractSocket *m_socket = nullptr;
    HttpMessageParser m_parser;
    Client *m_client = nullptr;
    int m_exchanges = 0;
    bool m_broken = false;
    bool m_keepAlive = false;
};

} // namespace Switchyard::Gateway
