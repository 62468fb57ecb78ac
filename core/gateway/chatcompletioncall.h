#pragma once

#include "core/gateway/gatewaytables.h"
#include "core/gateway/httpheaders.h"
#include "core/gateway/passthroughscanner.h"
#include "core/ledger/usagerecord.h"
#include "core/protocol/ssedecoder.h"
#include "core/routing/routingsession.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace Switchyard::Routing {
class Clock;
}

namespace Switchyard::Gateway {

class HttpConnection;
class UpstreamExchange;
class UpstreamPool;
struct UpstreamFailure;

// One client's POST /v1/chat/completions, carried through its route. The routing session
// decides (which target next, retry or fall back, what goes back to the client); this class
// executes: it sends each attempt upstream, forwards a stream event by event, enforces the
// target's timeouts, and answers the client. Until the first event has reached the client any
// failure may move on; after it, a failure ends the stream with an OpenAI-shaped error event,
// never silently. Emits one ledger record per upstream attempt, the last one with the trace.
class ChatCompletionCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatCompletionCall)

public:
    struct Context
    {
        std::shared_ptr<const GatewayTables> tables;
        UpstreamPool *pool = nullptr;
        const Routing::Clock *clock = nullptr;
        Routing::RoutingSession::Context routing;
        QString requestId;
        bool traceHeader = false; // the client sent x-switchyard-debug: 1
    };

    ChatCompletionCall(Context context, QByteArray body, ChatRequestSummary summary, Routing::RoutePlan plan,
                       HttpConnection *client, QObject *parent = nullptr);
    ~ChatCompletionCall() override;

    void start();
    // Ends the call at once (gateway shutdown): the client gets an error saying why.
    void terminate(const QString &reason);
    const QString &routeName() const { return m_session.plan().routeName; }
    // The HTTP status the client received (0 while nothing was sent, e.g. the client left).
    int clientStatus() const { return m_clientStatus; }

signals:
    void attemptRecorded(const Switchyard::Ledger::UsageRecord &record);
    void finished();

private:
    enum class Mode {
        Json,      // 2xx JSON answer, buffered to read its usage
        Stream,    // 2xx event stream, forwarded as it arrives
        ErrorBody, // an error status: its body is read, then the session decides
    };
    // What the client gets when the route gives up after a failed attempt.
    struct Failure
    {
        QString target; // "provider/model"
        QString errorClass;
        QString message;
        int status = 0;
        QByteArray body;       // the provider's error body, when there was one
        QByteArray retryAfter; // the provider's Retry-After
    };

    void tryNext();
    void startAttempt(const Routing::PlannedTarget &planned, const ProviderEndpoint &endpoint);
    QByteArray upstreamBody(const Routing::RouteTarget &target, const ProviderEndpoint &endpoint) const;
    void handleResponseStarted(int status, const HttpHeaders &headers);
    void handleData(QByteArrayView data);
    void handleUpstreamFinished();
    void handleUpstreamFailed(const UpstreamFailure &failure);
    void handleTtftTimeout();
    void handleAttemptTimeout();
    void handleClientGone();

    void forwardStreamEvents(QByteArrayView data);
    void finishJson();
    void finishStream();
    // An attempt that failed before anything reached the client: the session decides what next.
    void concludeFailure(const Routing::AttemptOutcome &outcome, const QString &errorClass, const QString &message);
    void concludeSuccess();
    Ledger::UsageRecord concludeSuccessInSession();
    void endStreamWithError(const Routing::AttemptOutcome &outcome, const QString &errorClass, const QString &message);
    void respondFailure();
    void respondRefusal(const Routing::RoutingSession::Refusal &refusal);
    void respondError(int status, const QByteArray &body, const QByteArray &retryAfter = {});
    Ledger::UsageRecord attemptRecord(const QString &errorClass) const;
    Money chargeFor(const Ledger::UsageRecord &record) const;
    void emitRecord(Ledger::UsageRecord record, bool withTrace);
    void stopAttempt();
    void finish();
    HttpHeaders responseHeaders(const QByteArray &contentType) const;
    Routing::AttemptOutcome httpOutcome() const;

    Context m_context;
    QByteArray m_body;
    ChatRequestSummary m_summary;
    Routing::RoutingSession m_session;
    QPointer<HttpConnection> m_client;
    QList<Failure> m_failures;
    QTimer m_retryTimer;
    bool m_finished = false;
    int m_clientStatus = 0;

    // The attempt in progress.
    int m_attempt = 0;
    Routing::RouteTarget m_target;
    const ProviderEndpoint *m_endpoint = nullptr;
    UpstreamExchange *m_exchange = nullptr;
    QTimer m_ttftTimer;    // the target's time-to-first-token timeout
    QTimer m_attemptTimer; // the target's total timeout, capped by the route's deadline
    QDateTime m_attemptStartedAt;
    QElapsedTimer m_attemptClock;
    Mode m_mode = Mode::Json;
    int m_status = 0;
    QByteArray m_contentType;
    QByteArray m_retryAfter;
    QByteArray m_retryAfterMs;
    QByteArray m_responseBody;
    Protocol::SseDecoder m_decoder;
    Usage m_usage;
    qint64 m_ttftMs = -1;
    bool m_clientStreamStarted = false;
    bool m_sawDone = false;
    bool m_sawFinish = false;
    QString m_streamError;
};

} // namespace Switchyard::Gateway
