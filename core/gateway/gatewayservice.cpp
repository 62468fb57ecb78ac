#include "core/gateway/gatewayservice.h"

#include "core/gateway/chatcompletioncall.h"
#include "core/gateway/counttokenscall.h"
#include "core/gateway/embeddingscall.h"
#include "core/gateway/httpconnection.h"
#include "core/gateway/httpserver.h"
#include "core/gateway/passthroughscanner.h"
#include "core/gateway/upstreampool.h"
#include "core/protocol/anthropiccodec.h"
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

// Requests that do not say how long an answer may be are assumed to want this many tokens
// (for budgets, rate limits and the cost-based strategy).
constexpr qint64 DefaultOutputTokens = 1024;
} // namespace

GatewayService::GatewayService(QObject *parent)
    : QObject(parent)
    , m_routerState(m_clock)
    , m_limiter([this] { return m_clock.nowMs(); })
    , m_server(new HttpServer(this, this))
    , m_pool(new UpstreamPool(this))
{
    addRouterGauges();
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, &GatewayService::finishShutdown);
    m_requestIdPrefix = "sy-"_ba + QByteArray::number(QRandomGenerator::system()->generate(), 16) + '-';
}

GatewayService::~GatewayService()
{
    // Calls reference the server's connections and the pool; end them first.
    const auto calls = m_calls;
    for (GatewayCall *call : calls) {
        call->disconnect(this);
        delete call;
    }
    m_calls.clear();
    qDeleteAll(m_countCalls);
    m_countCalls.clear();
    delete m_server;
    m_server = nullptr;
}

void GatewayService::setTables(std::shared_ptr<const GatewayTables> tables)
{
    m_tables = std::move(tables);
    if (m_tables) {
        m_server->setMaxBodyBytes(m_tables->settings().maxBodyBytes);
        m_budgets.setBudgets(m_tables->budgets());
        m_limiter.setLimits(m_tables->limits());
    }
}

void GatewayService::seedBudgets(const QList<Routing::BudgetBook::Spend> &spend)
{
    m_budgets.seed(spend);
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
    for (GatewayCall *call : calls) {
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
    for (GatewayCall *call : calls) {
        call->terminate(tr("The gateway was stopped."));
    }
    m_server->abortAll();
    m_pool->closeIdle();
    if (wasRunning) {
        emit runningChanged(false);
    }
}

ClientDialect GatewayService::dialectOf(const HttpRequest &request)
{
    // Anthropic SDKs always send anthropic-version, also on GET /v1/models.
    return request.path.startsWith("/v1/messages") || !request.header("anthropic-version").isNull()
        ? ClientDialect::Anthropic
        : ClientDialect::OpenAi;
}

void GatewayService::handleRequest(HttpRequest &&request, HttpConnection *connection)
{
    const ClientDialect dialect = dialectOf(request);
    if (m_shuttingDown) {
        connection->closeWhenIdle();
        respondError(connection, dialect, 503, tr("The gateway is shutting down."));
        return;
    }
    if (request.path == "/health") {
        handleHealth(connection);
        return;
    }
    enum class Endpoint { Chat, Messages, CountTokens, Embeddings, Models, Metrics };
    static const QHash<QByteArray, std::pair<Endpoint, QByteArray>> endpoints {
        {"/v1/chat/completions"_ba, {Endpoint::Chat, "POST"_ba}},
        {"/v1/messages"_ba, {Endpoint::Messages, "POST"_ba}},
        {"/v1/messages/count_tokens"_ba, {Endpoint::CountTokens, "POST"_ba}},
        {"/v1/embeddings"_ba, {Endpoint::Embeddings, "POST"_ba}},
        {"/v1/models"_ba, {Endpoint::Models, "GET"_ba}},
        {"/metrics"_ba, {Endpoint::Metrics, "GET"_ba}},
    };
    const auto found = endpoints.constFind(request.path);
    if (found == endpoints.cend()) {
        respondError(connection, dialect, 404,
            tr("Unknown endpoint %1 %2. The gateway serves POST /v1/chat/completions, POST /v1/messages, "
               "POST /v1/messages/count_tokens, POST /v1/embeddings, GET /v1/models, GET /metrics and "
               "GET /health.")
                .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path)),
            u"unknown_url"_s);
        return;
    }
    const auto &[endpoint, expectedMethod] = found.value();
    if (request.method != expectedMethod) {
        respondError(connection, dialect, 405,
            tr("%1 is not allowed on %2; use %3.")
                .arg(QString::fromLatin1(request.method), QString::fromUtf8(request.path),
                    QString::fromLatin1(expectedMethod)));
        return;
    }
    const QString keyName = authenticate(request, dialect, connection);
    if (keyName.isEmpty()) {
        return;
    }
    switch (endpoint) {
    case Endpoint::Chat:
        handleChatCompletions(std::move(request), connection, keyName);
        return;
    case Endpoint::Messages:
        handleMessages(std::move(request), connection, keyName);
        return;
    case Endpoint::CountTokens:
        handleCountTokens(std::move(request), connection);
        return;
    case Endpoint::Embeddings:
        handleEmbeddings(std::move(request), connection, keyName);
        return;
    case Endpoint::Models:
        handleModels(connection, dialect);
        return;
    case Endpoint::Metrics:
        handleMetrics(connection);
        return;
    }
}

