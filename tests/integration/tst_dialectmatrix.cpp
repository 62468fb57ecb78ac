// Every pairing of client dialect and provider format through the real gateway: {OpenAI client,
// Anthropic client} x {OpenAI, Anthropic, Gemini provider} x {plain, stream, tool call, streamed
// tool call}. The answers are read back with the project's codecs into the canonical form, so
// each row checks what the client would understand, not the bytes.
#include "core/protocol/anthropiccodec.h"
#include "core/protocol/anthropicstreamdecoder.h"
#include "core/protocol/openaicodec.h"
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

enum class Client { OpenAi, Anthropic };

// What a client understood of an answer, in canonical terms.
struct Understood
{
    QString text;
    QString toolName;
    QString toolArguments; // concatenated fragments
    QString finishReason;
    bool complete = false; // [DONE] / message_stop seen, or a whole JSON answer
};

Understood readJson(Client client, const QByteArray &body)
{
    Understood understood;
    const auto response = client == Client::OpenAi ? Protocol::OpenAiCodec::decodeResponse(body)
                                                   : Protocol::AnthropicCodec::decodeResponse(body);
    if (!response || response->choices.isEmpty()) {
        return understood;
    }
    const ChatChoice &choice = response->choices.first();
    understood.text = choice.message.text;
    if (!choice.message.toolCalls.isEmpty()) {
        const QJsonObject function = choice.message.toolCalls.first().toObject().value(u"function"_s).toObject();
        understood.toolName = function.value(u"name"_s).toString();
        understood.toolArguments = function.value(u"arguments"_s).toString();
    }
    understood.finishReason = choice.finishReason;
    understood.complete = true;
    return understood;
}

Understood readStream(Client client, const QByteArray &body)
{
    Understood understood;
    Protocol::SseDecoder sse;
    Protocol::AnthropicStreamDecoder anthropic;
    for (const Protocol::SseEvent &event : sse.feed(body)) {
        QList<StreamEvent> events;
        if (client == Client::OpenAi) {
            if (auto decoded = Protocol::OpenAiCodec::decodeStreamData(event.data)) {
                events.append(decoded.value());
            }
        } else if (auto decoded = anthropic.decode(event.data)) {
            events = decoded.value();
        }
        for (const StreamEvent &canonical : std::as_const(events)) {
            understood.text += canonical.contentDelta;
            for (const QJsonValue &delta : canonical.toolCallDeltas) {
                const QJsonObject function = delta.toObject().value(u"function"_s).toObject();
                understood.toolName += function.value(u"name"_s).toString();
                understood.toolArguments += function.value(u"arguments"_s).toString();
            }
            if (!canonical.finishReason.isEmpty()) {
                understood.finishReason = canonical.finishReason;
            }
            understood.complete = understood.complete || canonical.kind == StreamEvent::Kind::Done;
        }
    }
    return understood;
}

