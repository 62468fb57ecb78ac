#pragma once

#include "core/gateway/clientencoder.h"
#include "core/gateway/gatewaycall.h"
#include "core/gateway/gatewaytables.h"
#include "core/gateway/httpheaders.h"
#include "core/gateway/passthroughscanner.h"
#include "core/gateway/upstreamcodec.h"
#include "core/model/chatrequest.h"
#include "core/ledger/usagerecord.h"
#include "core/protocol/ssedecoder.h"
#include "core/routing/routingsession.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace Switchyard::Routing {
class Clock;
}

namespace Switchyard::Gateway {

class HttpConnection;
class UpstreamExchange;
class UpstreamPool;
struct UpstreamFailure;

// One client's chat request (POST /v1/chat/completions or /v1/messages), carried through its
// route. The routing session decides (which target next, retry or fall back, what goes back to
// the client); this class executes: it sends each attempt upstream, forwards a stream event by
// event, enforces the target's timeouts, and answers the client. An OpenAI client's body goes to
// an OpenAI-format provider as it is (model spliced); any other pairing is translated through
// the canonical form, streams included. Until the first event has reached the client any failure
// may move on; after it, a failure ends the stream with an error event in the client's dialect,
// never silently. Emits one ledger record per upstream attempt, the last one with the trace.
class ChatCompletionCall final : public GatewayCall
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatCompletionCall)

public:
    // `body` is an OpenAI client's request as received; `request` the canonical form when the
    // client's dialect needed decoding anyway (otherwise it is decoded when a target needs it).
    ChatCompletionCall(Context context, QByteArray body, std::optional<ChatRequest> request,
                       ChatRequestSummary summary, Routing::RoutePlan plan, HttpConnection *client,
                       QObject *parent = nullptr);
    void terminate(const QString &reason) override;

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
        std::optional<ProviderError> error; // the provider's own error, when it answered with one
        QByteArray retryAfter;              // the provider's Retry-After
    };

    void tryNext() override;
    Ledger::UsageRecord attemptRecord(const QString &errorClass) const override;
    void stopAttempt() override;
    void startAttempt(const Routing::PlannedTarget &planned, const ProviderEndpoint &endpoint);
    Result<UpstreamRequest> upstreamRequest(const Routing::RouteTarget &target, const ProviderEndpoint &endpoint);
    QByteArray passThroughBody(const Routing::RouteTarget &target, const ProviderEndpoint &endpoint) const;
    Result<ChatRequest> canonicalRequest();
    void handleResponseStarted(int status, const HttpHeaders &headers);
    void handleData(QByteArrayView data);
    void handleUpstreamFinished();
    void handleUpstreamFailed(const UpstreamFailure &failure);
    void handleTtftTimeout();
    void handleAttemptTimeout();

    void forwardStreamEvents(QByteArrayView data);
    void forwardTranslatedEvents(QByteArrayView data);
    // Adds the client's frames for `events` to `out`; false when the attempt ended instead (an
    // error event before anything reached the client: the route may still move on).
    bool translateEvents(const QList<StreamEvent> &events, QByteArray &out);
    void writeToClient(const QByteArray &frames);
    ProviderError decodeUpstreamError() const;
    void finishJson();
    void finishStream();
    // An attempt that failed before anything reached the client: the session decides what next.
    void concludeFailure(const Routing::AttemptOutcome &outcome, const QString &errorClass, const QString &message,
                         std::optional<ProviderError> error = std::nullopt);
    void concludeSuccess();
    Ledger::UsageRecord concludeSuccessInSession();
    void endStreamWithError(const Routing::AttemptOutcome &outcome, const QString &errorClass, const QString &message);
    void respondFailure();
    void respondRefusal(const Routing::RoutingSession::Refusal &refusal);
    Routing::AttemptOutcome httpOutcome() const;

    QByteArray m_body;
    std::optional<ChatRequest> m_request;
    ChatRequestSummary m_summary;
    ClientEncoder m_encoder;
    QList<Failure> m_failures;

    // The attempt in progress.
    const ProviderEndpoint *m_endpoint = nullptr;
    std::optional<UpstreamCodec> m_codec; // set when the attempt is translated or relayed
    bool m_relay = false; // the provider speaks the client's dialect: its bytes go through unchanged
    QTimer m_ttftTimer;    // the target's time-to-first-token timeout
    QTimer m_attemptTimer; // the target's total timeout, capped by the route's deadline
    Mode m_mode = Mode::Json;
    QByteArray m_contentType;
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
