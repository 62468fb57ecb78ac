// Both front doors end to end: Anthropic-dialect clients (POST /v1/messages) and OpenAI-dialect
// clients reaching providers of another format or with quirks, over loopback through the real
// gateway to the fake provider, with the answers read by the project's own codecs.
#include "core/gateway/gatewayservice.h"
#include "core/protocol/anthropicstreamdecoder.h"
#include "core/protocol/ssedecoder.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayclient.h"
#include "tests/support/gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeProvider;
using Testing::GatewayClient;

namespace {

QByteArray messagesBody(const QString &model, bool stream, const QJsonObject &extra = {})
{
    QJsonObject body {{u"model"_s, model}, {u"max_tokens"_s, 100},
        {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
    if (stream) {
        body.insert(u"stream"_s, true);
    }
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        body.insert(it.key(), it.value());
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// An Anthropic event stream as its SSE event names and, decoded canonically, its text and end.
struct AnthropicStream
{
    QStringList eventNames;
    QString text;
    std::optional<Usage> usage;
    QString finishReason;
    QString errorMessage;
    bool finished = false;
};

AnthropicStream readAnthropicStream(const QByteArray &bytes)
{
    AnthropicStream stream;
    Protocol::SseDecoder sse;
    Protocol::AnthropicStreamDecoder decoder;
    for (const Protocol::SseEvent &event : sse.feed(bytes)) {
        stream.eventNames.append(QString::fromUtf8(event.event));
        const auto decoded = decoder.decode(event.data);
        if (!decoded) {
            stream.errorMessage = decoded.errorMessage();
            continue;
        }
        for (const StreamEvent &canonical : decoded.value()) {
            stream.text += canonical.contentDelta;
            if (canonical.usage) {
                stream.usage = canonical.usage;
            }
            if (!canonical.finishReason.isEmpty()) {
                stream.finishReason = canonical.finishReason;
            }
            if (canonical.error) {
                stream.errorMessage = canonical.error->message;
            }
        }
    }
    stream.finished = decoder.isFinished();
    return stream;
}

} // namespace

class TestDialects : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void messagesAnswerInAnthropicFormat();
    void messagesStreamAsAnthropicEvents();
    void messagesErrorsInAnthropicFormat_data();
    void messagesErrorsInAnthropicFormat();
    void brokenStreamEndsWithAnthropicErrorEvent();
    void countTokensIsEstimatedForOtherProviders();
    void modelsListFollowsTheCallersDialect();
    void openAiClientReachesMistralWithItsQuirks();
    void embeddingsFromOpenAiAndGeminiProviders();
    void embeddingsPassOverProvidersWithoutThem();
    void embeddingsRejectBadInput();
    void recordsTheCostTheProviderReported_data();
    void recordsTheCostTheProviderReported();

private:
    FakeProvider &provider() { return m_fixture->provider(); }
    GatewayClient::Reply postMessages(const QByteArray &body);

    std::unique_ptr<Testing::GatewayFixture> m_fixture;
    std::unique_ptr<GatewayClient> m_anthropic; // x-api-key and anthropic-version, as the Anthropic SDKs send
    std::unique_ptr<GatewayClient> m_openAi;
};

void TestDialects::init()
{
    m_fixture = std::make_unique<Testing::GatewayFixture>();
    const QString problem = m_fixture->start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QByteArray key = m_fixture->clientKey().toUtf8();
    m_anthropic = std::make_unique<GatewayClient>(
        m_fixture->baseUrl(), GatewayClient::Headers {{"x-api-key", key}, {"anthropic-version", "2023-06-01"}});
    m_openAi = std::make_unique<GatewayClient>(
        m_fixture->baseUrl(), GatewayClient::Headers {{"Authorization", "Bearer " + key}});
}

void TestDialects::cleanup()
{
    m_anthropic.reset();
    m_openAi.reset();
    m_fixture.reset();
}

GatewayClient::Reply TestDialects::postMessages(const QByteArray &body)
{
    return m_anthropic->post(u"/v1/messages"_s, body);
}

void TestDialects::messagesAnswerInAnthropicFormat()
{
    const auto reply = postMessages(messagesBody(u"smart"_s, false));
    QCOMPARE(reply.status, 200);
    const QJsonObject message = reply.json();
    QCOMPARE(message.value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(message.value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(message.value(u"content"_s)[0][u"type"_s].toString(), u"text"_s);
    QCOMPARE(message.value(u"content"_s)[0][u"text"_s].toString(), u"Hello from the fake provider."_s);
    QCOMPARE(message.value(u"stop_reason"_s).toString(), u"end_turn"_s);
    // The fake reports 12 prompt tokens of which 4 cached: Anthropic counts input without cache reads.
    QCOMPARE(message.value(u"usage"_s)[u"input_tokens"_s].toInt(), 8);
    QCOMPARE(message.value(u"usage"_s)[u"cache_read_input_tokens"_s].toInt(), 4);
    QCOMPARE(message.value(u"usage"_s)[u"output_tokens"_s].toInt(), 8);
    QCOMPARE(reply.header("x-switchyard-target"), "fake/gpt-4o-mini"_ba);

    // The OpenAI provider got an OpenAI request for the route's model.
    QCOMPARE(provider().requests().size(), 1);
    const QJsonObject upstream = QJsonDocument::fromJson(provider().requests().first().body).object();
    QCOMPARE(upstream.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    QCOMPARE(upstream.value(u"messages"_s)[0][u"content"_s].toString(), u"Hi"_s);
    QCOMPARE(
        provider().requests().first().header("authorization"), "Bearer "_ba + Testing::GatewayFixture::UpstreamKey);

    QTRY_COMPARE(m_fixture->ledgerRecords().size(), 1);
    const Ledger::UsageRecord record = m_fixture->ledgerRecords().first();
    QCOMPARE(record.usage.promptTokens, 12);
    QCOMPARE(record.usage.completionTokens, 8);
    QVERIFY(record.errorClass.isEmpty());
}

void TestDialects::messagesStreamAsAnthropicEvents()
{
    const auto reply = postMessages(messagesBody(u"smart"_s, true));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("content-type").startsWith("text/event-stream"));
    const AnthropicStream stream = readAnthropicStream(reply.body);
    QCOMPARE(stream.eventNames.first(), u"message_start"_s);
    QCOMPARE(stream.eventNames.at(1), u"content_block_start"_s);
    QCOMPARE(stream.eventNames.mid(stream.eventNames.size() - 3),
        (QStringList {u"content_block_stop"_s, u"message_delta"_s, u"message_stop"_s}));
    QCOMPARE(stream.text, u"Hello from the fake provider."_s);
    QCOMPARE(stream.finishReason, u"stop"_s);
    QVERIFY(stream.finished);
    QVERIFY(stream.usage.has_value());
    QCOMPARE(stream.usage->completionTokens, 8);

    // The ledger needs the provider's usage chunk: the gateway asked for it.
    const QJsonObject upstream = QJsonDocument::fromJson(provider().requests().first().body).object();
    QCOMPARE(upstream.value(u"stream_options"_s)[u"include_usage"_s].toBool(), true);
    QTRY_COMPARE(m_fixture->ledgerRecords().size(), 1);
    QCOMPARE(m_fixture->ledgerRecords().first().usage.promptTokens, 12);
}

void TestDialects::messagesErrorsInAnthropicFormat_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("upstreamStatus");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");

    QTest::newRow("wrong key") << messagesBody(u"smart"_s, false) << "sk-wrong"_ba << 0 << 401
                               << u"authentication_error"_s;
    QTest::newRow("unknown model") << messagesBody(u"nowhere"_s, false) << QByteArray() << 0 << 404
                                   << u"not_found_error"_s;
    QTest::newRow("max_tokens missing") << QByteArray(
        R"({"model":"smart","messages":[{"role":"user","content":"Hi"}]})")
                                        << QByteArray() << 0 << 400 << u"invalid_request_error"_s;
    QTest::newRow("not JSON") << "{oops"_ba << QByteArray() << 0 << 400 << u"invalid_request_error"_s;
    QTest::newRow("provider overloaded") << messagesBody(u"smart"_s, false) << QByteArray() << 503 << 529
                                         << u"overloaded_error"_s;
    QTest::newRow("provider rate limit") << messagesBody(u"smart"_s, false) << QByteArray() << 429 << 429
                                         << u"rate_limit_error"_s;
    QTest::newRow("provider rejects request")
        << messagesBody(u"smart"_s, false) << QByteArray() << 400 << 400 << u"invalid_request_error"_s;
}

void TestDialects::messagesErrorsInAnthropicFormat()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, key);
    QFETCH(int, upstreamStatus);
    QFETCH(int, status);
    QFETCH(QString, type);

    if (upstreamStatus != 0) {
        FakeProvider::Script script;
        script.status = upstreamStatus;
        script.retryAfter = "7";
        provider().setScript(u"gpt-4o-mini"_s, script);
    }
    GatewayClient::Reply reply;
    if (key.isEmpty()) {
        reply = postMessages(body);
    } else {
        reply = m_anthropic->post(u"/v1/messages"_s, body, {{"x-api-key", key}});
    }
    QCOMPARE(reply.status, status);
    const QJsonObject error = reply.json();
    QCOMPARE(error.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(error.value(u"error"_s)[u"type"_s].toString(), type);
    QVERIFY(!error.value(u"error"_s)[u"message"_s].toString().isEmpty());
    if (upstreamStatus == 429) {
        QCOMPARE(reply.header("retry-after"), "7"_ba);
    }
}

void TestDialects::brokenStreamEndsWithAnthropicErrorEvent()
{
    FakeProvider::Script script;
    script.resetAfterChunks = 2;
    provider().setScript(u"gpt-4o-mini"_s, script);
    const auto reply = postMessages(messagesBody(u"smart"_s, true));
    QCOMPARE(reply.status, 200);
    const AnthropicStream stream = readAnthropicStream(reply.body);
    QCOMPARE(stream.eventNames.first(), u"message_start"_s);
    QCOMPARE(stream.eventNames.last(), u"error"_s);
    QVERIFY(!stream.text.isEmpty());
    QVERIFY2(stream.errorMessage.contains(u"mid-stream"_s), qPrintable(stream.errorMessage));
    QVERIFY(!stream.eventNames.contains(u"message_stop"_s));
}

void TestDialects::countTokensIsEstimatedForOtherProviders()
{
    const auto reply = m_anthropic->post(u"/v1/messages/count_tokens"_s,
        R"({"model":"smart","messages":[{"role":"user","content":"Count the tokens of this sentence, please."}]})");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json().value(u"input_tokens"_s).toInt() > 0);
    QCOMPARE(reply.json().value(u"estimated"_s).toBool(), true);
    QCOMPARE(reply.header("x-switchyard-token-count"), "estimated"_ba);
    QCOMPARE(provider().totalRequests(), 0);

    const auto bad = m_anthropic->post(u"/v1/messages/count_tokens"_s, R"({"model":"smart"})");
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.json().value(u"error"_s)[u"type"_s].toString(), u"invalid_request_error"_s);
}

