// The gateway end to end over loopback: a Qt HTTP client (QNetworkAccessManager) talks to the
// real GatewayService, which talks to FakeProvider over real sockets; attempts land in a real
// SQLite ledger.
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeProvider;

namespace {

QByteArray chatBody(const QString &model, bool stream, const QJsonObject &extra = {})
{
    QJsonObject body {{u"model"_s, model},
        {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
    if (stream) {
        body.insert(u"stream"_s, true);
    }
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        body.insert(it.key(), it.value());
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// Concatenated delta contents of an OpenAI event stream, plus what else it carried.
struct StreamContent
{
    QString text;
    bool sawDone = false;
    bool sawUsage = false;
    QString errorMessage;
};

StreamContent parseStream(const QByteArray &bytes)
{
    StreamContent content;
    for (const QByteArray &line : bytes.split('\n')) {
        if (!line.startsWith("data: ")) {
            continue;
        }
        const QByteArray data = line.mid(6);
        if (data == "[DONE]") {
            content.sawDone = true;
            continue;
        }
        const QJsonObject chunk = QJsonDocument::fromJson(data).object();
        if (chunk.contains(u"error"_s)) {
            content.errorMessage = chunk.value(u"error"_s).toObject().value(u"message"_s).toString();
        }
        if (chunk.value(u"usage"_s).isObject()) {
            content.sawUsage = true;
        }
        for (const QJsonValue &choice : chunk.value(u"choices"_s).toArray()) {
            content.text += choice.toObject().value(u"delta"_s).toObject().value(u"content"_s).toString();
        }
    }
    return content;
}

} // namespace

class TestGateway : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void answersNonStreamRequestThroughRoute();
    void forwardsStreamChunksBeforeUpstreamFinishes();
    void passesUsageChunkOnlyWhenClientAskedForIt();
    void fallsBackToNextTarget_data();
    void fallsBackToNextTarget();
    void rejectsBadRequests_data();
    void rejectsBadRequests();
    void reportsUpstreamFailure_data();
    void reportsUpstreamFailure();
    void passesClientErrorsThrough();
    void endsBrokenStreamWithErrorEvent_data();
    void endsBrokenStreamWithErrorEvent();
    void recordsTokensAndCost();
    void capturesBodiesOnlyWhenSwitchedOn();
    void servesModelsAndHealth();
    void exposesPrometheusMetrics();
    void carries200ConcurrentStreamsToOneUpstream();
    void shutdownEndsOpenStreamsCleanly();

private:
    QNetworkReply *post(const QByteArray &body, const QByteArray &key = {});
    QNetworkReply *get(const QString &path);
    void waitFor(QNetworkReply *reply);
    QList<Ledger::UsageRecord> ledgerRecords() { return m_fixture->ledgerRecords(); }
    FakeProvider *provider() { return &m_fixture->provider(); }
    Gateway::GatewayService *gateway() { return &m_fixture->gateway(); }
    void setFirstByteTimeout(int ms);

    std::unique_ptr<Testing::GatewayFixture> m_fixture;
    std::unique_ptr<QNetworkAccessManager> m_network;
    QString m_clientKey;
};

void TestGateway::init()
{
    m_fixture = std::make_unique<Testing::GatewayFixture>();
    const QString problem = m_fixture->start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    m_clientKey = m_fixture->clientKey();
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestGateway::cleanup()
{
    m_network.reset();
    m_fixture.reset();
}

void TestGateway::setFirstByteTimeout(int ms)
{
    m_fixture->workspace().gateway.firstByteTimeoutMs = ms;
    m_fixture->applyWorkspace();
}

QNetworkReply *TestGateway::post(const QByteArray &body, const QByteArray &key)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(gateway()->port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Authorization", "Bearer " + (key.isNull() ? m_clientKey.toUtf8() : key));
    return m_network->post(request, body);
}

QNetworkReply *TestGateway::get(const QString &path)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(gateway()->port()).arg(path)));
    request.setRawHeader("Authorization", "Bearer " + m_clientKey.toUtf8());
    return m_network->get(request);
}

