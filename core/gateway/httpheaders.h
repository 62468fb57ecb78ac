#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace Switchyard::Gateway {

// A header field: name, value.
using HttpHeader = std::pair<QByteArray, QByteArray>;
// Header fields in arrival order; names compared case-insensitively.
using HttpHeaders = QList<HttpHeader>;

// The first value of `name`, or a null QByteArray when absent.
inline QByteArray headerValue(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[field, value] : headers) {
        if (field.size() == name.size() && qstrnicmp(field.constData(), name.data(), size_t(name.size())) == 0) {
            return value;
        }
    }
    return {};
}

} // namespace Switchyard::Gateway
