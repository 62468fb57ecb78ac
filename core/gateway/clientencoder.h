#pragma once

#include "core/gateway/clientdialect.h"
#include "core/model/chatresponse.h"
#include "core/model/providererror.h"
#include "core/model/streamevent.h"
#include "core/protocol/anthropicstreamencoder.h"

#include <QByteArray>
#include <QString>

namespace Switchyard::Gateway {

// Writes canonical answers, stream events and errors in the dialect of the client that asked,
// so that a provider of any format answers an OpenAI or an Anthropic client in its own terms.
// One encoder per client request: the Anthropic stream encoding is stateful.
class ClientEncoder
{
public:
    // `includeUsage`: an OpenAI client asked for the usage chunk (Anthropic clients always get usage).
    ClientEncoder(ClientDialect dialect, bool includeUsage);

    ClientDialect dialect() const { return m_dialect; }

    QByteArray response(ChatResponse response) const;
    // The SSE frames due for `event`; empty when nothing is due yet.
    QByteArray streamEvent(StreamEvent event);
    // The dialect's mid-stream error event, after which the stream must end.
    QByteArray streamError(const ProviderError &error);

    // The status a client of this dialect gets for `error` (reference §5.5): an Anthropic client
    // sees 529 for an overloaded provider, an OpenAI client 503; an exhausted quota is 402 for
    // Anthropic clients and 429 for OpenAI clients.
    int errorStatus(const ProviderError &error) const;
    // The error typed in the client's vocabulary (§5.5): OpenAI clients get invalid_request_error,
    // permission_error, rate_limit_exceeded, insufficient_quota or server_error unless the provider
    // already used one of OpenAI's own types.
    QByteArray errorBody(const ProviderError &error) const;

    // An error the gateway itself reports, typed for its status.
    static ProviderError gatewayError(int status, const QString &message, const QString &code = {});

private:
    ClientDialect m_dialect;
    bool m_includeUsage = false;
    qint64 m_created = 0; // OpenAI chunks carry a creation time some providers do not send
    Protocol::AnthropicStreamEncoder m_anthropicStream;
};

} // namespace Switchyard::Gateway
