#include "core/gateway/httpconnection.h"

#include "core/gateway/httprequesthandler.h"

#include <QLoggingCategory>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcConnection, "switchyard.gateway.httpconnection")

// An oversized body up to this size is read and dropped before answering 413; beyond it the
// connection is answered and closed at once.
constexpr qint64 MaxDiscardedBodyBytes = 64 * 1024 * 1024;

QByteArray errorBody(const QByteArray &message, const QByteArray &type)
{
    return R"({"error":{"message":")"_ba + message + R"(","type":")"_ba + type + R"(","param":null,"code":null}})"_ba;
}
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpRequestHandler *handler, qint64 maxBodyBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_parser(HttpMessageParser::Mode::Request, this)
    , m_maxBodyBytes(maxBodyBytes)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readFromSocket);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::handleDisconnected);
    if (m_socket->bytesAvailable() > 0) {
        readFromSocket();
    }
}

HttpConnection::~HttpConnection() = default;

QByteArray HttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK"_ba;
    case 204: return "No Content"_ba;
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 403: return "Forbidden"_ba;
    case 404: return "Not Found"_ba;
    case 405: return "Method Not Allowed"_ba;
    case 408: return "Request Timeout"_ba;
    case 409: return "Conflict"_ba;
    case 413: return "Payload Too Large"_ba;
    case 422: return "Unprocessable Entity"_ba;
    case 429: return "Too Many Requests"_ba;
    case 500: return "Internal Server Error"_ba;
    case 502: return "Bad Gateway"_ba;
    case 503: return "Service Unavailable"_ba;
    case 504: return "Gateway Timeout"_ba;
    case 529: return "Overloaded"_ba;
    default: return "Status"_ba;
    }
}

void HttpConnection::readFromSocket()
{
    m_buffered.append(m_socket->readAll());
    processBuffered();
}

void HttpConnection::processBuffered()
{
    while (m_state == State::Idle && !m_gone) {
        if (m_buffered.isEmpty()) {
            return;
        }
        const qsizetype consumed = m_parser.feed(m_buffered);
        m_buffered.remove(0, consumed);
        if (m_bodyTooLarge && m_parser.isPaused()) {
            rejectRequest(413, "Request body exceeds the gateway's limit of "_ba + QByteArray::number(m_maxBodyBytes)
                                   + " bytes."_ba);
            return;
        }
        if (m_parser.hasError()) {
            qCDebug(lcConnection) << "malformed request:" << m_parser.errorText();
            rejectRequest(400, "Malformed HTTP request: "_ba + m_parser.errorText().toLatin1());
            return;
        }
        if (!m_parser.isPaused()) {
            return; // need more bytes
        }
        // A complete request: hand it over. The handler may answer synchronously, which puts
        // the state back to Idle and continues with pipelined requests in this loop.
        m_state = State::Handling;
        m_keepAlive = m_parser.shouldKeepAlive();
        m_handler->handleRequest(std::move(m_request), this);
        m_request = {};
    }
}

bool HttpConnection::headersComplete(HttpMessageParser &parser)
{
    const QByteArray &url = parser.url();
    const qsizetype queryStart = url.indexOf('?');
    m_request.method = parser.method();
    m_request.path = queryStart < 0 ? url : url.left(queryStart);
    m_request.query = queryStart < 0 ? QByteArray() : url.mid(queryStart + 1);
    m_request.headers = parser.headers();
    if (const auto length = parser.contentLength()) {
        if (qint64(*length) > m_maxBodyBytes) {
            m_bodyTooLarge = true;
            // Reading (and dropping) a moderately oversized body lets the client see the 413;
            // closing on a client still sending makes its kernel report a reset instead.
            if (qint64(*length) > MaxDiscardedBodyBytes) {
                parser.pause();
            }
        } else {
            // Spare room past the end lets simdjson parse the body in place.
            m_request.body.reserve(qsizetype(*length) + 64);
        }
    }
    return true;
}

void HttpConnection::bodyReceived(QByteArrayView data)
{
    if (m_bodyTooLarge) {
        m_discardedBytes += data.size();
        if (m_discardedBytes > MaxDiscardedBodyBytes) {
            m_parser.pause();
        }
        return;
    }
    if (m_request.body.size() + data.size() > m_maxBodyBytes) {
        m_bodyTooLarge = true;
        m_discardedBytes = m_request.body.size() + data.size();
        m_request.body = QByteArray();
        return;
    }
    m_request.body.append(data);
}