QString GatewayService::authenticate(const HttpRequest &request, ClientDialect dialect, HttpConnection *connection)
{
    const QByteArray authorization = request.header("authorization");
    QByteArray presented;
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0) {
        presented = authorization.mid(7).trimmed();
    } else {
        presented = request.header("x-api-key").trimmed();
    }
    if (const QString name = presented.isEmpty() ? QString() : m_tables->authenticate(presented); !name.isEmpty()) {
        return name;
    }
    QString message;
    if (!m_tables->hasLocalKeys()) {
        message = tr("No local API keys exist yet. Create one with \"switchyard keys local create NAME\" or on the "
                     "Gateway page, and send it as \"Authorization: Bearer KEY\" or \"x-api-key: KEY\".");
    } else if (presented.isEmpty()) {
        message = tr("Missing API key. Send a local key as \"Authorization: Bearer KEY\" or \"x-api-key: KEY\".");
    } else {
        message = tr("Incorrect API key. Use a local key created with \"switchyard keys local create NAME\".");
    }
    respondError(connection, dialect, 401, message, u"invalid_api_key"_s);
    return {};
}

void GatewayService::handleChatCompletions(HttpRequest &&request, HttpConnection *connection, const QString &keyName)
{
    auto summary = PassThroughScanner::scanRequest(request.body);
    if (!summary) {
        respondError(connection, ClientDialect::OpenAi, 400, summary.errorMessage());
        return;
    }
    startCall(ClientDialect::OpenAi, std::move(request), std::nullopt, std::move(summary).value(), connection, keyName);
}

void GatewayService::handleMessages(HttpRequest &&request, HttpConnection *connection, const QString &keyName)
{
    auto decoded = Protocol::AnthropicCodec::decodeRequest(request.body);
    if (!decoded) {
        respondError(connection, ClientDialect::Anthropic, 400, decoded.errorMessage());
        return;
    }
    ChatRequestSummary summary;
    summary.model = decoded->model;
    summary.stream = decoded->stream;
    summary.includeUsage = true;
    summary.maxTokens = decoded->maxTokens.value_or(0);
    startCall(ClientDialect::Anthropic, std::move(request), std::move(decoded).value(), std::move(summary), connection,
        keyName);
}

void GatewayService::startCall(ClientDialect dialect, HttpRequest &&request, std::optional<ChatRequest> canonical,
    ChatRequestSummary summary, HttpConnection *connection, const QString &keyName)
{
    // About four bytes per token; the JSON framing makes this an overestimate, which is the safe
    // side for context windows and budgets, and it costs nothing on the request path.
    const Routing::RequestFacts facts {
        request.body.size() / 4, summary.maxTokens > 0 ? summary.maxTokens : DefaultOutputTokens};
    auto plan = m_tables->planner().plan(summary.model, facts, m_routerState);
    if (!plan) {
        respondError(connection, dialect, 404, plan.errorMessage(), u"model_not_found"_s);
        return;
    }
    GatewayCall::Context context = callContext(request, dialect, keyName, plan.value(), facts);
    launch(new ChatCompletionCall(std::move(context), std::move(request.body), std::move(canonical), std::move(summary),
        std::move(plan).value(), connection, this));
}

