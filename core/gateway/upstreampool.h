#pragma once

#include "core/gateway/upstreamorigin.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace Switchyard::Gateway {

class UpstreamConnection;

// Keep-alive connections to providers, reused most-recently-used first. Unlike
// QNetworkAccessManager it has no per-host cap, so hundreds of concurrent streams to one
// local server each get their own connection.
class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    explicit UpstreamPool(QObject *parent = nullptr);
    ~UpstreamPool() override;

    // An idle connection to `origin`, or a new unconnected one. The caller owns it until release().
    UpstreamConnection *acquire(const UpstreamOrigin &origin);
    // A new connection, bypassing idle ones (after a stale keep-alive failed).
    UpstreamConnection *acquireFresh(const UpstreamOrigin &origin);
    // Keeps the connection for reuse when it can carry another exchange, else disposes of it.
    void release(UpstreamConnection *connection);
    void closeIdle();
    int idleCount() const;

private:
    void dropIdle(UpstreamConnection *connection);

    QHash<UpstreamOrigin, QList<UpstreamConnection *>> m_idle;
    int m_maxIdlePerOrigin = 1024;
};

} // namespace Switchyard::Gateway
