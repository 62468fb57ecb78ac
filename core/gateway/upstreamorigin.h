#pragma once

#include <QHashFunctions>
#include <QString>
#include <QUrl>

namespace Switchyard::Gateway {

// Where upstream connections go: one keep-alive pool per origin.
struct UpstreamOrigin
{
    bool tls = false;
    QString host;
    quint16 port = 0;

    static UpstreamOrigin fromUrl(const QUrl &url)
    {
        const bool tls = url.scheme() == QLatin1String("https");
        return {tls, url.host(), quint16(url.port(tls ? 443 : 80))};
    }
    // Value of the Host header.
    QByteArray hostHeader() const
    {
        const bool defaultPort = port == (tls ? 443 : 80);
        QByteArray host = QUrl::toAce(this->host);
        if (this->host.contains(QLatin1Char(':'))) {
            host = '[' + host + ']';
        }
        return defaultPort ? host : host + ':' + QByteArray::number(port);
    }
    friend bool operator==(const UpstreamOrigin &, const UpstreamOrigin &) = default;
};

inline size_t qHash(const UpstreamOrigin &origin, size_t seed = 0)
{
    return qHashMulti(seed, origin.tls, origin.host, origin.port);
}

} // namespace Switchyard::Gateway
