#pragma once

#include "core/config/workspace.h"
#include "core/model/result.h"
#include "core/routing/route.h"

#include <QString>

namespace Switchyard::Workbench {

// Turns a comparison's winner into routing: adds a target to a route, or starts a route with it.
class RoutePromotion
{
public:
    RoutePromotion() = delete;

    // The workspace with `target` added at the end of route `routeName`, or with a new route of
    // that one target (fallback strategy) when no route has the name. Fails, saying why, when the
    // route already has the target or the result would not be a valid workspace (a bad name, an
    // unknown provider, …).
    static Result<Config::Workspace> apply(
        const Config::Workspace &workspace, const QString &routeName, const Routing::RouteTarget &target);
};

} // namespace Switchyard::Workbench
