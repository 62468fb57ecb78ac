#include "tests/support/gatewayclient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>

#include <memory>

namespace Switchyard::Testing {

namespace {
constexpr int ReplyTimeoutMs = 15000;
}

QByteArray GatewayClient::Reply::header(const QByteArray &name) const
{
    for (const auto &[field, value] : headers) {
        if (field.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QJsonObject GatewayClient::Reply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

GatewayClient::GatewayClient(QUrl base, Headers headers)
    : m_base(std::move(base))
    , m_headers(std::move(headers))
{
}

GatewayClient::Reply GatewayClient::post(const QString &path, const QByteArray &body, const Headers &extra)
{
    return send("POST", path, body, extra);
}

GatewayClient::Reply GatewayClient::get(const QString &path, const Headers &extra)
{
    return send("GET", path, {}, extra);
}

GatewayClient::Reply GatewayClient::send(
    const QByteArray &method, const QString &path, const QByteArray &body, const Headers &extra)
{
    QUrl url = m_base;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setRawHeader("Content-Type", "application/json");
    for (const Headers *headers : std::initializer_list<const Headers *> {&m_headers, &extra}) {
        for (const auto &[name, value] : *headers) {
            request.setRawHeader(name, value);
        }
    }
    std::unique_ptr<QNetworkReply> reply(
        method == "GET" ? m_network.get(request) : m_network.sendCustomRequest(request, method, body));
    if (!reply->isFinished()) {
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        finished.wait(ReplyTimeoutMs);
    }
    Reply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs()) {
        result.headers.append(pair);
    }
    return result;
}

} // namespace Switchyard::Testing
