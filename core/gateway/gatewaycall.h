#pragma once

#include "core/gateway/clientdialect.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/usagerecord.h"
#include "core/routing/routingsession.h"

#include <QObject>
#include <QString>

#include <memory>

namespace Switchyard::Routing {
class Clock;
}

namespace Switchyard::Gateway {

class UpstreamPool;

// One client request the gateway carries through a route (a chat or an embeddings request).
// The service starts it, ends it at shutdown, and hears of its attempts and its end.
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
    };

    using QObject::QObject;

    virtual void start() = 0;
    // Ends the call at once (gateway shutdown): the client gets an error saying why.
    virtual void terminate(const QString &reason) = 0;
    virtual QString routeName() const = 0;
    // The HTTP status the client received (0 while nothing was sent, e.g. the client left).
    virtual int clientStatus() const = 0;

signals:
    void attemptRecorded(const Switchyard::Ledger::UsageRecord &record);
    void finished();
};

} // namespace Switchyard::Gateway
