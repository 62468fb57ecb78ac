#include "core/gateway/routerehearsal.h"

#include "core/gateway/gatewaytables.h"
#include "core/model/usage.h"

#include <QLoggingCategory>
#include <QThread>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcRehearsal, "switchyard.gateway.routerehearsal")
} // namespace

RouteRehearsal::RouteRehearsal(QObject *parent)
    : QObject(parent)
{
}

RouteRehearsal::~RouteRehearsal()
{
    if (m_thread != nullptr) {
        m_thread->wait();
        delete m_thread;
    }
}

Result<Routing::RehearsalReport> RouteRehearsal::rehearse(const Config::Workspace &workspace,
    const Pricing::PriceCatalog &catalog, const QString &routeName, const Routing::RehearsalScenario &scenario)
{
    // The planner points into the tables that built it; they live until the rehearsal is over.
    std::shared_ptr<const GatewayTables> tables;
    const auto makePlanner = [&](Routing::RandomSource &random) {
        tables = GatewayTables::build(workspace, {}, catalog, &random);
        return tables->planner();
    };
    const auto cost = [&tables](const Routing::RouteTarget &target, qint64 promptTokens,
                          qint64 completionTokens) -> std::optional<Money> {
        const auto price = tables->priceOf(target.provider, target.model);
        if (!price) {
            return std::nullopt;
        }
        Usage usage;
        usage.promptTokens = promptTokens;
        usage.completionTokens = completionTokens;
        usage.isReported = true;
        return Pricing::PriceCatalog::cost(*price, usage);
    };
    return Routing::Rehearsal::run(routeName, scenario, makePlanner, cost);
}

bool RouteRehearsal::start(const Config::Workspace &workspace, const Pricing::PriceCatalog &catalog,
    const QString &routeName, const Routing::RehearsalScenario &scenario)
{
    if (m_thread != nullptr) {
        return false;
    }
    auto result = std::make_shared<Result<Routing::RehearsalReport>>(Failure {});
    m_result = result;
    m_thread = QThread::create([result, workspace, catalog, routeName, scenario] {
        *result = rehearse(workspace, catalog, routeName, scenario);
    });
    m_thread->setObjectName(u"RouteRehearsal"_s);
    // finished() comes from the worker; the queued slot reads the result on this object's thread.
    connect(m_thread, &QThread::finished, this, &RouteRehearsal::deliver, Qt::QueuedConnection);
    qCDebug(lcRehearsal) << "rehearsing" << routeName << "with" << scenario.requests << "requests";
    m_thread->start();
    return true;
}

void RouteRehearsal::deliver()
{
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    const std::shared_ptr<Result<Routing::RehearsalReport>> result = std::move(m_result);
    if (result->isOk()) {
        emit finished(result->value());
    } else {
        emit failed(result->errorMessage());
    }
}

} // namespace Switchyard::Gateway
