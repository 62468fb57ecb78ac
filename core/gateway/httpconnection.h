#pragma once

#include "core/gateway/httpheaders.h"
#include "core/gateway/httpmessageparser.h"
#include "core/gateway/httprequest.h"

#include <QObject>

class QTcpSocket;

namespace Switchyard::Gateway {

class HttpRequestHandler;

// One client connection of the HTTP server: parses requests one at a time (pipelined
// requests wait their turn) and writes each response, either whole with Content-Length or
// streamed with chunked transfer encoding.
class HttpConnection final : public QObject, private HttpMessageParser::Listener
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(QTcpSocket *socket, HttpRequestHandler *handler, qint64 maxBodyBytes, QObject *parent = nullptr);
    ~HttpConnection() override;

    // Answers the current request with a complete body.
    void respond(int status, const HttpHeaders &headers, QByteArrayView body);
    // Starts a chunked response; follow with writeChunk() calls and endStream().
    void beginStream(int status, const HttpHeaders &headers);
    void writeChunk(QByteArrayView data);
    void endStream();

    bool isHandlingRequest() const { return m_state != State::Idle; }
    bool hasStartedResponse() const { return m_state == State::Streaming; }
    // Finishes the current response (if any) and then closes, instead of keeping the connection alive.
    void closeWhenIdle();
    // Drops the connection at once.
    void abort();

    static QByteArray reasonPhrase(int status);

signals:
    // The client went away while a request was being answered; the handler should cancel its work.
    void clientGone();
    void closed();

private:
    enum class State {
        Idle,      // reading the next request
        Handling,  // request passed to the handler, no response bytes sent yet
        Streaming, // chunked response in progress
    };

    bool headersComplete(HttpMessageParser &parser) override;
    void bodyReceived(QByteArrayView data) override;
    void messageComplete(HttpMessageParser &parser) override;

    void readFromSocket();
    void processBuffered();
    void writeHead(int status, const HttpHeaders &headers, qint64 contentLength);
    void finishResponse();
    void rejectRequest(int status, const QByteArray &message);
    void handleDisconnected();
    void queueOutput(QByteArrayView bytes);
    void scheduleFlush();
    void flushOutput();

    QTcpSocket *m_socket = nullptr;
    HttpRequestHandler *m_handler = nullptr;
    HttpMessageParser m_parser;
    HttpRequest m_request;
    QByteArray m_buffered; // received bytes not yet consumed by the parser
    QByteArray m_out;      // response bytes waiting for the next flush
    qint64 m_maxBodyBytes = 0;
    State m_state = State::Idle;
    bool m_keepAlive = true;
    bool m_closeWhenIdle = false;
    bool m_bodyTooLarge = false;
    qint64 m_discardedBytes = 0;
    bool m_gone = false;
    bool m_flushScheduled = false;
    bool m_closeAfterFlush = false;
};

} // namespace Switchyard::Gateway
