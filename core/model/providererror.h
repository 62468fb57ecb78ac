#pragma once

#include <QMetaType>
#include <QString>

namespace Switchyard {

// An error reported by a provider (or produced by the gateway) in canonical form.
struct ProviderError
{
    int httpStatus = 0;
    QString type;    // e.g. "invalid_request_error", "rate_limit_error"
    QString code;    // e.g. "context_length_exceeded"; may be empty
    QString param;   // may be empty
    QString message; // human-readable

    friend bool operator==(const ProviderError &, const ProviderError &) = default;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::ProviderError)