QByteArray requestBody(Client client, const QString &model, bool stream, bool tool)
{
    QJsonObject body {{u"model"_s, model},
        {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
    const QJsonObject schema {
        {u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject {{u"city"_s, QJsonObject {{u"type"_s, u"string"_s}}}}}};
    if (client == Client::OpenAi) {
        if (tool) {
            body.insert(u"tools"_s,
                QJsonArray {QJsonObject {{u"type"_s, u"function"_s},
                    {u"function"_s, QJsonObject {{u"name"_s, u"get_weather"_s}, {u"parameters"_s, schema}}}}});
        }
    } else {
        body.insert(u"max_tokens"_s, 256);
        if (tool) {
            body.insert(
                u"tools"_s, QJsonArray {QJsonObject {{u"name"_s, u"get_weather"_s}, {u"input_schema"_s, schema}}});
        }
    }
    if (stream) {
        body.insert(u"stream"_s, true);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace

Q_DECLARE_METATYPE(Client)

class TestDialectMatrix : public QObject
{
    Q_OBJECT

private slots:
    void everyClientReachesEveryProvider_data();
    void everyClientReachesEveryProvider();
};

void TestDialectMatrix::everyClientReachesEveryProvider_data()
{
    QTest::addColumn<Client>("client");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QByteArray>("upstreamPath");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("tool");

    const QList<std::pair<Client, const char *>> clients {
        {Client::OpenAi, "OpenAI client"}, {Client::Anthropic, "Anthropic client"}};
    struct Provider
    {
        const char *name;
        QString target;
        QByteArray path;
        QByteArray streamPath;
    };
    const QList<Provider> providers {
        {"OpenAI provider", u"fake/model-x"_s, "/v1/chat/completions", "/v1/chat/completions"},
        {"Anthropic provider", u"claude/model-x"_s, "/v1/messages", "/v1/messages"},
        {"Gemini provider", u"gem/model-x"_s, "/v1beta/models/model-x:generateContent",
            "/v1beta/models/model-x:streamGenerateContent"}};
    for (const auto &[client, clientName] : clients) {
        for (const Provider &provider : providers) {
            for (const bool tool : {false, true}) {
                for (const bool stream : {false, true}) {
                    const QByteArray name = QByteArray(clientName) + " / " + provider.name + " / "
                        + (tool ? "tool call" : "text") + (stream ? " / stream" : " / plain");
                    QTest::newRow(name.constData()) << client << provider.target
                                                    << (stream ? provider.streamPath : provider.path) << stream << tool;
                }
            }
        }
    }
}

void TestDialectMatrix::everyClientReachesEveryProvider()
{
    QFETCH(Client, client);
    QFETCH(QString, target);
    QFETCH(QByteArray, upstreamPath);
    QFETCH(bool, stream);
    QFETCH(bool, tool);

    Testing::GatewayFixture fixture;
    const QString problem = fixture.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    FakeProvider::Script script;
    if (tool) {
        script.toolCall = FakeProvider::ToolCall {u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}};
    }
    fixture.provider().setScript(u"model-x"_s, script);

    const QByteArray key = fixture.clientKey().toUtf8();
    GatewayClient http(fixture.baseUrl(),
        client == Client::OpenAi ? GatewayClient::Headers {{"Authorization", "Bearer " + key}}
                                 : GatewayClient::Headers {{"x-api-key", key}, {"anthropic-version", "2023-06-01"}});
    const auto reply = http.post(client == Client::OpenAi ? u"/v1/chat/completions"_s : u"/v1/messages"_s,
        requestBody(client, target, stream, tool));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("x-switchyard-target"), target.toUtf8());

    const Understood understood = stream ? readStream(client, reply.body) : readJson(client, reply.body);
    QVERIFY2(understood.complete, reply.body.constData());
    if (tool) {
        QCOMPARE(understood.toolName, u"get_weather"_s);
        QCOMPARE(QJsonDocument::fromJson(understood.toolArguments.toUtf8()).object(), script.toolCall->arguments);
        QCOMPARE(understood.finishReason, u"tool_calls"_s);
    } else {
        QCOMPARE(understood.text, script.answer);
        QCOMPARE(understood.finishReason, u"stop"_s);
    }

    QCOMPARE(fixture.provider().requests().size(), 1);
    QCOMPARE(fixture.provider().requests().first().path, upstreamPath);
    QTRY_COMPARE(fixture.ledgerRecords().size(), 1);
    const Ledger::UsageRecord record = fixture.ledgerRecords().first();
    QVERIFY2(record.errorClass.isEmpty(), qPrintable(record.errorClass));
    QCOMPARE(record.usage.promptTokens, script.usage.promptTokens);
    QCOMPARE(record.usage.completionTokens, script.usage.completionTokens);
}

QTEST_GUILESS_MAIN(TestDialectMatrix)
#include "tst_dialectmatrix.moc"
