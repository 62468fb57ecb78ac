#include "core/gateway/upstreampool.h"

#include "core/gateway/upstreamconnection.h"

namespace Switchyard::Gateway {

UpstreamPool::UpstreamPool(QObject *parent)
    : QObject(parent)
{
}

UpstreamPool::~UpstreamPool() = default;

UpstreamConnection *UpstreamPool::acquire(const UpstreamOrigin &origin)
{
    auto it = m_idle.find(origin);
    while (it != m_idle.end() && !it->isEmpty()) {
        UpstreamConnection *connection = it->takeLast();
        if (connection->canBeReused()) {
            return connection;
        }
        connection->deleteLater();
    }
    return acquireFresh(origin);
}

UpstreamConnection *UpstreamPool::acquireFresh(const UpstreamOrigin &origin)
{
    auto *connection = new UpstreamConnection(origin, this);
    connect(connection, &UpstreamConnection::closedWhileIdle, this, &UpstreamPool::dropIdle);
    return connection;
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    if (connection == nullptr) {
        return;
    }
    QList<UpstreamConnection *> &idle = m_idle[connection->origin()];
    if (connection->isIdle() && connection->canBeReused() && idle.size() < m_maxIdlePerOrigin) {
        idle.append(connection);
        return;
    }
    connection->close();
    connection->deleteLater();
}

void UpstreamPool::dropIdle(UpstreamConnection *connection)
{
    auto it = m_idle.find(connection->origin());
    if (it != m_idle.end() && it->removeOne(connection)) {
        connection->deleteLater();
    }
}

void UpstreamPool::closeIdle()
{
    for (auto &connections : m_idle) {
        for (UpstreamConnection *connection : std::as_const(connections)) {
            connection->close();
            connection->deleteLater();
        }
    }
    m_idle.clear();
}

int UpstreamPool::idleCount() const
{
    int count = 0;
    for (const auto &connections : m_idle) {
        count += int(connections.size());
    }
    return count;
}

} // namespace Switchyard::Gateway
