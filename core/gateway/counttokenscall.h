#pragma once

#include "core/gateway/httpheaders.h"

#include <QObject>
#include <QPointer>

namespace Switchyard::Gateway {

class HttpConnection;
class UpstreamExchange;
class UpstreamPool;
struct ProviderEndpoint;
struct UpstreamFailure;

// One POST /v1/messages/count_tokens. The count is exact when the model's first target is an
// Anthropic provider (its own count_tokens answers); for any other provider, or when that one
// cannot answer, the gateway's estimate is returned and labelled as such, in the body
// ("estimated": true) and in the header x-switchyard-token-count.
class CountTokensCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CountTokensCall)

public:
    // `provider` is null when the first target is not an Anthropic provider; `body` is then unused.
    CountTokensCall(UpstreamPool *pool, const ProviderEndpoint *provider, QByteArray body, qint64 estimate,
        HttpConnection *client, QObject *parent = nullptr);

    void start();

signals:
    void finished();

private:
    void handleFinished();
    void respondEstimate();
    void respond(const QByteArray &body, const QByteArray &kind);

    UpstreamPool *m_pool = nullptr;
    const ProviderEndpoint *m_provider = nullptr;
    QByteArray m_body;
    qint64 m_estimate = 0;
    QPointer<HttpConnection> m_client;
    UpstreamExchange *m_exchange = nullptr;
    int m_status = 0;
    QByteArray m_response;
};

} // namespace Switchyard::Gateway
