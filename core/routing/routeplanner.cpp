#include "core/routing/routeplanner.h"

#include "core/routing/routingtr.h"


using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

RoutePlanner::RoutePlanner(const QList<Route> &routes, const QStringList &providerIds)
    : m_routes(routes)
    , m_providerIds(providerIds.cbegin(), providerIds.cend())
{
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        m_routeIndex.insert(m_routes.at(i).name, i);
    }
}

Result<RoutePlan> RoutePlanner::plan(const QString &requestedModel) const
{
    if (const auto it = m_routeIndex.constFind(requestedModel); it != m_routeIndex.cend()) {
        const Route &route = m_routes.at(*it);
        return RoutePlan{route.name, route.targets};
    }
    if (auto target = RouteTarget::parse(requestedModel); target && m_providerIds.contains(target->provider)) {
        return RoutePlan{QString(), {target.value()}};
    }
    QStringList routeNames;
    for (const Route &route : m_routes) {
        routeNames.append(route.name);
    }
    QStringList providers(m_providerIds.cbegin(), m_providerIds.cend());
    providers.sort();
    return Result<RoutePlan>::failure(
        Tr::tr("The model \"%1\" does not exist. Use a route (%2) or provider/model with one of "
                                    "the providers (%3).")
            .arg(requestedModel,
                 routeNames.isEmpty() ? Tr::tr("none defined")
                                      : routeNames.join(u", "_s),
                 providers.isEmpty() ? Tr::tr("none defined")
                                     : providers.join(u", "_s)));
}

} // namespace Switchyard::Routing
