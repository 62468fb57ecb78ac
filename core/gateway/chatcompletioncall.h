#pragma once

#include "core/gateway/gatewaytables.h"
#include "core/gateway/httpheaders.h"
#include "core/gateway/passthroughscanner.h"
#include "core/ledger/usagerecord.h"
#include "core/protocol/ssedecoder.h"
#include "core/routing/routeplanner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <memory>

namespace Switchyard::Gateway {

class HttpConnection;
class UpstreamExchange;
class UpstreamPool;
struct UpstreamFailure;

// One client's POST /v1/chat/completions, carried through its route: tries each target in
// order until one answers, falling over on connect errors, timeouts, 429 and 5xx as long as
// nothing has been sent to the client yet. Streams are forwarded event by event; a stream
// that breaks after the first event ends with an OpenAI-shaped error event, never silently.
// Emits one ledger record per upstream attempt.
class ChatCompletionCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatCompletionCall)

public:
    struct Context
    {
        std::shared_ptr<const GatewayTables> tables;
        UpstreamPool *pool = nullptr;
        QString requestId;
        QString keyName;
    };

    ChatCompletionCall(Context context, QByteArray body, ChatRequestSummary summary, Routing::RoutePlan plan,
                       HttpConnection *client, QObject *parent = nullptr);
    ~ChatCompletionCall() override;

    void start();
    // Ends the call at once (gateway shutdown): the client gets an error saying why.
    void terminate(const QString &reason);
    const QString &routeName() const { return m_plan.routeName; }
    // The HTTP status the client received (0 while nothing was sent, e.g. the client left).
    int clientStatus() const { return m_clientStatus; }

signals:
    void attemptRecorded(const Switchyard::Ledger::UsageRecord &record);
    void finished();

private:
    enum class Mode {
        Json,           // 2xx JSON answer, buffered to read its usage
        Stream,         // 2xx event stream, forwarded as it arrives
        RetryableError, // 429/5xx with targets left: read the body, then try the next target
        FinalError,     // any other error status: passed on to the client
    };
    struct AttemptFailure
    {
        QString target; // "provider/model"
        QString errorClass;
        QString message;
        int status = 0;
        QByteArray body;       // upstream error body, when there was one
        QByteArray retryAfter; // upstream Retry-After
    };

    void tryNextTarget();
    void startAttempt(const Routing::RouteTarget &target, const ProviderEndpoint &endpoint);
    void handleResponseStarted(int status, const HttpHeaders &headers);
    void handleData(QByteArrayView data);
    void handleUpstreamFinished();
    void handleUpstreamFailed(const UpstreamFailure &failure);
    void handleClientGone();

    void forwardStreamEvents(QByteArrayView data);
    void finishJson();
    void finishStream();
    // Records the attempt as failed and moves on to the next target.
    void failAttempt(const QString &errorClass, const QString &message, const QByteArray &body = {},
                     const QByteArray &retryAfter = {});
    void endStreamWithError(const QString &errorClass, const QString &message);
    void respondAllFailed();
    void respondError(int status, const QByteArray &body, const QByteArray &retryAfter = {});
    void recordAttempt(const QString &errorClass);
    void releaseExchange();
    void finish();
    HttpHeaders responseHeaders(const QByteArray &contentType) const;
    bool hasMoreTargets() const { return m_nextTarget < m_plan.targets.size(); }

    Context m_context;
    QByteArray m_body;
    ChatRequestSummary m_summary;
    Routing::RoutePlan m_plan;
    QPointer<HttpConnection> m_client;
    qsizetype m_nextTarget = 0;
    QList<AttemptFailure> m_failures;
    bool m_finished = false;
    int m_clientStatus = 0;

    // The attempt in progress.
    int m_attempt = 0;
    Routing::RouteTarget m_target;
    const ProviderEndpoint *m_endpoint = nullptr;
    UpstreamExchange *m_exchange = nullptr;
    QDateTime m_attemptStartedAt;
    QElapsedTimer m_attemptTimer;
    Mode m_mode = Mode::Json;
    int m_status = 0;
    QByteArray m_contentType;
    QByteArray m_retryAfter;
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
