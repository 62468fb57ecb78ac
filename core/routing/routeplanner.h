#pragma once

#include "core/model/result.h"
#include "core/routing/route.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace Switchyard::Routing {

// The targets one request will try, in order.
struct RoutePlan
{
    QString routeName; // empty when the client named "provider/model" directly
    QList<RouteTarget> targets;
};

// Turns the model name a client asked for into a plan: a route alias gives its ordered
// targets, "provider/model" gives that single target.
class RoutePlanner
{
public:
    RoutePlanner() = default;
    RoutePlanner(const QList<Route> &routes, const QStringList &providerIds);

    Result<RoutePlan> plan(const QString &requestedModel) const;
    const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
    QHash<QString, qsizetype> m_routeIndex;
    QSet<QString> m_providerIds;
};

} // namespace Switchyard::Routing
