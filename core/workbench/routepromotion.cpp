#include "core/workbench/routepromotion.h"

#include "core/config/workspacecodec.h"
#include "core/workbench/workbenchtr.h"

#include <algorithm>

namespace Switchyard::Workbench {

Result<Config::Workspace> RoutePromotion::apply(
    const Config::Workspace &workspace, const QString &routeName, const Routing::RouteTarget &target)
{
    const QString name = routeName.trimmed();
    if (name.isEmpty()) {
        return Result<Config::Workspace>::failure(Tr::tr("Name the route to add %1 to.").arg(target.toString()));
    }
    Config::Workspace promoted = workspace;
    const auto route = std::find_if(promoted.routes.begin(), promoted.routes.end(),
        [&name](const Routing::Route &candidate) { return candidate.name == name; });
    if (route == promoted.routes.end()) {
        promoted.routes.append(Routing::Route(name, {target}));
    } else if (route->targets.contains(target)) {
        return Result<Config::Workspace>::failure(
            Tr::tr("Route \"%1\" already has %2 as a target.").arg(name, target.toString()));
    } else {
        route->targets.append(target);
    }
    if (const Status valid = Config::WorkspaceCodec::validate(promoted); !valid) {
        return Result<Config::Workspace>::failure(
            Tr::tr("%1 was not added to route \"%2\": %3").arg(target.toString(), name, valid.errorMessage()));
    }
    return promoted;
}

} // namespace Switchyard::Workbench
