#include "core/workbench/gatewayaccess.h"

#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/pricing/pricecatalog.h"
#include "core/routing/route.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace Switchyard::Workbench {

QUrl GatewayAccess::chatCompletionsUrl() const
{
    QUrl url = baseUrl;
    url.setPath(url.path() + u"/chat/completions"_s);
    return url;
}

std::optional<Money> GatewayAccess::costOf(const QString &servedTarget, const Usage &usage) const
{
    if (usage.reportedCost) {
        return usage.reportedCost;
    }
    const auto target = Routing::RouteTarget::parse(servedTarget);
    if (!usage.isReported || !target || tables == nullptr) {
        return std::nullopt;
    }
    const auto price = tables->priceOf(target->provider, target->model);
    if (!price) {
        return std::nullopt;
    }
    return Pricing::PriceCatalog::cost(*price, usage);
}

GatewayAccess GatewayAccess::of(const Gateway::GatewayRuntime &runtime)
{
    const Gateway::GatewayService *gateway = runtime.gateway();
    if (!gateway->isRunning()) {
        return {};
    }
    QString host = gateway->host();
    const QHostAddress address(host);
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any) {
        host = u"127.0.0.1"_s;
    } else if (address == QHostAddress::AnyIPv6) {
        host = u"::1"_s;
    }
    GatewayAccess access;
    access.baseUrl.setScheme(u"http"_s);
    access.baseUrl.setHost(host);
    access.baseUrl.setPort(gateway->port());
    access.baseUrl.setPath(u"/v1"_s);
    access.key = runtime.workbenchKey();
    access.tables = gateway->tables();
    return access;
}

} // namespace Switchyard::Workbench
