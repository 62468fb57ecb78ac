#include "core/config/workspace.h"

#include <algorithm>

namespace Switchyard::Config {

const Providers::ProviderProfile *Workspace::provider(const QString &id) const
{
    const auto it = std::find_if(
        providers.cbegin(), providers.cend(), [&id](const Providers::ProviderProfile &p) { return p.id == id; });
    return it == providers.cend() ? nullptr : &*it;
}

const Routing::Route *Workspace::route(const QString &name) const
{
    const auto it
        = std::find_if(routes.cbegin(), routes.cend(), [&name](const Routing::Route &r) { return r.name == name; });
    return it == routes.cend() ? nullptr : &*it;
}

} // namespace Switchyard::Config