void HttpConnection::messageComplete(HttpMessageParser &)
{
    // The parser pauses itself here; processBuffered() dispatches the request.
}

void HttpConnection::rejectRequest(int status, const QByteArray &message)
{
    m_state = State::Handling;
    m_keepAlive = false;
    const QByteArray type = status == 413 ? "request_too_large"_ba : "invalid_request_error"_ba;
    respond(status, {{"Content-Type"_ba, "application/json"_ba}}, errorBody(message, type));
}

void HttpConnection::writeHead(int status, const HttpHeaders &headers, qint64 contentLength)
{
    QByteArray head;
    head.reserve(256);
    head += "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n"_ba;
    for (const auto &[name, value] : headers) {
        head += name + ": "_ba + value + "\r\n"_ba;
    }
    if (contentLength >= 0) {
        head += "Content-Length: "_ba + QByteArray::number(contentLength) + "\r\n"_ba;
    } else {
        head += "Transfer-Encoding: chunked\r\n"_ba;
    }
    if (!m_keepAlive || m_closeWhenIdle) {
        head += "Connection: close\r\n"_ba;
    }
    head += "\r\n"_ba;
    queueOutput(head);
}

void HttpConnection::respond(int status, const HttpHeaders &headers, QByteArrayView body)
{
    if (m_gone || m_state != State::Handling) {
        return;
    }
    writeHead(status, headers, body.size());
    queueOutput(body);
    finishResponse();
}

void HttpConnection::beginStream(int status, const HttpHeaders &headers)
{
    if (m_gone || m_state != State::Handling) {
        return;
    }
    writeHead(status, headers, -1);
    m_state = State::Streaming;
}

void HttpConnection::writeChunk(QByteArrayView data)
{
    if (m_gone || m_state != State::Streaming || data.isEmpty()) {
        return;
    }
    queueOutput(QByteArray::number(data.size(), 16));
    queueOutput("\r\n");
    queueOutput(data);
    queueOutput("\r\n");
}

void HttpConnection::endStream()
{
    if (m_gone || m_state != State::Streaming) {
        return;
    }
    queueOutput("0\r\n\r\n");
    finishResponse();
}

void HttpConnection::finishResponse()
{
    m_state = State::Idle;
    m_bodyTooLarge = false;
    m_discardedBytes = 0;
    if (!m_keepAlive || m_closeWhenIdle) {
        m_gone = true;
        m_closeAfterFlush = true;
        return;
    }
    m_parser.resume();
    if (!m_buffered.isEmpty()) {
        // Pipelined bytes are processed from the event loop, so a handler that answers
        // synchronously never recurses into the next request.
        QMetaObject::invokeMethod(this, &HttpConnection::processBuffered, Qt::QueuedConnection);
    }
}

void HttpConnection::closeWhenIdle()
{
    m_closeWhenIdle = true;
    if (m_state == State::Idle && !m_gone) {
        m_gone = true;
        m_closeAfterFlush = true;
        scheduleFlush();
    }
}

void HttpConnection::queueOutput(QByteArrayView bytes)
{
    m_out.append(bytes);
    scheduleFlush();
}

void HttpConnection::scheduleFlush()
{
    // Everything a response writes within one pass of the event loop (head, events, the final
    // chunk) leaves in one write(2): each syscall costs more than the gateway's own work.
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &HttpConnection::flushOutput, Qt::QueuedConnection);
    }
}

void HttpConnection::flushOutput()
{
    m_flushScheduled = false;
    if (!m_out.isEmpty()) {
        m_socket->write(m_out);
        m_out.resize(0);
    }
    if (m_closeAfterFlush) {
        m_closeAfterFlush = false;
        m_socket->disconnectFromHost();
    }
}

void HttpConnection::abort()
{
    m_socket->abort();
}

void HttpConnection::handleDisconnected()
{
    const bool wasAnswering = m_state != State::Idle;
    m_gone = true;
    m_state = State::Idle;
    if (wasAnswering) {
        emit clientGone();
    }
    emit closed();
    deleteLater();
}

} // namespace Switchyard::Gateway
