#pragma once

#include "core/gateway/httpheaders.h"

#include <QByteArray>

namespace Switchyard::Gateway {

// One complete request received by the HTTP server.
struct HttpRequest
{
    QByteArray method;
    QByteArray path;  // request target without the query string
    QByteArray query; // after '?', empty when absent
    HttpHeaders headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

} // namespace Switchyard::Gateway
