#include "core/gateway/httpmessageparser.h"


namespace Switchyard::Gateway {

namespace {

HttpMessageParser *self(http_parser *parser)
{
    return static_cast<HttpMessageParser *>(parser->data);
}

} // namespace

HttpMessageParser::HttpMessageParser(Mode mode, Listener *listener)
    : m_listener(listener)
{
    http_parser_init(&m_parser, mode == Mode::Request ? HTTP_REQUEST : HTTP_RESPONSE);
    m_parser.data = this;
}

const http_parser_settings &HttpMessageParser::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings result {};
        result.on_message_begin = &HttpMessageParser::onMessageBegin;
        result.on_url = &HttpMessageParser::onUrl;
        result.on_header_field = &HttpMessageParser::onHeaderField;
        result.on_header_value = &HttpMessageParser::onHeaderValue;
        result.on_headers_complete = &HttpMessageParser::onHeadersComplete;
        result.on_body = &HttpMessageParser::onBody;
        result.on_message_complete = &HttpMessageParser::onMessageComplete;
        return result;
    }();
    return s;
}

qsizetype HttpMessageParser::feed(QByteArrayView data)
{
    if (data.isEmpty() || hasError() || isPaused()) {
        return 0;
    }
    return qsizetype(http_parser_execute(&m_parser, &settings(), data.data(), size_t(data.size())));
}

void HttpMessageParser::feedEof()
{
    if (!hasError() && !isPaused()) {
        http_parser_execute(&m_parser, &settings(), nullptr, 0);
    }
}

void HttpMessageParser::resume()
{
    http_parser_pause(&m_parser, 0);
}

void HttpMessageParser::pause()
{
    http_parser_pause(&m_parser, 1);
}

bool HttpMessageParser::isPaused() const
{
    return HTTP_PARSER_ERRNO(&m_parser) == HPE_PAUSED;
}

bool HttpMessageParser::hasError() const
{
    const auto error = HTTP_PARSER_ERRNO(&m_parser);
    return error != HPE_OK && error != HPE_PAUSED;
}

QString HttpMessageParser::errorText() const
{
    return QString::fromLatin1(http_errno_description(HTTP_PARSER_ERRNO(&m_parser)));
}

QByteArray HttpMessageParser::method() const
{
    return QByteArray(http_method_str(static_cast<http_method>(m_parser.method)));
}

bool HttpMessageParser::shouldKeepAlive() const
{
    return http_should_keep_alive(&m_parser) != 0;
}

int HttpMessageParser::onMessageBegin(http_parser *parser)
{
    HttpMessageParser *p = self(parser);
    p->m_url.clear();
    p->m_headers.clear();
    p->m_contentLength.reset();
    p->m_lastWasValue = false;
    p->m_inMessage = true;
    return 0;
}

int HttpMessageParser::onUrl(http_parser *parser, const char *at, size_t length)
{
    self(parser)->m_url.append(at, qsizetype(length));
    return 0;
}

int HttpMessageParser::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpMessageParser *p = self(parser);
    // A field may arrive in several pieces; a new field starts after a value.
    if (p->m_headers.isEmpty() || p->m_lastWasValue) {
        p->m_headers.append({QByteArray(at, qsizetype(length)), QByteArray()});
    } else {
        p->m_headers.last().first.append(at, qsizetype(length));
    }
    p->m_lastWasValue = false;
    return 0;
}

int HttpMessageParser::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpMessageParser *p = self(parser);
    if (!p->m_headers.isEmpty()) {
        p->m_headers.last().second.append(at, qsizetype(length));
    }
    p->m_lastWasValue = true;
    return 0;
}

int HttpMessageParser::onHeadersComplete(http_parser *parser)
{
    HttpMessageParser *p = self(parser);
    if ((parser->flags & F_CONTENTLENGTH) != 0) {
        p->m_contentLength = parser->content_length;
    }
    // Returning 1 tells http_parser that this message has no body.
    return p->m_listener->headersComplete(*p) ? 0 : 1;
}

int HttpMessageParser::onBody(http_parser *parser, const char *at, size_t length)
{
    self(parser)->m_listener->bodyReceived(QByteArrayView(at, qsizetype(length)));
    return 0;
}

int HttpMessageParser::onMessageComplete(http_parser *parser)
{
    HttpMessageParser *p = self(parser);
    p->m_inMessage = false;
    http_parser_pause(parser, 1);
    p->m_listener->messageComplete(*p);
    return 0;
}

} // namespace Switchyard::Gateway
