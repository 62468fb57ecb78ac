#pragma once

#include "core/gateway/upstreamexchange.h"
#include "core/model/chatrequest.h"
#include "core/model/chatresponse.h"
#include "core/model/providererror.h"
#include "core/model/result.h"
#include "core/model/streamevent.h"
#include "core/protocol/anthropicstreamdecoder.h"
#include "core/protocol/geministreamdecoder.h"
#include "core/providers/providerpreset.h"

#include <QByteArray>
#include <QList>

namespace Switchyard::Gateway {

struct ProviderEndpoint;

// Speaks one provider's wire format for one attempt: builds the request from the canonical
// form and reads the provider's answer, stream and errors back into it. Used whenever the
// client's body cannot go to the provider as it is (another dialect, or a provider quirk).
class UpstreamCodec
{
public:
    explicit UpstreamCodec(Providers::WireFormat wireFormat);

    // URL, headers (credential, Accept, the Anthropic version) and body for `request`, whose
    // model is already the target's. `anthropicBeta`: the Anthropic client's opt-in flags, passed
    // on to Anthropic providers only. Fails when the request has no equivalent in the format
    // (e.g. an image URL Gemini cannot fetch); the message names the field.
    Result<UpstreamRequest> buildRequest(
        const ChatRequest &request, const ProviderEndpoint &endpoint, const QByteArray &anthropicBeta) const;
    // The same for a body already in the provider's format (a client of the same dialect).
    UpstreamRequest relayRequest(QByteArray body, const QString &model, bool stream, const ProviderEndpoint &endpoint,
        const QByteArray &anthropicBeta) const;

    Result<ChatResponse> decodeResponse(const QByteArray &body) const;
    ProviderError decodeError(int httpStatus, const QByteArray &body) const;

    // One SSE event's data. Failure: the data is not an event of the format.
    Result<QList<StreamEvent>> decodeStreamEvent(QByteArrayView data);
    // The events a clean end of the upstream connection implies (Gemini ends streams by
    // closing: its usage and Done, or an error when no finish reason came).
    QList<StreamEvent> finishStream();
    // The stream delivered its terminal event; one that ends before it was cut short.
    bool isStreamComplete() const;

private:
    Providers::WireFormat m_wireFormat;
    Protocol::AnthropicStreamDecoder m_anthropicStream;
    Protocol::GeminiStreamDecoder m_geminiStream;
    bool m_openAiStreamFinished = false;
};

} // namespace Switchyard::Gateway