void GatewayService::handleEmbeddings(HttpRequest &&request, HttpConnection *connection, const QString &keyName)
{
    auto decoded = Protocol::EmbeddingsCodec::decodeRequest(request.body);
    if (!decoded) {
        respondError(connection, ClientDialect::OpenAi, 400, decoded.errorMessage());
        return;
    }
    const Routing::RequestFacts facts {request.body.size() / 4, 0};
    auto plan = m_tables->planner().plan(decoded->model, facts, m_routerState);
    if (!plan) {
        respondError(connection, ClientDialect::OpenAi, 404, plan.errorMessage(), u"model_not_found"_s);
        return;
    }
    GatewayCall::Context context = callContext(request, ClientDialect::OpenAi, keyName, plan.value(), facts);
    launch(
        new EmbeddingsCall(std::move(context), std::move(decoded).value(), std::move(plan).value(), connection, this));
}

GatewayCall::Context GatewayService::callContext(const HttpRequest &request, ClientDialect dialect,
    const QString &keyName, const Routing::RoutePlan &plan, const Routing::RequestFacts &facts)
{
    GatewayCall::Context context;
    context.tables = m_tables;
    context.pool = m_pool;
    context.clock = &m_clock;
    context.requestId = nextRequestId();
    context.traceHeader = request.header("x-switchyard-debug") == "1";
    context.dialect = dialect;
    context.anthropicBeta = request.header("anthropic-beta");
    if (m_tables->settings().captureBodies) {
        context.capturedRequest = request.body;
    }
    context.routing.state = &m_routerState;
    context.routing.random = &m_random;
    context.routing.budgets = &m_budgets;
    context.routing.limiter = &m_limiter;
    context.routing.keyName = keyName;
    context.routing.startedAtMs = m_clock.nowMs();
    context.routing.estimatedCost
        = m_tables->estimateCost(plan, facts.estimatedPromptTokens, facts.estimatedOutputTokens);
    context.routing.estimatedTokens = facts.estimatedPromptTokens + facts.estimatedOutputTokens;
    return context;
}

void GatewayService::launch(GatewayCall *call)
{
    m_calls.insert(call);
    connect(call, &GatewayCall::attemptRecorded, this, [this](const Ledger::UsageRecord &record) {
        m_metrics.attemptRecorded(record);
        emit attemptRecorded(record);
    });
    connect(call, &GatewayCall::finished, this, [this, call] {
        m_metrics.requestFinished(call->routeName(), call->clientStatus());
        m_calls.remove(call);
        call->deleteLater();
        if (m_shuttingDown && m_calls.isEmpty() && m_shutdownTimer.isActive()) {
            finishShutdown();
        }
    });
    call->start();
}

void GatewayService::handleCountTokens(HttpRequest &&request, HttpConnection *connection)
{
    QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (!body.contains("max_tokens"_L1)) {
        body.insert("max_tokens"_L1, 1); // count_tokens takes a Messages request without it
    }
    const auto decoded = Protocol::AnthropicCodec::decodeRequest(QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!decoded) {
        respondError(connection, ClientDialect::Anthropic, 400, decoded.errorMessage());
        return;
    }
    const qint64 estimate
        = Routing::RoutePlanner::estimateTokens(Protocol::OpenAiCodec::encodeRequest(decoded.value()));
    auto plan = m_tables->planner().plan(decoded->model, {estimate, 0}, m_routerState);
    if (!plan) {
        respondError(connection, ClientDialect::Anthropic, 404, plan.errorMessage(), u"model_not_found"_s);
        return;
    }
    const ProviderEndpoint *anthropic = nullptr;
    if (!plan->targets.isEmpty()) {
        const Routing::RouteTarget &first = plan->targets.first().target;
        anthropic = m_tables->provider(first.provider);
        if (anthropic != nullptr && anthropic->wireFormat == Providers::WireFormat::AnthropicMessages) {
            body.remove("max_tokens"_L1);
            body.insert("model"_L1, first.model);
        } else {
            anthropic = nullptr;
        }
    }
    auto *call = new CountTokensCall(
        m_pool, anthropic, QJsonDocument(body).toJson(QJsonDocument::Compact), estimate, connection, this);
    m_countCalls.insert(call);
    connect(call, &CountTokensCall::finished, this, [this, call] {
        m_countCalls.remove(call);
        call->deleteLater();
    });
    call->start();
}

