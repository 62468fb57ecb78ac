#pragma once

namespace Switchyard::Gateway {

class HttpConnection;
struct HttpRequest;

// Receives each complete request. The handler answers through the connection, at once or
// later; it must hold the connection in a QPointer while answering asynchronously, because
// the client may disconnect at any time.
class HttpRequestHandler
{
public:
    virtual ~HttpRequestHandler() = default;
    virtual void handleRequest(HttpRequest &&request, HttpConnection *connection) = 0;
};

} // namespace Switchyard::Gateway
