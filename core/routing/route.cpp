#include "core/routing/route.h"

#include "core/providers/providerprofile.h"
#include "core/routing/routingtr.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

Result<RouteTarget> RouteTarget::parse(const QString &text)
{
    const qsizetype slash = text.indexOf(u'/');
    if (slash < 0) {
        return Result<RouteTarget>::failure(
            Tr::tr("\"%1\" is not a route target: write provider/model, e.g. openai/gpt-4o-mini").arg(text));
    }
    RouteTarget target;
    target.provider = text.left(slash);
    target.model = text.mid(slash + 1);
    if (!Providers::ProviderProfile::isValidId(target.provider)) {
        return Result<RouteTarget>::failure(
            Tr::tr("\"%1\" does not start with a provider id: write provider/model, where the provider id uses "
                   "lowercase letters, digits, '-' and '_'")
                .arg(text));
    }
    if (target.model.isEmpty()) {
        return Result<RouteTarget>::failure(
            Tr::tr("\"%1\" names no model after the '/': write provider/model, e.g. openai/gpt-4o-mini").arg(text));
    }
    for (const QChar c : std::as_const(target.model)) {
        if (c.isSpace() || c.category() == QChar::Other_Control) {
            return Result<RouteTarget>::failure(
                Tr::tr("\"%1\" contains a space or control character in the model name").arg(text));
        }
    }
    return target;
}

QString RouteTarget::toString() const
{
    return isNested() ? QString(u"route:"_s + route) : QString(provider + u'/' + model);
}

} // namespace Switchyard::Routing
