#include "core/gateway/gatewayservice.h"

#include "core/gateway/chatcompletioncall.h"
#include "core/gateway/httpconnection.h"
#include "core/gateway/httpserver.h"
#include "core/gateway/passthroughscanner.h"
#include "core/gateway/upstreampool.h"
#include "core/protocol/openaicodec.h"
#include "core/routing/clock.h"
#include "core/routing/routerstate.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {
Q_LOGGING_CATEGORY(lcGateway, "switchyard.gateway.gatewayservice")

const QByteArray JsonContentType = "application/json"_ba;
constexpr int ShutdownFlushMs = 2000;

// No attempt is reported to the router yet, so every plan sees closed breakers and no statistics.
const Routing::RouterState &unobservedRouterState()
{
    static const Routing::SystemClock clock;
    static const Routing::RouterState state(clock);
    return state;
}
} // namespace

GatewayService::GatewayService(QObject *parent)
    : QObject(parent)
    , m_server(new HttpServer(this, this))
    , m_pool(new UpstreamPool(this))
{
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, &GatewayService::finishShutdown);
    m_requestIdPrefix = "sy-"_ba + QByteArray::number(QRandomGenerator::system()->generate(), 16) + '-';
}

GatewayService::~GatewayService()
{
    // Calls reference the server's connections and the pool; end them first.
    const auto calls = m_calls;
    for (ChatCompletionCall *call : calls) {
        call->disconnect(this);
        delete call;
    }
    m_calls.clear();
    delete m_server;
    m_server = nullptr;
}

void GatewayService::setTables(std::shared_ptr<const GatewayTables> tables)
{
    m_tables = std::move(tables);
    if (m_tables) {
        m_server->setMaxBodyBytes(m_tables->settings().maxBodyBytes);
    }
}

Status GatewayService::start(const QString &host, int port)
{
    if (!m_tables) {
        return Status::failure(tr("The gateway has no configuration yet."));
    }
    if (m_server->isListening()) {
        return success();
    }
    const QString listenHost = host.isEmpty() ? m_tables->settings().host : host;
    const quint16 listenPort = port >= 0 ? quint16(port) : m_tables->settings().port;
    QHostAddress address;
    if (listenHost == u"localhost"_s) {
        address = QHostAddress::LocalHost;
    } else if (!address.setAddress(listenHost)) {
        return Status::failure(tr("\"%1\" is not an IP address to listen on (use e.g. 127.0.0.1).").arg(listenHost));
    }
    m_shuttingDown = false;
    if (Status listening = m_server->listen(address, listenPort); !listening) {
        return listening;
    }
    qCInfo(lcGateway) << "listening on" << listenHost << m_server->serverPort();
    emit runningChanged(true);
    return success();
}

bool GatewayService::isRunning() const
{
    return m_server->isListening();
}

QString GatewayService::host() const
{
    return m_server->serverAddress().toString();
}

quint16 GatewayService::port() const
{
    return m_server->serverPort();
}

void GatewayService::shutdown(int graceMs)
{
    const bool wasRunning = m_server->isListening();
    m_shuttingDown = true;
    m_server->stopAccepting();
    m_pool->closeIdle();
    if (wasRunning) {
        emit runningChanged(false);
    }
    if (m_calls.isEmpty()) {
        finishShutdown();
        return;
    }
    m_shutdownTimer.start(graceMs);
}

void GatewayService::finishShutdown()
{
    m_shutdownTimer.stop();
    const auto calls = m_calls;
    for (ChatCompletionCall *call : calls) {
        call->terminate(tr("The gateway is shutting down."));
    }
    m_pool->closeIdle();
    // Connections close once their last bytes are written, so the clients receive the end of
    // every response; a client that does not read is cut off after a short wait.
    m_server->stopAccepting();
    if (m_server->connectionCount() == 0) {
        emit stopped();
        return;
    }
    auto *flushDeadline = new QTimer(this);
    flushDeadline->setSingleShot(true);
    const auto finish = [this, flushDeadline] {
        flushDeadline->stop();
        flushDeadline->deleteLater();
        m_server->disconnect(this);
        m_server->abortAll();
        emit stopped();
    };
    connect(flushDeadline, &QTimer::timeout, this, finish);
    connect(m_server, &HttpServer::connectionCountChanged, this, [finish](int count) {
        if (count == 0) {
            finish();
        }
    });
    flushDeadline->start(ShutdownFlushMs);
}

void GatewayService::stop()
{
    const bool wasRunning = m_server->isListening();
    m_shuttingDown = false;
    const auto calls = m_calls;
    for (ChatCompletionCall *call : calls) {
        call->terminate(tr("The gateway was stopped."));
    }
    m_server->abortAll();
    m_pool->closeIdle();
    if (wasRunning) {
        emit runningChanged(false);
    }
}