void TestDialects::modelsListFollowsTheCallersDialect()
{
    const auto anthropic = m_anthropic->get(u"/v1/models"_s);
    QCOMPARE(anthropic.status, 200);
    const QJsonArray anthropicModels = anthropic.json().value(u"data"_s).toArray();
    QVERIFY(!anthropicModels.isEmpty());
    QCOMPARE(anthropicModels.first()[u"type"_s].toString(), u"model"_s);
    QCOMPARE(anthropicModels.first()[u"id"_s].toString(), u"smart"_s);
    QCOMPARE(anthropic.json().value(u"has_more"_s).toBool(true), false);

    const auto openAi = m_openAi->get(u"/v1/models"_s);
    QCOMPARE(openAi.status, 200);
    QCOMPARE(openAi.json().value(u"object"_s).toString(), u"list"_s);
    QCOMPARE(openAi.json().value(u"data"_s)[0][u"object"_s].toString(), u"model"_s);
}

void TestDialects::openAiClientReachesMistralWithItsQuirks()
{
    Providers::ProviderProfile mistral = m_fixture->workspace().providers.first();
    mistral.id = u"mistral"_s;
    mistral.preset = u"mistral"_s;
    m_fixture->workspace().providers.append(mistral);
    m_fixture->applyWorkspace();

    const QJsonObject tool {{u"type"_s, u"function"_s},
        {u"function"_s,
            QJsonObject {{u"name"_s, u"lookup"_s}, {u"parameters"_s, QJsonObject {{u"type"_s, u"object"_s}}}}}};
    const QJsonArray messages {QJsonObject {{u"role"_s, u"developer"_s}, {u"content"_s, u"Be brief."_s}},
        QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Look it up."_s}},
        QJsonObject {{u"role"_s, u"assistant"_s}, {u"content"_s, QJsonValue()},
            {u"tool_calls"_s,
                QJsonArray {QJsonObject {{u"id"_s, u"call_abc123def456"_s}, {u"type"_s, u"function"_s},
                    {u"function"_s, QJsonObject {{u"name"_s, u"lookup"_s}, {u"arguments"_s, u"{}"_s}}}}}}},
        QJsonObject {{u"role"_s, u"tool"_s}, {u"tool_call_id"_s, u"call_abc123def456"_s}, {u"content"_s, u"42"_s}}};
    const QJsonObject body {{u"model"_s, u"mistral/gpt-4o-mini"_s}, {u"messages"_s, messages},
        {u"tools"_s, QJsonArray {tool}}, {u"tool_choice"_s, u"required"_s}, {u"seed"_s, 7}, {u"user"_s, QJsonValue()}};
    const auto reply = m_openAi->post(u"/v1/chat/completions"_s, QJsonDocument(body).toJson());
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        reply.json().value(u"choices"_s)[0][u"message"_s][u"content"_s].toString(), u"Hello from the fake provider."_s);

    const QJsonObject upstream = QJsonDocument::fromJson(provider().requests().last().body).object();
    QCOMPARE(upstream.value(u"tool_choice"_s).toString(), u"any"_s);
    QCOMPARE(upstream.value(u"random_seed"_s).toInt(), 7);
    QVERIFY(!upstream.contains(u"seed"_s));
    QVERIFY(!upstream.contains(u"user"_s));
    const QJsonArray sent = upstream.value(u"messages"_s).toArray();
    QCOMPARE(sent[0][u"role"_s].toString(), u"system"_s);
    const QString callId = sent[2][u"tool_calls"_s][0][u"id"_s].toString();
    QCOMPARE(callId.size(), 9);
    QCOMPARE(sent[3][u"tool_call_id"_s].toString(), callId);
}