void TestGateway::waitFor(QNetworkReply *reply)
{
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(15000));
    }
}

void TestGateway::answersNonStreamRequestThroughRoute()
{
    std::unique_ptr<QNetworkReply> reply(post(chatBody(u"smart"_s, false)));
    waitFor(reply.get());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(body.value(u"choices"_s)[0][u"message"_s][u"content"_s].toString(), u"Hello from the fake provider."_s);
    QCOMPARE(reply->rawHeader("x-switchyard-route"), "smart"_ba);
    QCOMPARE(reply->rawHeader("x-switchyard-target"), "fake/gpt-4o-mini"_ba);

    QCOMPARE(provider()->requests().size(), 1);
    const auto &upstream = provider()->requests().first();
    QCOMPARE(upstream.header("authorization"), "Bearer "_ba + Testing::GatewayFixture::UpstreamKey);
    QCOMPARE(QJsonDocument::fromJson(upstream.body).object().value(u"model"_s).toString(), u"gpt-4o-mini"_s);
}

void TestGateway::forwardsStreamChunksBeforeUpstreamFinishes()
{
    FakeProvider::Script script;
    script.answer = u"one two three four five six"_s;
    script.chunks = 6;
    script.chunkDelayMs = 150;
    provider()->setScript(u"gpt-4o-mini"_s, script);
    QSignalSpy upstreamDone(provider(), &FakeProvider::streamFinished);

    std::unique_ptr<QNetworkReply> reply(post(chatBody(u"smart"_s, true)));
    QByteArray received;
    bool contentBeforeUpstreamFinished = false;
    connect(reply.get(), &QNetworkReply::readyRead, this, [&] {
        received += reply->readAll();
        if (!parseStream(received).text.isEmpty() && upstreamDone.isEmpty()) {
            contentBeforeUpstreamFinished = true;
        }
    });
    waitFor(reply.get());
    received += reply->readAll();
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(u"text/event-stream"_s));
    QVERIFY2(contentBeforeUpstreamFinished, "the gateway buffered the stream instead of forwarding it");
    const StreamContent content = parseStream(received);
    QCOMPARE(content.text, script.answer);
    QVERIFY(content.sawDone);
    QVERIFY2(!content.sawUsage, "a usage chunk the client did not ask for was forwarded");
    // The gateway asked the provider for usage anyway, for the ledger.
    const QJsonObject upstreamBody = QJsonDocument::fromJson(provider()->requests().first().body).object();
    QVERIFY(upstreamBody.value(u"stream_options"_s)[u"include_usage"_s].toBool());
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().usage.completionTokens, 8);
    QVERIFY(records.first().ttftMs >= 0);
}

void TestGateway::passesUsageChunkOnlyWhenClientAskedForIt()
{
    const QJsonObject options {{u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}}}};
    std::unique_ptr<QNetworkReply> reply(post(chatBody(u"smart"_s, true, options)));
    waitFor(reply.get());
    const StreamContent content = parseStream(reply->readAll());
    QVERIFY(content.sawUsage);
    QVERIFY(content.sawDone);
}

void TestGateway::fallsBackToNextTarget_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<int>("firstStatus");
    QTest::addColumn<bool>("firstHangs");
    QTest::addColumn<QString>("firstErrorClass");
    QTest::addColumn<bool>("stream");

    QTest::newRow("503") << u"pair"_s << 503 << false << u"http_5xx"_s << false;
    QTest::newRow("503 stream") << u"pair"_s << 503 << false << u"http_5xx"_s << true;
    QTest::newRow("429") << u"pair"_s << 429 << false << u"http_429"_s << false;
    QTest::newRow("500") << u"pair"_s << 500 << false << u"http_5xx"_s << true;
    QTest::newRow("timeout") << u"pair"_s << 200 << true << u"timeout"_s << false;
    QTest::newRow("connection refused") << u"via-down"_s << 0 << false << u"connect"_s << false;
    QTest::newRow("connection refused stream") << u"via-down"_s << 0 << false << u"connect"_s << true;
}