void GatewayService::handleRequest(HttpRequest &&request, HttpConnection *connection)
{
    if (m_shuttingDown) {
        connection->closeWhenIdle();
        respondError(connection, 503, tr("The gateway is shutting down."));
        return;
    }
    if (request.path == "/health") {
        handleHealth(connection);
        return;
    }
    const bool isChat = request.path == "/v1/chat/completions";
    const bool isModels = request.path == "/v1/models";
    const bool isMetrics = request.path == "/metrics";
    if (!isChat && !isModels && !isMetrics) {
        respondError(connection, 404,
                     tr("Unknown endpoint %1 %2. The gateway serves POST /v1/chat/completions, GET /v1/models, "
                        "GET /metrics and GET /health.")
                         .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path)),
                     u"unknown_url"_s);
        return;
    }
    const QByteArray expectedMethod = isChat ? "POST"_ba : "GET"_ba;
    if (request.method != expectedMethod) {
        respondError(connection, 405,
                     tr("%1 is not allowed on %2; use %3.")
                         .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path),
                              QString::fromLatin1(expectedMethod)));
        return;
    }
    const QString keyName = authenticate(request, connection);
    if (keyName.isEmpty()) {
        return;
    }
    if (isChat) {
        handleChatCompletions(std::move(request), connection, keyName);
    } else if (isMetrics) {
        handleMetrics(connection);
    } else {
        handleModels(connection);
    }
}

QString GatewayService::authenticate(const HttpRequest &request, HttpConnection *connection)
{
    if (!m_tables->hasLocalKeys()) {
        respondError(connection, 401,
                     tr("No local API keys exist yet. Create one with \"switchyard keys local create NAME\" or on the "
                        "Gateway page, and send it as \"Authorization: Bearer KEY\"."),
                     u"invalid_api_key"_s);
        return {};
    }
    const QByteArray authorization = request.header("authorization");
    QByteArray presented;
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0) {
        presented = authorization.mid(7).trimmed();
    } else {
        presented = request.header("x-api-key").trimmed();
    }
    if (presented.isEmpty()) {
        respondError(connection, 401, tr("Missing API key. Send a local key as \"Authorization: Bearer KEY\"."),
                     u"invalid_api_key"_s);
        return {};
    }
    const QString name = m_tables->authenticate(presented);
    if (name.isEmpty()) {
        respondError(connection, 401,
                     tr("Incorrect API key. Use a local key created with \"switchyard keys local create NAME\"."),
                     u"invalid_api_key"_s);
    }
    return name;
}

void GatewayService::handleChatCompletions(HttpRequest &&request, HttpConnection *connection, const QString &keyName)
{
    auto summary = PassThroughScanner::scanRequest(request.body);
    if (!summary) {
        respondError(connection, 400, summary.errorMessage());
        return;
    }
    auto plan = m_tables->planner().plan(summary->model, {}, unobservedRouterState());
    if (!plan) {
        respondError(connection, 404, plan.errorMessage(), u"model_not_found"_s);
        return;
    }
    ChatCompletionCall::Context context{m_tables, m_pool, nextRequestId(), keyName};
    auto *call = new ChatCompletionCall(std::move(context), std::move(request.body), std::move(summary).value(),
                                        std::move(plan).value(), connection, this);
    m_calls.insert(call);
    connect(call, &ChatCompletionCall::attemptRecorded, this, [this](const Ledger::UsageRecord &record) {
        m_metrics.attemptRecorded(record);
        emit attemptRecorded(record);
    });
    connect(call, &ChatCompletionCall::finished, this, [this, call] {
        m_metrics.requestFinished(call->routeName(), call->clientStatus());
        m_calls.remove(call);
        call->deleteLater();
        if (m_shuttingDown && m_calls.isEmpty() && m_shutdownTimer.isActive()) {
            finishShutdown();
        }
    });
    call->start();
}

void GatewayService::handleModels(HttpConnection *connection)
{
    QJsonArray data;
    for (const Routing::Route &route : m_tables->planner().routes()) {
        data.append(QJsonObject{{u"id"_s, route.name},
                                {u"object"_s, u"model"_s},
                                {u"created"_s, 0},
                                {u"owned_by"_s, u"switchyard-route"_s}});
    }
    for (const ProviderEndpoint &provider : m_tables->providers()) {
        for (const QString &model : provider.models) {
            data.append(QJsonObject{{u"id"_s, QString(provider.id + u'/' + model)},
                                    {u"object"_s, u"model"_s},
                                    {u"created"_s, 0},
                                    {u"owned_by"_s, provider.id}});
        }
    }
    const QJsonObject body{{u"object"_s, u"list"_s}, {u"data"_s, data}};
    connection->respond(200, {{"Content-Type"_ba, JsonContentType}}, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void GatewayService::handleHealth(HttpConnection *connection)
{
    const QJsonObject body{{u"status"_s, u"ok"_s},
                           {u"version"_s, QStringLiteral(SWITCHYARD_VERSION)},
                           {u"callsInFlight"_s, callsInFlight()}};
    connection->respond(200, {{"Content-Type"_ba, JsonContentType}}, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void GatewayService::handleMetrics(HttpConnection *connection)
{
    connection->respond(200, {{"Content-Type"_ba, "text/plain; version=0.0.4; charset=utf-8"_ba}},
                        m_metrics.render(callsInFlight()));
}

void GatewayService::respondError(HttpConnection *connection, int status, const QString &message, const QString &code)
{
    m_metrics.requestFinished(QString(), status);
    ProviderError error;
    error.httpStatus = status;
    error.type = Protocol::OpenAiCodec::errorTypeForStatus(status);
    error.code = code;
    error.message = message;
    connection->respond(status, {{"Content-Type"_ba, JsonContentType}}, Protocol::OpenAiCodec::encodeError(error));
}

QString GatewayService::nextRequestId()
{
    return QString::fromLatin1(m_requestIdPrefix + QByteArray::number(++m_requestCounter));
}

} // namespace Switchyard::Gateway
