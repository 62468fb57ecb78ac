#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QUrl>

#include <utility>

namespace Switchyard::Testing {

// A plain HTTP client for integration tests: sends one request to the gateway over loopback
// and waits (spinning the event loop) for the whole answer.
class GatewayClient
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    struct Reply
    {
        int status = 0; // 0 when the connection failed or timed out
        QByteArray body;
        Headers headers;

        QByteArray header(const QByteArray &name) const;
        QJsonObject json() const;
    };

    // `base`: http://127.0.0.1:PORT; every request sends `headers` (e.g. the credential) first.
    GatewayClient(QUrl base, Headers headers);

    Reply post(const QString &path, const QByteArray &body, const Headers &extra = {});
    Reply get(const QString &path, const Headers &extra = {});

private:
    Reply send(const QByteArray &method, const QString &path, const QByteArray &body, const Headers &extra);

    QUrl m_base;
    Headers m_headers;
    QNetworkAccessManager m_network;
};

} // namespace Switchyard::Testing
