#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <utility>

namespace Switchyard::Gateway {

// Header fields in arrival order; names compared case-insensitively.
using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

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