void TestGateway::fallsBackToNextTarget()
{
    QFETCH(QString, route);
    QFETCH(int, firstStatus);
    QFETCH(bool, firstHangs);
    QFETCH(QString, firstErrorClass);
    QFETCH(bool, stream);
    FakeProvider::Script failing;
    failing.status = firstStatus;
    failing.hang = firstHangs;
    provider()->setScript(u"first"_s, failing);
    setFirstByteTimeout(300);

    std::unique_ptr<QNetworkReply> reply(post(chatBody(route, stream)));
    waitFor(reply.get());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->rawHeader("x-switchyard-target"), "fake/gpt-4o-mini"_ba);
    QCOMPARE(reply->rawHeader("x-switchyard-attempts"), "2"_ba);
    const QByteArray body = reply->readAll();
    if (stream) {
        QCOMPARE(parseStream(body).text, u"Hello from the fake provider."_s);
    }
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).attempt, 1);
    QCOMPARE(records.at(0).errorClass, firstErrorClass);
    QCOMPARE(records.at(0).route, route);
    QCOMPARE(records.at(1).attempt, 2);
    QCOMPARE(records.at(1).errorClass, QString());
    QCOMPARE(records.at(1).status, 200);
    QCOMPARE(records.at(0).requestId, records.at(1).requestId);
}

void TestGateway::rejectsBadRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("malformed JSON") << "{\"model\": \"smart\", \"messages\": ["_ba << QByteArray() << 400 << u"JSON"_s;
    QTest::newRow("not an object") << "[1,2]"_ba << QByteArray() << 400 << u"object"_s;
    QTest::newRow("no messages") << "{\"model\":\"smart\"}"_ba << QByteArray() << 400 << u"messages"_s;
    QTest::newRow("wrong key") << chatBody(u"smart"_s, false) << "sy-wrong"_ba << 401 << u"Incorrect API key"_s;
    QTest::newRow("missing key") << chatBody(u"smart"_s, false) << ""_ba << 401 << u"Missing API key"_s;
    QTest::newRow("unknown model") << chatBody(u"no-such-route"_s, false) << QByteArray() << 404 << u"no-such-route"_s;
    QTest::newRow("unknown provider") << chatBody(u"nobody/gpt-4o"_s, false) << QByteArray() << 404
                                      << u"does not exist"_s;
    QTest::newRow("body over limit") << chatBody(u"smart"_s, false, {{u"pad"_s, QString(70000, u'x')}}) << QByteArray()
                                     << 413 << u"limit"_s;
}

void TestGateway::rejectsBadRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, key);
    QFETCH(int, status);
    QFETCH(QString, messagePart);
    std::unique_ptr<QNetworkReply> reply(post(body, key));
    waitFor(reply.get());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    const QJsonObject error = QJsonDocument::fromJson(reply->readAll()).object().value(u"error"_s).toObject();
    QVERIFY2(
        error.value(u"message"_s).toString().contains(messagePart), qPrintable(error.value(u"message"_s).toString()));
    QVERIFY(!error.value(u"type"_s).toString().isEmpty());
    QCOMPARE(provider()->totalRequests(), 0);
}

void TestGateway::reportsUpstreamFailure_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("status");

    QTest::newRow("all targets refuse connections") << u"all-down"_s << 502;
    QTest::newRow("timeout") << u"fake/slow"_s << 504;
    QTest::newRow("invalid JSON") << u"fake/broken"_s << 502;
    QTest::newRow("last target's 503 is passed on") << u"fake/overloaded"_s << 503;
}

