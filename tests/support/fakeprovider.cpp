#include "tests/support/fakeprovider.h"

#include "core/gateway/httpconnection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Switchyard::Testing {

struct FakeProvider::Exchange
{
    QPointer<Gateway::HttpConnection> connection;
    QString model;
    Script script;
    bool stream = false;
    bool includeUsage = false;
    QStringList pieces;
    int nextEvent = 0;
};

namespace {
const Gateway::HttpHeaders JsonHeaders{{"Content-Type"_ba, "application/json"_ba}};

QByteArray errorJson(const QString &message, const QString &type)
{
    const QJsonObject error{{u"message"_s, message}, {u"type"_s, type}, {u"param"_s, QJsonValue()},
                            {u"code"_s, QJsonValue()}};
    return QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact);
}

QJsonObject usageJson(const Usage &usage)
{
    return {{u"prompt_tokens"_s, usage.promptTokens},
            {u"completion_tokens"_s, usage.completionTokens},
            {u"total_tokens"_s, usage.totalTokens()},
            {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, usage.cachedTokens}}},
            {u"completion_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, usage.reasoningTokens}}}};
}

QStringList splitAnswer(const QString &answer, int pieces)
{
    QStringList result;
    const int count = qMax(1, pieces);
    const qsizetype step = qMax<qsizetype>(1, (answer.size() + count - 1) / count);
    for (qsizetype i = 0; i < answer.size(); i += step) {
        result.append(answer.mid(i, step));
    }
    return result;
}
} // namespace

FakeProvider::FakeProvider(QObject *parent)
    : QObject(parent)
    , m_server(new Gateway::HttpServer(this, this))
{
}

FakeProvider::~FakeProvider()
{
    delete m_server;
    m_server = nullptr;
    qDeleteAll(m_exchanges);
}

bool FakeProvider::start()
{
    return m_server->listen(QHostAddress::LocalHost, 0).isOk();
}

void FakeProvider::stop()
{
    m_server->abortAll();
}

quint16 FakeProvider::port() const
{
    return m_server->serverPort();
}

QUrl FakeProvider::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port()));
}

void FakeProvider::setScript(const QString &model, const Script &script)
{
    m_scripts.insert(model, script);
}

void FakeProvider::handleRequest(Gateway::HttpRequest &&request, Gateway::HttpConnection *connection)
{
    if (request.method == "GET" && request.path == "/v1/models") {
        QJsonArray models;
        for (auto it = m_scripts.cbegin(); it != m_scripts.cend(); ++it) {
            models.append(QJsonObject{{u"id"_s, it.key()}, {u"object"_s, u"model"_s}, {u"owned_by"_s, u"fake"_s}});
        }
        connection->respond(200, JsonHeaders,
                            QJsonDocument(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, models}})
                                .toJson(QJsonDocument::Compact));
        return;
    }
    if (request.method != "POST" || request.path != "/v1/chat/completions") {
        connection->respond(404, JsonHeaders, errorJson(u"Unknown path"_s, u"invalid_request_error"_s));
        return;
    }
    if (!m_requiredKey.isEmpty() && request.header("authorization") != "Bearer "_ba + m_requiredKey) {
        connection->respond(401, JsonHeaders, errorJson(u"Incorrect API key provided."_s, u"invalid_request_error"_s));
        return;
    }
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    auto *exchange = new Exchange;
    exchange->connection = connection;
    exchange->model = body.value(u"model"_s).toString();
    exchange->script = m_scripts.value(exchange->model, m_defaultScript);
    exchange->stream = body.value(u"stream"_s).toBool();
    exchange->includeUsage = body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();
    exchange->pieces = splitAnswer(exchange->script.answer, exchange->script.chunks);
    m_exchanges.insert(exchange);
    m_requests.append(std::move(request));
    m_requestsByModel[exchange->model] += 1;
    ++m_totalRequests;
    m_maxConcurrent = qMax(m_maxConcurrent, ++m_inFlight);
    emit requestReceived(exchange->model);
    if (exchange->script.hang) {
        return; // answered never; cleaned up with the provider
    }
    QTimer::singleShot(exchange->script.headDelayMs, this, [this, exchange] { answer(exchange); });
}

