#include "core/workbench/chattarget.h"

#include "core/config/workspace.h"

#include <QSet>

namespace Switchyard::Workbench {

QList<ChatTarget> ChatTarget::listFrom(const Config::Workspace &workspace)
{
    QList<ChatTarget> targets;
    for (const Routing::Route &route : workspace.routes) {
        targets.append({Kind::Route, route.name});
    }
    QSet<QString> seen;
    const auto addModel = [&targets, &seen](const QString &name) {
        if (!seen.contains(name)) {
            seen.insert(name);
            targets.append({Kind::Model, name});
        }
    };
    for (const Providers::ProviderProfile &provider : workspace.providers) {
        for (const QString &model : provider.models) {
            addModel(Routing::RouteTarget(provider.id, model).toString());
        }
        for (const Routing::Route &route : workspace.routes) {
            for (const Routing::RouteTarget &target : route.targets) {
                if (!target.isNested() && target.provider == provider.id) {
                    addModel(target.toString());
                }
            }
        }
    }
    return targets;
}

} // namespace Switchyard::Workbench