void TestGateway::reportsUpstreamFailure()
{
    QFETCH(QString, model);
    QFETCH(int, status);
    FakeProvider::Script slow;
    slow.hang = true;
    provider()->setScript(u"slow"_s, slow);
    FakeProvider::Script broken;
    broken.invalidJson = true;
    provider()->setScript(u"broken"_s, broken);
    FakeProvider::Script overloaded;
    overloaded.status = 503;
    overloaded.retryAfter = "7"_ba;
    provider()->setScript(u"overloaded"_s, overloaded);
    setFirstByteTimeout(300);

    std::unique_ptr<QNetworkReply> reply(post(chatBody(model, false)));
    waitFor(reply.get());
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    const QJsonObject error = QJsonDocument::fromJson(reply->readAll()).object().value(u"error"_s).toObject();
    QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    if (status == 503) {
        QCOMPARE(reply->rawHeader("retry-after"), "7"_ba);
    }
}

void TestGateway::passesClientErrorsThrough()
{
    FakeProvider::Script rejecting;
    rejecting.status = 400;
    rejecting.errorBody = "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\","
                          "\"param\":\"max_tokens\",\"code\":null}}"_ba;
    provider()->setScript(u"first"_s, rejecting);
    std::unique_ptr<QNetworkReply> reply(post(chatBody(u"pair"_s, false)));
    waitFor(reply.get());
    // A 400 is the client's problem: no fallback, the provider's message reaches the client.
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
    const QJsonObject error = QJsonDocument::fromJson(reply->readAll()).object().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"message"_s).toString(), u"max_tokens is too large"_s);
    QCOMPARE(error.value(u"param"_s).toString(), u"max_tokens"_s);
    QCOMPARE(provider()->totalRequests(), 1);
}

void TestGateway::endsBrokenStreamWithErrorEvent_data()
{
    QTest::addColumn<bool>("truncate");
    QTest::addColumn<QString>("errorClass");
    QTest::newRow("reset mid-stream") << false << u"reset"_s;
    QTest::newRow("truncated") << true << u"truncated"_s;
}

void TestGateway::endsBrokenStreamWithErrorEvent()
{
    QFETCH(bool, truncate);
    QFETCH(QString, errorClass);
    FakeProvider::Script script;
    script.chunks = 4;
    script.truncate = truncate;
    script.resetAfterChunks = truncate ? -1 : 2;
    provider()->setScript(u"first"_s, script);
    std::unique_ptr<QNetworkReply> reply(post(chatBody(u"pair"_s, true)));
    waitFor(reply.get());
    // The client already has part of the answer: no fallback, but an explicit error, never a clean end.
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->error(), QNetworkReply::NoError); // the chunked stream itself ended properly
    const StreamContent content = parseStream(reply->readAll());
    QVERIFY(!content.text.isEmpty());
    QVERIFY(!content.sawDone);
    QVERIFY2(!content.errorMessage.isEmpty(), "the broken stream ended without an error event");
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().errorClass, errorClass);
    QCOMPARE(provider()->totalRequests(), 1);
}

void TestGateway::recordsTokensAndCost()
{
    std::unique_ptr<QNetworkReply> reply(post(chatBody(u"smart"_s, false)));
    waitFor(reply.get());
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 1);
    const Ledger::UsageRecord &record = records.first();
    QCOMPARE(record.provider, u"fake"_s);
    QCOMPARE(record.model, u"gpt-4o-mini"_s);
    QCOMPARE(record.route, u"smart"_s);
    QCOMPARE(record.keyName, u"tests"_s);
    QCOMPARE(record.status, 200);
    QCOMPARE(record.usage.promptTokens, 12);
    QCOMPARE(record.usage.completionTokens, 8);
    QCOMPARE(record.usage.cachedTokens, 4);
    QCOMPARE(record.usage.reasoningTokens, 2);
    // gpt-4o-mini in the bundled catalog: $0.15/M input, $0.075/M cached input, $0.60/M output.
    // (12 - 4) * 0.15 + 4 * 0.075 + 8 * 0.60 = 6.3 micro-dollars.
    QVERIFY(record.cost.has_value());
    QCOMPARE(record.cost->nanoUsd(), 6300);
    QVERIFY(!record.priceSource.isEmpty());

    // A model the catalog does not know is recorded as unpriced, never as $0.
    std::unique_ptr<QNetworkReply> unknown(post(chatBody(u"fake/house-model-7"_s, false)));
    waitFor(unknown.get());
    const auto all = ledgerRecords();
    QCOMPARE(all.size(), 2);
    QVERIFY(!all.last().cost.has_value());
}