void TestDialects::embeddingsFromOpenAiAndGeminiProviders()
{
    const QByteArray body = R"({"input":["alpha","beta"],"dimensions":8})";
    QList<QJsonArray> vectors;
    for (const QString &model : {u"fake/text-embedding-3-small"_s, u"gem/gemini-embedding-001"_s}) {
        QJsonObject request = QJsonDocument::fromJson(body).object();
        request.insert(u"model"_s, model);
        const auto reply = m_openAi->post(u"/v1/embeddings"_s, QJsonDocument(request).toJson());
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("x-switchyard-target"), model.toUtf8());
        const QJsonArray data = reply.json().value(u"data"_s).toArray();
        QCOMPARE(data.size(), 2);
        QCOMPARE(data[1][u"index"_s].toInt(), 1);
        QCOMPARE(data[0][u"embedding"_s].toArray().size(), 8);
        vectors.append(QJsonArray {data[0][u"embedding"_s], data[1][u"embedding"_s]});
    }
    // The fake's vectors depend on the text only: both formats carried the same inputs, in order.
    QCOMPARE(vectors[0], vectors[1]);
    QCOMPARE(provider().requests().at(0).path, "/v1/embeddings"_ba);
    QCOMPARE(provider().requests().at(1).path, "/v1beta/models/gemini-embedding-001:batchEmbedContents"_ba);

    // base64, as the OpenAI SDKs ask by default, also from Gemini.
    const auto encoded = m_openAi->post(u"/v1/embeddings"_s,
        R"({"model":"gem/gemini-embedding-001","input":"alpha","dimensions":8,"encoding_format":"base64"})");
    QCOMPARE(encoded.status, 200);
    const QByteArray floats
        = QByteArray::fromBase64(encoded.json().value(u"data"_s)[0][u"embedding"_s].toString().toLatin1());
    QCOMPARE(floats.size(), 8 * 4);
    float first = 0;
    memcpy(&first, floats.constData(), sizeof first);
    QCOMPARE(double(first), vectors[0][0].toArray()[0].toDouble());

    QTRY_COMPARE(m_fixture->ledgerRecords().size(), 3);
    const auto records = m_fixture->ledgerRecords();
    QCOMPARE(records[0].usage.promptTokens, 12); // the OpenAI format reports usage
    QVERIFY(!records[1].usage.isReported); // Gemini's embeddings do not
    QVERIFY(records[1].errorClass.isEmpty());
}

