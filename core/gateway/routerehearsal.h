#pragma once

#include "core/config/workspace.h"
#include "core/model/result.h"
#include "core/pricing/pricecatalog.h"
#include "core/routing/rehearsal.h"

#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace Switchyard::Gateway {

// Rehearses a route of a workspace (saved or still being edited) with the planner, prices and
// fallback rules the gateway would build from it (GatewayTables), without credentials or network.
// start() runs it on a worker thread so that a long scenario never blocks the caller's thread.
class RouteRehearsal final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RouteRehearsal)

public:
    explicit RouteRehearsal(QObject *parent = nullptr);
    // Waits for a run still in progress (it has no network to wait for, only computation).
    ~RouteRehearsal() override;

    static Result<Routing::RehearsalReport> rehearse(const Config::Workspace &workspace,
        const Pricing::PriceCatalog &catalog, const QString &routeName, const Routing::RehearsalScenario &scenario);

    // Reports through finished() or failed(). False, and nothing reported, while a run is in progress.
    bool start(const Config::Workspace &workspace, const Pricing::PriceCatalog &catalog, const QString &routeName,
        const Routing::RehearsalScenario &scenario);
    bool isRunning() const { return m_thread != nullptr; }

signals:
    void finished(const Switchyard::Routing::RehearsalReport &report);
    void failed(const QString &message);

private:
    void deliver();

    QThread *m_thread = nullptr;
    std::shared_ptr<Result<Routing::RehearsalReport>> m_result;
};

} // namespace Switchyard::Gateway
