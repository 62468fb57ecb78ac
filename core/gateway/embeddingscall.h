#pragma once

#include "core/gateway/gatewaycall.h"
#include "core/gateway/httpheaders.h"
#include "core/gateway/upstreamexchange.h"
#include "core/model/providererror.h"
#include "core/protocol/embeddingscodec.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Switchyard::Gateway {

class HttpConnection;

// One POST /v1/embeddings, carried through its route like a chat request (fallback, retries,
// breakers, budgets, ledger), to OpenAI-format providers as the client sent it and to Gemini
// through batchEmbedContents. Providers without embeddings (Anthropic) are passed over.
class EmbeddingsCall final : public GatewayCall
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmbeddingsCall)

public:
    EmbeddingsCall(Context context, Protocol::EmbeddingsRequest request, Routing::RoutePlan plan,
        HttpConnection *client, QObject *parent = nullptr);
    ~EmbeddingsCall() override;

    void start() override;
    void terminate(const QString &reason) override;
    QString routeName() const override { return m_session.plan().routeName; }
    int clientStatus() const override { return m_clientStatus; }

private:
    void tryNext();
    Result<UpstreamRequest> upstreamRequest(const ProviderEndpoint &endpoint) const;
    void handleUpstreamFinished();
    void handleUpstreamFailed(const UpstreamFailure &failure);
    void conclude(const Routing::AttemptOutcome &outcome, const QString &errorClass,
        std::optional<ProviderError> error = std::nullopt);
    void respond(int status, const QByteArray &body, const QByteArray &retryAfter = {});
    void respondError(const ProviderError &error, const QByteArray &retryAfter = {});
    Ledger::UsageRecord attemptRecord(const QString &errorClass, const Usage &usage) const;
    void stopAttempt();
    void finish();

    Context m_context;
    Protocol::EmbeddingsRequest m_request;
    Routing::RoutingSession m_session;
    QPointer<HttpConnection> m_client;
    QTimer m_retryTimer;
    bool m_finished = false;
    int m_clientStatus = 0;
    QString m_lastFailure; // "provider/model: why" of the last failed attempt
    std::optional<ProviderError> m_unsupported; // why a target could not take the request

    // The attempt in progress.
    int m_attempt = 0;
    Routing::RouteTarget m_target;
    Providers::WireFormat m_wireFormat = Providers::WireFormat::OpenAiChat;
    UpstreamExchange *m_exchange = nullptr;
    QDateTime m_attemptStartedAt;
    QElapsedTimer m_attemptClock;
    int m_status = 0;
    QByteArray m_retryAfter;
    QByteArray m_response;
};

} // namespace Switchyard::Gateway