void TestDialects::embeddingsPassOverProvidersWithoutThem()
{
    m_fixture->workspace().routes.append(
        Routing::Route {u"vectors"_s, {{u"claude"_s, u"claude-sonnet-4-5"_s}, {u"gem"_s, u"gemini-embedding-001"_s}}});
    m_fixture->workspace().routes.append(Routing::Route {u"claude-only"_s, {{u"claude"_s, u"claude-sonnet-4-5"_s}}});
    m_fixture->applyWorkspace();

    const auto served = m_openAi->post(u"/v1/embeddings"_s, R"({"model":"vectors","input":"alpha"})");
    QCOMPARE(served.status, 200);
    QCOMPARE(served.header("x-switchyard-target"), "gem/gemini-embedding-001"_ba);

    const auto refused = m_openAi->post(u"/v1/embeddings"_s, R"({"model":"claude-only","input":"alpha"})");
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.json().value(u"error"_s)[u"code"_s].toString(), u"unsupported_by_target"_s);
    QVERIFY2(refused.json().value(u"error"_s)[u"message"_s].toString().contains(u"no embeddings"_s),
        refused.body.constData());
    QCOMPARE(provider().totalRequests(), 1);
}

void TestDialects::embeddingsRejectBadInput()
{
    const auto reply = m_openAi->post(u"/v1/embeddings"_s, R"({"model":"fake/e","input":[1,"two"]})");
    QCOMPARE(reply.status, 400);
    QVERIFY(reply.json().value(u"error"_s)[u"message"_s].toString().startsWith(u"input:"_s));

    FakeProvider::Script down;
    down.status = 503;
    provider().setScript(u"e"_s, down);
    const auto failed = m_openAi->post(u"/v1/embeddings"_s, R"({"model":"fake/e","input":"x"})");
    QCOMPARE(failed.status, 503);
    QCOMPARE(failed.json().value(u"error"_s)[u"type"_s].toString(), u"server_error"_s);
}

