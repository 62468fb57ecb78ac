#pragma once

#include "core/gateway/httprequest.h"
#include "core/gateway/httprequesthandler.h"
#include "core/gateway/httpserver.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>

#include <map>
#include <utility>

namespace Switchyard::Testing {

// Model-list endpoints of the three provider wire formats and OpenRouter's public model list,
// over real HTTP on an ephemeral loopback port, answering from fixture bodies:
//   OpenAI-style  GET /openai/v1/models       (Authorization: Bearer KEY)
//   Anthropic     GET /anthropic/v1/models    (x-api-key: KEY, anthropic-version: 2023-06-01;
//                                              pages by after_id)
//   Gemini        GET /gemini/v1beta/models   (x-goog-api-key: KEY; pages by pageToken)
//   OpenRouter    GET /api/v1/models          (public)
class FakeCatalogServer final : public QObject, private Gateway::HttpRequestHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeCatalogServer)

public:
    enum class Format {
        OpenAi,
        Anthropic,
        Gemini,
        OpenRouter,
    };

    explicit FakeCatalogServer(QObject *parent = nullptr);
    ~FakeCatalogServer() override;

    // Listens on 127.0.0.1 with an ephemeral port.
    bool start();
    // Closes the port and drops every connection: the provider is down.
    void stop();
    quint16 port() const;
    // The provider base URL of a format (OpenRouter: http://127.0.0.1:PORT/api/v1).
    QUrl baseUrl(Format format) const;
    // OpenRouter's list: baseUrl(OpenRouter) + "/models".
    QUrl openRouterModelsUrl() const;

    // The bodies a format answers with, in page order. Anthropic's next page is the one after the
    // page whose "last_id" the request names in after_id, Gemini's the one after the page whose
    // "nextPageToken" the request names in pageToken; an unknown cursor gets 400.
    void setPages(Format format, const QList<QByteArray> &pages);
    // When set, the three provider formats check their key header and answer as the vendors do:
    // 401 (Gemini: 400 API_KEY_INVALID). Anthropic always requires anthropic-version.
    void setRequiredKey(const QByteArray &key) { m_requiredKey = key; }
    // Answers every request of the format with this status and body instead of the pages;
    // status 0 goes back to the pages.
    void setFailure(Format format, int status, const QByteArray &body);
    // Never answers requests of the format (until stopped).
    void setHang(Format format, bool hang);

    const QList<Gateway::HttpRequest> &requests() const { return m_requests; }

private:
    void handleRequest(Gateway::HttpRequest &&request, Gateway::HttpConnection *connection) override;
    bool rejectsCredentials(
        Format format, const Gateway::HttpRequest &request, Gateway::HttpConnection *connection) const;
    qsizetype pageIndex(Format format, const Gateway::HttpRequest &request) const;

    Gateway::HttpServer *m_server = nullptr;
    std::map<Format, QList<QByteArray>> m_pages;
    std::map<Format, std::pair<int, QByteArray>> m_failures;
    std::map<Format, bool> m_hang;
    QByteArray m_requiredKey;
    QList<Gateway::HttpRequest> m_requests;
};

} // namespace Switchyard::Testing
