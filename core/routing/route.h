#pragma once

#include "core/model/result.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Switchyard::Routing {

// One upstream model of a route: a provider id from the workspace and that provider's model id.
struct RouteTarget
{
    QString provider;
    QString model; // may itself contain '/', e.g. "anthropic/claude-3.5-sonnet" on OpenRouter

    // "provider/model": the provider is everything before the first '/'.
    static Result<RouteTarget> parse(const QString &text);
    QString toString() const;

    friend bool operator==(const RouteTarget &, const RouteTarget &) = default;
};

// A named model alias clients call. Targets are tried in order; the next one is used after a
// connect error, a timeout, HTTP 429 or a 5xx from the previous one.
struct Route
{
    QString name; // never contains '/', never equal to a provider id
    QList<RouteTarget> targets;

    friend bool operator==(const Route &, const Route &) = default;
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::RouteTarget)
Q_DECLARE_METATYPE(Switchyard::Routing::Route)