QTEST_GUILESS_MAIN(TestDialects)
void TestDialects::recordsTheCostTheProviderReported_data()
{
    QTest::addColumn<bool>("anthropicClient");
    QTest::addColumn<bool>("stream");
    // OpenAI clients reach the OpenAI-format provider through the pass-through, Anthropic clients
    // through the translation: both must read the provider's bill.
    QTest::newRow("openai client") << false << false;
    QTest::newRow("openai client, stream") << false << true;
    QTest::newRow("anthropic client") << true << false;
    QTest::newRow("anthropic client, stream") << true << true;
}

void TestDialects::recordsTheCostTheProviderReported()
{
    QFETCH(bool, anthropicClient);
    QFETCH(bool, stream);
    FakeProvider::Script billing;
    billing.usage.reportedCost = Money::fromNanoUsd(42'000);
    provider().setScript(u"gpt-4o-mini"_s, billing);

    if (anthropicClient) {
        QCOMPARE(postMessages(messagesBody(u"smart"_s, stream)).status, 200);
    } else {
        QJsonObject body {{u"model"_s, u"smart"_s}, {u"stream"_s, stream},
            {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
        const auto reply = m_openAi->post(u"/v1/chat/completions"_s, QJsonDocument(body).toJson());
        QCOMPARE(reply.status, 200);
        if (!stream) {
            // Passed through untouched, so clients that read OpenRouter's figure still find it.
            QCOMPARE(reply.json().value(u"usage"_s)[u"cost"_s].toDouble(), 0.000042);
        }
    }

    QTRY_COMPARE(m_fixture->ledgerRecords().size(), 1);
    const Ledger::UsageRecord record = m_fixture->ledgerRecords().first();
    QCOMPARE(record.usage.reportedCost, Money::fromNanoUsd(42'000));
    // The computed cost stays beside it: gpt-4o-mini at the bundled catalog's prices.
    QCOMPARE(record.cost, Money::fromNanoUsd(6'300));
    QCOMPARE(record.effectiveCost(), Money::fromNanoUsd(42'000));
}

#include "tst_dialects.moc"