void FakeProvider::answer(Exchange *exchange)
{
    const Script &script = exchange->script;
    if (exchange->connection.isNull()) {
        finishExchange(exchange);
        return;
    }
    Gateway::HttpHeaders headers = JsonHeaders;
    if (script.status != 200) {
        if (!script.retryAfter.isEmpty()) {
            headers.append({"Retry-After"_ba, script.retryAfter});
        }
        const QByteArray body = script.errorBody.isEmpty()
            ? errorJson(u"Scripted failure with status %1"_s.arg(script.status),
                        script.status == 429 ? u"rate_limit_error"_s : u"server_error"_s)
            : script.errorBody;
        exchange->connection->respond(script.status, headers, body);
        finishExchange(exchange);
        return;
    }
    if (script.invalidJson) {
        exchange->connection->respond(200, headers, "{\"id\": \"chatcmpl-broken\", \"choices\": ["_ba);
        finishExchange(exchange);
        return;
    }
    if (!exchange->stream) {
        exchange->connection->respond(200, headers, completionBody(exchange->model, script));
        finishExchange(exchange);
        return;
    }
    ++m_openStreams;
    exchange->connection->beginStream(200, {{"Content-Type"_ba, "text/event-stream"_ba},
                                            {"Cache-Control"_ba, "no-cache"_ba}});
    sendNextStreamEvent(exchange);
}

void FakeProvider::sendNextStreamEvent(Exchange *exchange)
{
    if (exchange->connection.isNull()) {
        --m_openStreams;
        finishExchange(exchange);
        return;
    }
    const Script &script = exchange->script;
    const int contentEvents = int(exchange->pieces.size());
    const int index = exchange->nextEvent++;
    Gateway::HttpConnection *connection = exchange->connection;
    if (index == 0) {
        connection->writeChunk(chunkEvent(exchange->model, R"("role":"assistant","content":"")"_ba, {}));
    } else if (index <= contentEvents) {
        if (script.resetAfterChunks >= 0 && index > script.resetAfterChunks) {
            --m_openStreams;
            connection->abort();
            finishExchange(exchange);
            return;
        }
        const QByteArray content = QJsonDocument(QJsonArray{exchange->pieces.at(index - 1)}).toJson(QJsonDocument::Compact);
        connection->writeChunk(chunkEvent(exchange->model, R"("content":)"_ba + content.mid(1, content.size() - 2), {}));
    } else if (script.truncate) {
        --m_openStreams;
        connection->endStream();
        emit streamFinished(exchange->model);
        finishExchange(exchange);
        return;
    } else if (index == contentEvents + 1) {
        connection->writeChunk(chunkEvent(exchange->model, {}, "stop"_ba));
    } else if (index == contentEvents + 2 && exchange->includeUsage) {
        const QJsonObject chunk{{u"id"_s, u"chatcmpl-fake"_s},
                                {u"object"_s, u"chat.completion.chunk"_s},
                                {u"created"_s, 1767000000},
                                {u"model"_s, exchange->model},
                                {u"choices"_s, QJsonArray()},
                                {u"usage"_s, usageJson(script.usage)}};
        connection->writeChunk(QByteArray("data: "_ba + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n"_ba));
    } else {
        connection->writeChunk("data: [DONE]\n\n"_ba);
        connection->endStream();
        --m_openStreams;
        emit streamFinished(exchange->model);
        finishExchange(exchange);
        return;
    }
    QTimer::singleShot(script.chunkDelayMs, this, [this, exchange] { sendNextStreamEvent(exchange); });
}

QByteArray FakeProvider::chunkEvent(const QString &model, const QByteArray &delta, const QByteArray &finishReason) const
{
    const QByteArray finish = finishReason.isEmpty() ? "null"_ba : '"' + finishReason + '"';
    return R"(data: {"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1767000000,"model":")"_ba
        + model.toUtf8() + R"(","choices":[{"index":0,"delta":{)"_ba + delta + R"(},"finish_reason":)"_ba + finish
        + R"(}],"usage":null})"_ba + "\n\n"_ba;
}

QByteArray FakeProvider::completionBody(const QString &model, const Script &script) const
{
    const QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, script.answer}};
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, u"stop"_s}};
    const QJsonObject body{{u"id"_s, u"chatcmpl-fake"_s},         {u"object"_s, u"chat.completion"_s},
                           {u"created"_s, 1767000000},            {u"model"_s, model},
                           {u"choices"_s, QJsonArray{choice}},    {u"usage"_s, usageJson(script.usage)}};
    return QJsonDocument(body).toJson(QJsonDocument::Indented);
}

void FakeProvider::finishExchange(Exchange *exchange)
{
    --m_inFlight;
    m_exchanges.remove(exchange);
    delete exchange;
}

} // namespace Switchyard::Testing