void TestGateway::capturesBodiesOnlyWhenSwitchedOn()
{
    std::unique_ptr<QNetworkReply> uncaptured(post(chatBody(u"smart"_s, false)));
    waitFor(uncaptured.get());

    m_fixture->workspace().gateway.captureBodies = true;
    m_fixture->applyWorkspace();
    const QByteArray body = chatBody(u"smart"_s, false);
    std::unique_ptr<QNetworkReply> answered(post(body));
    waitFor(answered.get());
    const QByteArray answer = answered->readAll();
    std::unique_ptr<QNetworkReply> streamed(post(chatBody(u"smart"_s, true)));
    waitFor(streamed.get());
    const QByteArray frames = streamed->readAll();
    QVERIFY(frames.contains("[DONE]"));

    const auto records = ledgerRecords(); // oldest first
    QCOMPARE(records.size(), 3);
    auto reader = Ledger::LedgerReader::open(m_fixture->ledger().databasePath());
    QVERIFY2(reader, qPrintable(reader.errorMessage()));
    QCOMPARE(reader->capturedBodies(records.at(0).requestId).value(), std::nullopt);
    const auto json = reader->capturedBodies(records.at(1).requestId);
    QVERIFY(json && json->has_value());
    QCOMPARE(json->value().request, body);
    QCOMPARE(json->value().response, answer);
    QVERIFY(!json->value().truncated);
    // A stream is kept as the frames the client received.
    const auto stream = reader->capturedBodies(records.at(2).requestId);
    QVERIFY(stream && stream->has_value());
    QCOMPARE(stream->value().response, frames);
}

void TestGateway::servesModelsAndHealth()
{
    std::unique_ptr<QNetworkReply> models(get(u"/v1/models"_s));
    waitFor(models.get());
    QCOMPARE(models->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QStringList ids;
    for (const QJsonValue &model : QJsonDocument::fromJson(models->readAll()).object().value(u"data"_s).toArray()) {
        ids.append(model.toObject().value(u"id"_s).toString());
    }
    QVERIFY(ids.contains(u"smart"_s));
    QVERIFY(ids.contains(u"fake/gpt-4o"_s));

    std::unique_ptr<QNetworkReply> health(get(u"/health"_s));
    waitFor(health.get());
    QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(health->readAll()).object().value(u"status"_s).toString(), u"ok"_s);
}

