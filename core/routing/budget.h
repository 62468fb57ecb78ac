#pragma once

#include "core/model/money.h"

#include <QMetaType>
#include <QString>

namespace Switchyard::Routing {

// A spending cap in US dollars over a calendar-aligned window (local time): a request that
// would go over it is refused before it is sent, a target over its provider's cap is skipped.
struct Budget
{
    enum class Scope {
        Key,      // a local API key, by name
        Route,    // a route, by name
        Provider, // a provider, by id
    };
    enum class Window {
        Day,   // from local midnight
        Week,  // from Monday, local midnight
        Month, // from the 1st, local midnight
    };

    Scope scope = Scope::Key;
    QString name;
    Money limit;
    Window window = Window::Month;

    friend bool operator==(const Budget &, const Budget &) = default;
};

// Requests and tokens per minute, for a local key or for one provider/model target.
struct RateLimit
{
    enum class Scope {
        Key,    // a local API key, by name
        Target, // "provider/model"
    };

    Scope scope = Scope::Key;
    QString name;
    int requestsPerMinute = 0; // 0: no limit
    qint64 tokensPerMinute = 0; // 0: no limit

    friend bool operator==(const RateLimit &, const RateLimit &) = default;
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::Budget)
Q_DECLARE_METATYPE(Switchyard::Routing::RateLimit)
