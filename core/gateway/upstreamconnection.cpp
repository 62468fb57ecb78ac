#include "core/gateway/upstreamconnection.h"

#include "core/gateway/gatewaytr.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace Switchyard::Gateway {

UpstreamConnection::UpstreamConnection(const UpstreamOrigin &origin, QObject *parent)
    : QObject(parent)
    , m_origin(origin)
    , m_parser(HttpMessageParser::Mode::Response, this)
{
    if (origin.tls) {
        auto *socket = new QSslSocket(this);
        connect(socket, &QSslSocket::encrypted, this, &UpstreamConnection::handleConnected);
        m_socket = socket;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QAbstractSocket::connected, this, &UpstreamConnection::handleConnected);
    }
    connect(m_socket, &QAbstractSocket::readyRead, this, &UpstreamConnection::readFromSocket);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &UpstreamConnection::handleError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &UpstreamConnection::handleDisconnected);
}

UpstreamConnection::~UpstreamConnection()
{
    m_client = nullptr;
}

bool UpstreamConnection::isConnected() const
{
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        return false;
    }
    return !m_origin.tls || static_cast<QSslSocket *>(m_socket)->isEncrypted();
}

bool UpstreamConnection::canBeReused() const
{
    return !m_broken && m_keepAlive && !m_parser.hasError() && isConnected();
}

void UpstreamConnection::start(Client *client, const QByteArray &request)
{
    m_client = client;
    m_keepAlive = false;
    m_parser.resume();
    if (isConnected()) {
        client->upstreamConnected();
    } else if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        if (m_origin.tls) {
            static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port);
        } else {
            m_socket->connectToHost(m_origin.host, m_origin.port);
        }
    }
    // Qt buffers bytes written before the connection (and TLS handshake) completes.
    m_socket->write(request);
}

void UpstreamConnection::detach()
{
    m_client = nullptr;
    m_broken = true;
}

void UpstreamConnection::close()
{
    m_client = nullptr;
    m_broken = true;
    m_socket->abort();
}

void UpstreamConnection::handleConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_client != nullptr) {
        m_client->upstreamConnected();
    }
}

void UpstreamConnection::readFromSocket()
{
    const QByteArray data = m_socket->readAll();
    if (m_client == nullptr) {
        // Bytes on an idle connection break HTTP framing; never reuse it.
        m_broken = true;
        return;
    }
    const qsizetype consumed = m_parser.feed(data);
    if (m_parser.hasError()) {
        failCurrent(QAbstractSocket::UnknownSocketError,
                    Tr::tr("The provider sent an invalid HTTP response (%1).")
                        .arg(m_parser.errorText()));
        return;
    }
    if (consumed < data.size() && m_client == nullptr) {
        m_broken = true; // more bytes after a complete response
    }
}

bool UpstreamConnection::headersComplete(HttpMessageParser &parser)
{
    m_keepAlive = parser.shouldKeepAlive();
    if (m_client != nullptr) {
        m_client->upstreamHeaders(parser.status(), parser.headers());
    }
    return true;
}

void UpstreamConnection::bodyReceived(QByteArrayView data)
{
    if (m_client != nullptr) {
        m_client->upstreamBody(data);
    }
}

void UpstreamConnection::messageComplete(HttpMessageParser &)
{
    ++m_exchanges;
    Client *client = m_client;
    m_client = nullptr;
    if (client != nullptr) {
        client->upstreamComplete();
    }
}

void UpstreamConnection::handleError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::RemoteHostClosedError) {
        return; // handled in handleDisconnected(), where a close-delimited body completes
    }
    m_broken = true;
    failCurrent(error, m_socket->errorString());
}

void UpstreamConnection::handleDisconnected()
{
    m_broken = true;
    if (m_client == nullptr) {
        emit closedWhileIdle(this);
        return;
    }
    if (m_parser.isMessageInProgress()) {
        m_parser.feedEof(); // completes a response delimited by connection close
    }
    if (m_client != nullptr) {
        failCurrent(QAbstractSocket::RemoteHostClosedError,
                    Tr::tr("The provider closed the connection."));
    }
}

void UpstreamConnection::failCurrent(QAbstractSocket::SocketError error, const QString &message)
{
    m_broken = true;
    Client *client = m_client;
    m_client = nullptr;
    if (client != nullptr) {
        client->upstreamFailed(error, message);
    }
}

} // namespace Switchyard::Gateway