void TestGateway::exposesPrometheusMetrics()
{
    std::unique_ptr<QNetworkReply> answered(post(chatBody(u"smart"_s, false)));
    waitFor(answered.get());
    std::unique_ptr<QNetworkReply> refused(post(chatBody(u"no-such-route"_s, false)));
    waitFor(refused.get());

    std::unique_ptr<QNetworkReply> metrics(get(u"/metrics"_s));
    waitFor(metrics.get());
    QCOMPARE(metrics->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(metrics->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(u"text/plain"_s));
    const QByteArray text = metrics->readAll();
    const auto has = [&text](const QByteArray &line) { return text.split('\n').contains(line); };
    QVERIFY2(has("switchyard_requests_total{route=\"smart\",status=\"200\"} 1"_ba), text.constData());
    QVERIFY(has("switchyard_requests_total{route=\"\",status=\"404\"} 1"_ba));
    QVERIFY(has("switchyard_attempts_total{route=\"smart\",target=\"fake/gpt-4o-mini\",outcome=\"ok\"} 1"_ba));
    QVERIFY(has("switchyard_tokens_total{target=\"fake/gpt-4o-mini\",kind=\"completion\"} 8"_ba));
    QVERIFY(has("switchyard_cost_usd_total{provider=\"fake\",route=\"smart\",key=\"tests\"} 6.3e-06"_ba));
    QVERIFY(has("switchyard_attempt_latency_seconds_count{target=\"fake/gpt-4o-mini\"} 1"_ba));
    QVERIFY(has("switchyard_attempt_latency_seconds_bucket{target=\"fake/gpt-4o-mini\",le=\"+Inf\"} 1"_ba));
}

void TestGateway::carries200ConcurrentStreamsToOneUpstream()
{
    constexpr int Streams = 200;
    FakeProvider::Script script;
    script.chunks = 5;
    script.chunkDelayMs = 200; // every stream stays open long enough to overlap with all others
    provider()->setScript(u"gpt-4o-mini"_s, script);
    // QNetworkAccessManager opens at most 6 connections per host, so the clients are spread
    // over enough instances to put all 200 requests in flight at once.
    std::vector<std::unique_ptr<QNetworkAccessManager>> clients;
    std::vector<std::unique_ptr<QNetworkReply>> replies;
    int finished = 0;
    for (int i = 0; i < Streams; ++i) {
        if (i % 5 == 0) {
            clients.push_back(std::make_unique<QNetworkAccessManager>());
        }
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(gateway()->port())));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + m_clientKey.toUtf8());
        replies.emplace_back(clients.back()->post(request, chatBody(u"smart"_s, true)));
        connect(replies.back().get(), &QNetworkReply::finished, this, [&finished] { ++finished; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, Streams, 60000);
    for (const auto &reply : replies) {
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const StreamContent content = parseStream(reply->readAll());
        QCOMPARE(content.text, u"Hello from the fake provider."_s);
        QVERIFY(content.sawDone);
    }
    QCOMPARE(provider()->maxConcurrentRequests(), Streams);
    QCOMPARE(ledgerRecords().size(), Streams);
}

void TestGateway::shutdownEndsOpenStreamsCleanly()
{
    FakeProvider::Script endless;
    endless.answer = QString(200, u'z');
    endless.chunks = 200;
    endless.chunkDelayMs = 100;
    provider()->setScript(u"gpt-4o-mini"_s, endless);
    FakeProvider::Script quick;
    quick.chunkDelayMs = 20;
    provider()->setScript(u"quick"_s, quick);
    std::unique_ptr<QNetworkReply> longStream(post(chatBody(u"smart"_s, true)));
    std::unique_ptr<QNetworkReply> shortStream(post(chatBody(u"fake/quick"_s, true)));
    QSignalSpy firstBytes(longStream.get(), &QNetworkReply::readyRead);
    QVERIFY(firstBytes.wait(5000));

    QSignalSpy stopped(gateway(), &Gateway::GatewayService::stopped);
    gateway()->shutdown(1500);
    QVERIFY(!gateway()->isRunning());
    QVERIFY(stopped.wait(10000));
    waitFor(shortStream.get());
    waitFor(longStream.get());
    // The short stream finished normally inside the grace period.
    const StreamContent finishedNormally = parseStream(shortStream->readAll());
    QVERIFY(finishedNormally.sawDone);
    // The long one was ended with an error event and a proper end of the chunked body.
    QCOMPARE(longStream->error(), QNetworkReply::NoError);
    const StreamContent cut = parseStream(longStream->readAll());
    QVERIFY(!cut.sawDone);
    QVERIFY(cut.errorMessage.contains(u"shutting down"_s));
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 2);

    // Nothing listens any more.
    std::unique_ptr<QNetworkReply> refused(post(chatBody(u"smart"_s, false)));
    waitFor(refused.get());
    QCOMPARE(refused->error(), QNetworkReply::ConnectionRefusedError);
}

QTEST_GUILESS_MAIN(TestGateway)
#include "tst_gateway.moc"
