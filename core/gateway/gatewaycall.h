#pragma once

#include "core/gateway/clientdialect.h"
#include "core/gateway/gatewaytables.h"
#include "core/gateway/httpheaders.h"
#include "core/gateway/upstreamexchange.h"
#include "core/ledger/usagerecord.h"
#include "core/model/providererror.h"
#include "core/routing/routingsession.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

namespace Switchyard::Routing {
class Clock;
}

namespace Switchyard::Gateway {

class HttpConnection;
class UpstreamPool;

// One client request the gateway carries through a route (a chat or an embeddings request):
// what every kind shares. The routing session decides which target comes next, whether to retry
// or fall back and when to answer; the subclass sends each attempt and reads its answer. Emits
// one ledger record per upstream attempt.
class GatewayCall : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayCall)

public:
    struct Context
    {
        std::shared_ptr<const GatewayTables> tables;
        UpstreamPool *pool = nullptr;
        const Routing::Clock *clock = nullptr;
        Routing::RoutingSession::Context routing;
        QString requestId;
        bool traceHeader = false; // the client sent x-switchyard-debug: 1
        ClientDialect dialect = ClientDialect::OpenAi;
        QByteArray anthropicBeta; // an Anthropic client's opt-ins, for Anthropic providers
        // The client's body, set only while body capture is switched on: the request's last
        // record then carries it with everything the client received.
        std::optional<QByteArray> capturedRequest;
    };

    ~GatewayCall() override;

    void start();
    // Ends the call at once (gateway shutdown): the client gets an error saying why.
    virtual void terminate(const QString &reason);
    QString routeName() const { return m_session.plan().routeName; }
    // The HTTP status the client received (0 while nothing was sent, e.g. the client left).
    int clientStatus() const { return m_clientStatus; }

signals:
    void attemptRecorded(const Switchyard::Ledger::UsageRecord &record);
    void finished();

protected:
    GatewayCall(Context context, Routing::RoutePlan plan, HttpConnection *client, QObject *parent);

    // Asks the session for the next attempt and makes it, or answers the client.
    virtual void tryNext() = 0;
    // The ledger record of the attempt in progress.
    virtual Ledger::UsageRecord attemptRecord(const QString &errorClass) const = 0;
    // Stops the exchange in progress without hearing from it again.
    virtual void stopAttempt();

    void beginAttempt(const Routing::RouteTarget &target);
    UpstreamExchange *startExchange(UpstreamRequest request);
    // The record fields every kind of call fills, priced from the catalog.
    Ledger::UsageRecord baseRecord(const QString &errorClass, const Usage &usage) const;
    // Abandons the attempt in progress (client gone, shutdown): recorded, not judged or charged.
    void abandonAttempt(const QString &errorClass);
    // `withTrace`: the record is the request's last and carries the routing decision trace.
    void emitRecord(Ledger::UsageRecord record, bool withTrace);
    void scheduleRetry();
    HttpHeaders responseHeaders(const QByteArray &contentType) const;
    // What the client receives goes through these two, so that body capture sees all of it.
    void respondToClient(int status, const HttpHeaders &headers, const QByteArray &body);
    void writeChunkToClient(const QByteArray &frames);
    // The error in the client's dialect, as a complete response.
    void respondError(const ProviderError &error, const QByteArray &retryAfter = {});
    // A budget or rate-limit refusal of the request's key or route: 429, with Retry-After when
    // waiting helps.
    void respondLimitRefusal(const Routing::RoutingSession::Refusal &refusal);
    void finish();
    Money chargeFor(const Ledger::UsageRecord &record) const { return m_context.tables->chargeFor(record); }

    // The ledger's error class of an HTTP error status, and of a transport failure.
    static QString errorClassForStatus(int status);
    static QString errorClassFor(const UpstreamFailure &failure);
    static Routing::AttemptOutcome::Transport transportFor(const UpstreamFailure &failure);
    static Routing::AttemptOutcome transportOutcome(
        Routing::AttemptOutcome::Transport transport, const QString &message);

    Context m_context;
    Routing::RoutingSession m_session;
    QPointer<HttpConnection> m_client;
    bool m_finished = false;
    int m_clientStatus = 0;

    // The attempt in progress.
    int m_attempt = 0;
    Routing::RouteTarget m_target;
    UpstreamExchange *m_exchange = nullptr;
    QDateTime m_attemptStartedAt;
    QElapsedTimer m_attemptClock;
    int m_status = 0;
    QByteArray m_retryAfter;

private:
    void handleClientGone();

    QTimer m_retryTimer;
    std::optional<Ledger::CapturedBodies> m_captured;
    // With body capture on, the last record waits for the end of the call, when the client has
    // received all it will.
    std::optional<Ledger::UsageRecord> m_lastRecord;
};

} // namespace Switchyard::Gateway
