#include "core/gateway/httpserver.h"

#include "core/gateway/gatewaytr.h"

#include "core/gateway/httpconnection.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace Switchyard::Gateway {

namespace {
// Hundreds of clients may connect in the same instant (agents fanning out); the kernel's
// queue must hold them until the event loop accepts.
constexpr int ListenBacklog = 1024;
} // namespace

HttpServer::HttpServer(HttpRequestHandler *handler, QObject *parent)
    : QObject(parent)
    , m_handler(handler)
    , m_server(new QTcpServer(this))
{
    m_server->setListenBacklogSize(ListenBacklog);
    m_server->setMaxPendingConnections(ListenBacklog);
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::acceptConnections);
}

HttpServer::~HttpServer()
{
    abortAll();
}

Status HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port)) {
        return Status::failure(Tr::tr("Cannot listen on %1:%2: %3")
                                   .arg(address.toString())
                                   .arg(port)
                                   .arg(m_server->errorString()));
    }
    return success();
}

bool HttpServer::isListening() const
{
    return m_server->isListening();
}

quint16 HttpServer::serverPort() const
{
    return m_server->serverPort();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_server->serverAddress();
}

void HttpServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto *connection = new HttpConnection(socket, m_handler, m_maxBodyBytes, this);
        m_connections.insert(connection);
        connect(connection, &HttpConnection::closed, this, [this, connection] {
            m_connections.remove(connection);
            emit connectionCountChanged(int(m_connections.size()));
        });
    }
    emit connectionCountChanged(int(m_connections.size()));
}

void HttpServer::stopAccepting()
{
    m_server->close();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections) {
        connection->closeWhenIdle();
    }
}

void HttpServer::abortAll()
{
    m_server->close();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections) {
        connection->abort();
    }
}

int HttpServer::busyConnectionCount() const
{
    int busy = 0;
    for (const HttpConnection *connection : m_connections) {
        busy += connection->isHandlingRequest() ? 1 : 0;
    }
    return busy;
}

} // namespace Switchyard::Gateway
