#pragma once

#include "core/gateway/gatewaycall.h"
#include "core/protocol/embeddingscodec.h"
#include "core/providers/providerpreset.h"

#include <optional>

namespace Switchyard::Gateway {

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

private:
    void tryNext() override;
    Ledger::UsageRecord attemptRecord(const QString &errorClass) const override;
    Result<UpstreamRequest> upstreamRequest(const ProviderEndpoint &endpoint) const;
    void handleUpstreamFinished();
    void handleUpstreamFailed(const UpstreamFailure &failure);
    void conclude(const Routing::AttemptOutcome &outcome, const QString &errorClass,
        std::optional<ProviderError> error = std::nullopt);

    Protocol::EmbeddingsRequest m_request;
    QString m_lastFailure; // "provider/model: why" of the last failed attempt
    std::optional<ProviderError> m_unsupported; // why a target could not take the request

    // The attempt in progress.
    Providers::WireFormat m_wireFormat = Providers::WireFormat::OpenAiChat;
    QByteArray m_response;
    Usage m_usage;
};

} // namespace Switchyard::Gateway
