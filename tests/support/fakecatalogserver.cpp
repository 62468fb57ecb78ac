#include "tests/support/fakecatalogserver.h"

#include "core/gateway/httpconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Switchyard::Testing {

namespace {

using Format = FakeCatalogServer::Format;

const Gateway::HttpHeaders JsonHeaders {{"Content-Type"_ba, "application/json"_ba}};

struct Route
{
    Format format;
    QByteArray path;
    const char *cursorField; // the page field naming the next page; nullptr for unpaged lists
    const char *cursorParameter;
};

const Route routes[] = {
    {Format::OpenAi, "/openai/v1/models"_ba, nullptr, nullptr},
    {Format::Anthropic, "/anthropic/v1/models"_ba, "last_id", "after_id"},
    {Format::Gemini, "/gemini/v1beta/models"_ba, "nextPageToken", "pageToken"},
    {Format::OpenRouter, "/api/v1/models"_ba, nullptr, nullptr},
};

const Route *routeOf(Format format)
{
    for (const Route &route : routes) {
        if (route.format == format) {
            return &route;
        }
    }
    return nullptr;
}

QByteArray openAiError(const char *message, const char *code)
{
    return QJsonDocument(QJsonObject {{u"error"_s,
                             QJsonObject {{u"message"_s, QString::fromUtf8(message)},
                                 {u"type"_s, u"invalid_request_error"_s}, {u"code"_s, QString::fromUtf8(code)}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray anthropicError(const char *type, const char *message)
{
    return QJsonDocument(
        QJsonObject {{u"type"_s, u"error"_s},
            {u"error"_s,
                QJsonObject {{u"type"_s, QString::fromUtf8(type)}, {u"message"_s, QString::fromUtf8(message)}}}})
        .toJson(QJsonDocument::Compact);
}

const QByteArray geminiKeyError
    = R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}})"_ba;

} // namespace

FakeCatalogServer::FakeCatalogServer(QObject *parent)
    : QObject(parent)
    , m_server(new Gateway::HttpServer(this, this))
{
}

FakeCatalogServer::~FakeCatalogServer()
{
    delete m_server;
    m_server = nullptr;
}

bool FakeCatalogServer::start()
{
    return m_server->listen(QHostAddress::LocalHost, 0).isOk();
}

void FakeCatalogServer::stop()
{
    m_server->abortAll();
}

quint16 FakeCatalogServer::port() const
{
    return m_server->serverPort();
}

QUrl FakeCatalogServer::baseUrl(Format format) const
{
    const QByteArray path = routeOf(format)->path;
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port()) + QString::fromLatin1(path.chopped(7))); // without "/models"
}

QUrl FakeCatalogServer::openRouterModelsUrl() const
{
    return QUrl(baseUrl(Format::OpenRouter).toString() + "/models"_L1);
}

void FakeCatalogServer::setPages(Format format, const QList<QByteArray> &pages)
{
    m_pages[format] = pages;
}

void FakeCatalogServer::setFailure(Format format, int status, const QByteArray &body)
{
    if (status == 0) {
        m_failures.erase(format);
    } else {
        m_failures[format] = {status, body};
    }
}

void FakeCatalogServer::setHang(Format format, bool hang)
{
    m_hang[format] = hang;
}

void FakeCatalogServer::handleRequest(Gateway::HttpRequest &&request, Gateway::HttpConnection *connection)
{
    m_requests.append(request);
    const Route *route = nullptr;
    for (const Route &candidate : routes) {
        if (candidate.path == request.path) {
            route = &candidate;
        }
    }
    if (route == nullptr || request.method != "GET") {
        connection->respond(404, JsonHeaders, openAiError("Unknown path", "unknown_url"));
        return;
    }
    if (m_hang[route->format]) {
        return; // the connection stays open, unanswered, until the server stops
    }
    if (rejectsCredentials(route->format, request, connection)) {
        return;
    }
    if (const auto failure = m_failures.find(route->format); failure != m_failures.end()) {
        connection->respond(failure->second.first, JsonHeaders, failure->second.second);
        return;
    }
    const qsizetype index = pageIndex(route->format, request);
    const QList<QByteArray> pages = m_pages[route->format];
    if (index < 0 || index >= pages.size()) {
        connection->respond(400, JsonHeaders, openAiError("Unknown page cursor", "invalid_cursor"));
        return;
    }
    connection->respond(200, JsonHeaders, pages.at(index));
}

bool FakeCatalogServer::rejectsCredentials(
    Format format, const Gateway::HttpRequest &request, Gateway::HttpConnection *connection) const
{
    switch (format) {
    case Format::OpenRouter:
        return false;
    case Format::OpenAi:
        if (!m_requiredKey.isEmpty() && request.header("authorization") != "Bearer "_ba + m_requiredKey) {
            connection->respond(401, JsonHeaders, openAiError("Incorrect API key provided.", "invalid_api_key"));
            return true;
        }
        return false;
    case Format::Anthropic:
        if (request.header("anthropic-version") != "2023-06-01") {
            connection->respond(
                400, JsonHeaders, anthropicError("invalid_request_error", "anthropic-version: header is required"));
            return true;
        }
        if (!m_requiredKey.isEmpty() && request.header("x-api-key") != m_requiredKey) {
            connection->respond(401, JsonHeaders, anthropicError("authentication_error", "invalid x-api-key"));
            return true;
        }
        return false;
    case Format::Gemini:
        if (!m_requiredKey.isEmpty() && request.header("x-goog-api-key") != m_requiredKey) {
            connection->respond(400, JsonHeaders, geminiKeyError);
            return true;
        }
        return false;
    }
    return false;
}

qsizetype FakeCatalogServer::pageIndex(Format format, const Gateway::HttpRequest &request) const
{
    const Route *route = routeOf(format);
    if (route->cursorField == nullptr) {
        return 0;
    }
    const QString cursor = QUrlQuery(QString::fromUtf8(request.query))
                               .queryItemValue(QString::fromLatin1(route->cursorParameter), QUrl::FullyDecoded);
    if (cursor.isEmpty()) {
        return 0;
    }
    const auto found = m_pages.find(format);
    const QList<QByteArray> pages = found != m_pages.end() ? found->second : QList<QByteArray>();
    for (qsizetype i = 0; i < pages.size(); ++i) {
        const QJsonObject page = QJsonDocument::fromJson(pages.at(i)).object();
        if (page.value(QLatin1StringView(route->cursorField)).toString() == cursor) {
            return i + 1;
        }
    }
    return -1;
}

} // namespace Switchyard::Testing
