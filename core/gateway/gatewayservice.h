#pragma once

#include "core/gateway/clientdialect.h"
#include "core/gateway/gatewaycall.h"
#include "core/gateway/gatewaymetrics.h"
#include "core/gateway/gatewaytables.h"
#include "core/gateway/httprequesthandler.h"
#include "core/gateway/passthroughscanner.h"
#include "core/ledger/usagerecord.h"
#include "core/model/chatrequest.h"
#include "core/model/result.h"
#include "core/routing/budgetbook.h"
#include "core/routing/clock.h"
#include "core/routing/randomsource.h"
#include "core/routing/ratelimiter.h"
#include "core/routing/routerstate.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace Switchyard::Gateway {

class CountTokensCall;
class HttpServer;
class UpstreamPool;

// The local gateway: an OpenAI- and Anthropic-compatible HTTP endpoint that authenticates local
// keys and carries each request through its route to the providers. Lives on one thread; every
// method must be called from it.
class GatewayService final : public QObject, private HttpRequestHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayService)

public:
    explicit GatewayService(QObject *parent = nullptr);
    ~GatewayService() override;

    // Takes effect for requests that arrive from now on; calls in flight keep their snapshot.
    void setTables(std::shared_ptr<const GatewayTables> tables);
    std::shared_ptr<const GatewayTables> tables() const { return m_tables; }

    // Listens on the address in the tables' settings, or on `host`/`port` when given.
    Status start(const QString &host = {}, int port = -1);
    bool isRunning() const;
    QString host() const;
    quint16 port() const;
    int callsInFlight() const { return int(m_calls.size()); }
    GatewayMetrics &metrics() { return m_metrics; }
    // Circuit breakers and target statistics; they outlive workspace changes.
    Routing::RouterState &routerState() { return m_routerState; }
    // Spend so far in the budgets' current windows (from the ledger), before requests are served.
    void seedBudgets(const QList<Routing::BudgetBook::Spend> &spend);
    const Routing::BudgetBook &budgets() const { return m_budgets; }

    // Stops accepting, lets calls in flight finish for up to `graceMs`, then ends the rest
    // (a stream gets a closing error event). Emits stopped() when everything is closed.
    void shutdown(int graceMs);
    // Drops everything at once.
    void stop();

signals:
    void runningChanged(bool running);
    void attemptRecorded(const Switchyard::Ledger::UsageRecord &record);
    void stopped();

private:
    void handleRequest(HttpRequest &&request, HttpConnection *connection) override;
    static ClientDialect dialectOf(const HttpRequest &request);
    void handleChatCompletions(HttpRequest &&request, HttpConnection *connection, const QString &keyName);
    void handleMessages(HttpRequest &&request, HttpConnection *connection, const QString &keyName);
    void startCall(ClientDialect dialect, HttpRequest &&request, std::optional<ChatRequest> canonical,
                   ChatRequestSummary summary, HttpConnection *connection, const QString &keyName);
    void handleCountTokens(HttpRequest &&request, HttpConnection *connection);
    void handleEmbeddings(HttpRequest &&request, HttpConnection *connection, const QString &keyName);
    GatewayCall::Context callContext(const HttpRequest &request, ClientDialect dialect, const QString &keyName,
                                     const Routing::RoutePlan &plan, const Routing::RequestFacts &facts);
    void launch(GatewayCall *call);
    void handleModels(HttpConnection *connection, ClientDialect dialect);
    void handleHealth(HttpConnection *connection);
    void handleMetrics(HttpConnection *connection);
    void addRouterGauges();
    QString authenticate(const HttpRequest &request, ClientDialect dialect, HttpConnection *connection);
    void respondError(HttpConnection *connection, ClientDialect dialect, int status, const QString &message,
                      const QString &code = {});
    void finishShutdown();
    QString nextRequestId();

    std::shared_ptr<const GatewayTables> m_tables;
    Routing::SystemClock m_clock;
    Routing::SystemRandom m_random;
    Routing::RouterState m_routerState;
    Routing::BudgetBook m_budgets;
    Routing::RateLimiter m_limiter;
    HttpServer *m_server = nullptr;
    UpstreamPool *m_pool = nullptr;
    QSet<GatewayCall *> m_calls;
    QSet<CountTokensCall *> m_countCalls;
    GatewayMetrics m_metrics;
    QTimer m_shutdownTimer;
    bool m_shuttingDown = false;
    quint64 m_requestCounter = 0;
    QByteArray m_requestIdPrefix;
};

} // namespace Switchyard::Gateway
