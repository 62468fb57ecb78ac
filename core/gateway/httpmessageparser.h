#pragma once

#include "core/gateway/httpheaders.h"

#include <http_parser.h>

#include <QByteArray>
#include <QString>

#include <optional>

namespace Switchyard::Gateway {

// Incremental HTTP/1.x parser for one side of a connection (requests on the server side,
// responses on the upstream side), wrapping Node's http_parser. It pauses after each complete
// message so the owner handles exactly one message at a time and resumes explicitly.
class HttpMessageParser
{
public:
    enum class Mode {
        Request,
        Response,
    };

    class Listener
    {
    public:
        virtual ~Listener() = default;
        // Return false to skip a body that must not be read (responses to HEAD).
        virtual bool headersComplete(HttpMessageParser &parser) = 0;
        virtual void bodyReceived(QByteArrayView data) = 0;
        virtual void messageComplete(HttpMessageParser &parser) = 0;
    };

    HttpMessageParser(Mode mode, Listener *listener);
    Q_DISABLE_COPY_MOVE(HttpMessageParser)

    // Parses up to `data.size()` bytes; returns how many were consumed. Fewer than offered
    // means the parser paused at the end of a message (see isPaused) or hit an error.
    qsizetype feed(QByteArrayView data);
    // Tells the parser the transport closed: completes a response delimited by connection close.
    void feedEof();
    void resume();
    // Stops parsing at the current byte (e.g. to refuse an oversized body).
    void pause();

    bool isPaused() const;
    bool hasError() const;
    QString errorText() const;
    bool isMessageInProgress() const { return m_inMessage; }

    // Valid from headersComplete() until the next message begins.
    const QByteArray &url() const { return m_url; }
    const HttpHeaders &headers() const { return m_headers; }
    QByteArray method() const;
    int status() const { return int(m_parser.status_code); }
    bool shouldKeepAlive() const;
    bool isHttp11() const { return m_parser.http_major == 1 && m_parser.http_minor >= 1; }
    // Declared Content-Length, if the message has one.
    std::optional<quint64> contentLength() const { return m_contentLength; }

private:
    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings &settings();

    http_parser m_parser {};
    Listener *m_listener = nullptr;
    QByteArray m_url;
    HttpHeaders m_headers;
    std::optional<quint64> m_contentLength;
    bool m_lastWasValue = false;
    bool m_inMessage = false;
};

} // namespace Switchyard::Gateway
