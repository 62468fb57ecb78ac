#pragma once

#include "core/model/result.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>

class QTcpServer;

namespace Switchyard::Gateway {

class HttpConnection;
class HttpRequestHandler;

// A small HTTP/1.1 server on QTcpServer: accepts connections and gives each to an
// HttpConnection, which passes complete requests to the handler.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    explicit HttpServer(HttpRequestHandler *handler, QObject *parent = nullptr);
    ~HttpServer() override;

    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }

    // Port 0 picks a free port; see serverPort().
    Status listen(const QHostAddress &address, quint16 port);
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;

    // Stops accepting; idle keep-alive connections are closed, busy ones close after their response.
    void stopAccepting();
    // Drops every connection at once.
    void abortAll();
    int connectionCount() const { return int(m_connections.size()); }
    int busyConnectionCount() const;

signals:
    void connectionCountChanged(int count);

private:
    void acceptConnections();

    HttpRequestHandler *m_handler = nullptr;
    QTcpServer *m_server = nullptr;
    QSet<HttpConnection *> m_connections;
    qint64 m_maxBodyBytes = 8 * 1024 * 1024;
};

} // namespace Switchyard::Gateway