void GatewayService::handleModels(HttpConnection *connection, ClientDialect dialect)
{
    struct Listed
    {
        QString id;
        QString owner;
    };
    QList<Listed> models;
    for (const Routing::Route &route : m_tables->planner().routes()) {
        models.append({route.name, u"switchyard-route"_s});
    }
    for (const ProviderEndpoint &provider : m_tables->providers()) {
        for (const QString &model : provider.models) {
            models.append({QString(provider.id + u'/' + model), provider.id});
        }
    }
    QJsonArray data;
    QJsonObject body;
    if (dialect == ClientDialect::Anthropic) {
        for (const Listed &model : std::as_const(models)) {
            data.append(QJsonObject {{u"type"_s, u"model"_s}, {u"id"_s, model.id}, {u"display_name"_s, model.id},
                {u"created_at"_s, u"1970-01-01T00:00:00Z"_s}});
        }
        body = {{u"data"_s, data}, {u"has_more"_s, false},
            {u"first_id"_s, models.isEmpty() ? QJsonValue() : QJsonValue(models.first().id)},
            {u"last_id"_s, models.isEmpty() ? QJsonValue() : QJsonValue(models.last().id)}};
    } else {
        for (const Listed &model : std::as_const(models)) {
            data.append(QJsonObject {
                {u"id"_s, model.id}, {u"object"_s, u"model"_s}, {u"created"_s, 0}, {u"owned_by"_s, model.owner}});
        }
        body = {{u"object"_s, u"list"_s}, {u"data"_s, data}};
    }
    connection->respond(
        200, {{"Content-Type"_ba, JsonContentType}}, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void GatewayService::handleHealth(HttpConnection *connection)
{
    const QJsonObject body {{u"status"_s, u"ok"_s}, {u"version"_s, QStringLiteral(SWITCHYARD_VERSION)},
        {u"callsInFlight"_s, callsInFlight()}};
    connection->respond(
        200, {{"Content-Type"_ba, JsonContentType}}, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void GatewayService::addRouterGauges()
{
    m_metrics.addGauge(
        {"switchyard_breaker_state"_ba, "Circuit breaker per target: 0 closed, 1 half-open, 2 open."_ba, [this] {
             QList<GatewayMetrics::GaugeSample> samples;
             if (!m_tables) {
                 return samples;
             }
             m_routerState.refreshBreakers();
             for (const QString &target : m_tables->targetKeys()) {
                 const Routing::BreakerState state = m_routerState.breakerState(target);
                 const double value = state == Routing::BreakerState::Open ? 2
                     : state == Routing::BreakerState::HalfOpen            ? 1
                                                                           : 0;
                 samples.append({GatewayMetrics::labels({GatewayMetrics::label("target", target)}), value});
             }
             return samples;
         }});
    m_metrics.addGauge({"switchyard_budget_remaining_usd"_ba,
        "Budget left in the current window, by scope, name and window."_ba, [this] {
            QList<GatewayMetrics::GaugeSample> samples;
            for (const Routing::BudgetBook::Account &account : m_budgets.accounts()) {
                static const char *const scopes[] = {"key", "route", "provider"};
                static const char *const windows[] = {"day", "week", "month"};
                samples.append(
                    {GatewayMetrics::labels({GatewayMetrics::label(
                                                 "scope", QString::fromLatin1(scopes[int(account.budget.scope)])),
                         GatewayMetrics::label("name", account.budget.name),
                         GatewayMetrics::label("window", QString::fromLatin1(windows[int(account.budget.window)]))}),
                        account.remaining().usd()});
            }
            return samples;
        }});
}

void GatewayService::handleMetrics(HttpConnection *connection)
{
    connection->respond(
        200, {{"Content-Type"_ba, "text/plain; version=0.0.4; charset=utf-8"_ba}}, m_metrics.render(callsInFlight()));
}

void GatewayService::respondError(
    HttpConnection *connection, ClientDialect dialect, int status, const QString &message, const QString &code)
{
    m_metrics.requestFinished(QString(), status);
    const ClientEncoder encoder(dialect, false);
    const ProviderError error = ClientEncoder::gatewayError(status, message, code);
    connection->respond(encoder.errorStatus(error), {{"Content-Type"_ba, JsonContentType}}, encoder.errorBody(error));
}

QString GatewayService::nextRequestId()
{
    return QString::fromLatin1(m_requestIdPrefix + QByteArray::number(++m_requestCounter));
}

} // namespace Switchyard::Gateway
