#include "core/protocol/openaicodec.h"
#include "core/protocol/ssedecoder.h"
#include "tests/support/canonicalbuilders.h"
#include "tests/support/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Switchyard::Protocol::OpenAiCodec;
using Switchyard::Protocol::SseDecoder;

using Switchyard::Testing::parse;
using Switchyard::Testing::usage;

namespace {
QByteArray readFixture(const QString &name)
{
    return Switchyard::Testing::readFixture(u"openai"_s, name);
}

// What a client would rebuild from a stream: concatenated text, tool calls keyed by index.
struct Accumulated
{
    QString role;
    QString content;
    QString reasoning;
    QMap<int, QStringList> toolCalls; // index -> {id, name, arguments}
    QString finishReason;
    Usage usage;
    bool sawDone = false;
    std::optional<ProviderError> error;
    int usageEvents = 0;
};

Accumulated accumulateBytewise(const QByteArray &stream)
{
    SseDecoder decoder;
    Accumulated result;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        for (const Protocol::SseEvent &sse : decoder.feed(QByteArrayView(stream).sliced(i, 1))) {
            const Result<StreamEvent> decoded = OpenAiCodec::decodeStreamData(sse.data);
            if (!decoded) {
                qWarning("%s", qPrintable(decoded.errorMessage()));
                continue;
            }
            const StreamEvent &event = decoded.value();
            switch (event.kind) {
            case StreamEvent::Kind::Done:
                result.sawDone = true;
                break;
            case StreamEvent::Kind::Error:
                result.error = event.error;
                break;
            case StreamEvent::Kind::Usage:
                ++result.usageEvents;
                break;
            case StreamEvent::Kind::Delta:
                if (!event.role.isEmpty()) {
                    result.role = event.role;
                }
                result.content += event.contentDelta;
                result.reasoning += event.reasoningDelta;
                for (const QJsonValue &value : event.toolCallDeltas) {
                    const QJsonObject delta = value.toObject();
                    QStringList &call = result.toolCalls[int(delta.value("index"_L1).toInteger())];
                    if (call.isEmpty()) {
                        call = QStringList {QString(), QString(), QString()};
                    }
                    const QJsonObject function = delta.value("function"_L1).toObject();
                    if (delta.contains("id"_L1)) {
                        call[0] = delta.value("id"_L1).toString();
                    }
                    if (function.contains("name"_L1)) {
                        call[1] = function.value("name"_L1).toString();
                    }
                    call[2] += function.value("arguments"_L1).toString();
                }
                if (!event.finishReason.isEmpty()) {
                    result.finishReason = event.finishReason;
                }
                break;
            }
            // Providers differ in which chunk carries usage; the last one reported wins.
            if (event.usage) {
                result.usage = *event.usage;
            }
        }
    }
    return result;
}

const QString roleList = u"system, developer, user, assistant, tool"_s;
} // namespace

class TestOpenAiCodec : public QObject
{
    Q_OBJECT

private slots:
    void decodesFullRequest()
    {
        const Result<ChatRequest> decoded = OpenAiCodec::decodeRequest(readFixture(u"request-full.json"_s));
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        const ChatRequest &request = decoded.value();
        QCOMPARE(request.model, u"gpt-5.4-mini"_s);
        QCOMPARE(request.messages.size(), 6);

        QCOMPARE(request.messages[0].role, u"system"_s);
        QCOMPARE(request.messages[0].text, u"You are a weather assistant for Nordic cities."_s);
        QCOMPARE(request.messages[1].role, u"developer"_s);
        QCOMPARE(request.messages[1].text, u"Answer tersely. Use metric units."_s);
        QVERIFY(!request.messages[1].hasParts());

        const ChatMessage &user = request.messages[2];
        QCOMPARE(user.name, u"kari"_s);
        QVERIFY(user.text.isEmpty());
        QCOMPARE(user.contentParts.size(), 2);
        QCOMPARE(user.contentParts[1].toObject().value("image_url"_L1).toObject().value("detail"_L1), u"low"_s);

        const ChatMessage &assistant = request.messages[3];
        QVERIFY(assistant.text.isEmpty());
        QCOMPARE(assistant.toolCalls.size(), 2);
        QCOMPARE(assistant.toolCalls[1].toObject().value("function"_L1).toObject().value("arguments"_L1),
            u"{\"city\":\"Oslo\",\"days\":2}"_s);

        QCOMPARE(request.messages[4].toolCallId, u"call_a1"_s);
        QCOMPARE(request.messages[4].text, u"{\"temp_c\":4,\"sky\":\"overcast\"}"_s);
        QCOMPARE(request.messages[5].toolCallId, u"call_a2"_s);
        QCOMPARE(request.messages[5].text, u"{\"tomorrow\":{\"temp_c\":6}}"_s);

        QCOMPARE(request.maxTokens, std::optional<qint64>(512));
        QCOMPARE(request.temperature, std::optional<double>(0.2));
        QCOMPARE(request.topP, std::optional<double>(0.9));
        QCOMPARE(request.stop, QJsonArray {u"END"_s});
        QCOMPARE(request.tools.size(), 2);
        QCOMPARE(request.toolChoice, QJsonValue(u"auto"_s));
        QVERIFY(request.stream);
        QVERIFY(request.includeUsage);

        QCOMPARE(request.extra.keys(),
            (QStringList {
                u"metadata"_s, u"parallel_tool_calls"_s, u"response_format"_s, u"seed"_s, u"stream_options"_s}));
        QCOMPARE(request.extra.value("metadata"_L1).toObject().value("session"_L1), u"blåbær-7"_s);
        QCOMPARE(request.extra.value("stream_options"_L1).toObject(), QJsonObject({{u"include_obfuscation"_s, false}}));
    }

    void encodesRequest()
    {
        const Result<ChatRequest> decoded = OpenAiCodec::decodeRequest(readFixture(u"request-full.json"_s));
        QVERIFY(decoded.isOk());
        const QJsonObject body = parse(OpenAiCodec::encodeRequest(decoded.value()));

        QCOMPARE(body.value("max_completion_tokens"_L1).toInteger(), 512);
        QVERIFY(!body.contains("max_tokens"_L1));
        QCOMPARE(body.value("stop"_L1).toArray(), QJsonArray {u"END"_s});
        QCOMPARE(body.value("seed"_L1).toInteger(), 42);
        QCOMPARE(body.value("stream_options"_L1).toObject(),
            QJsonObject({{u"include_obfuscation"_s, false}, {u"include_usage"_s, true}}));
        const QJsonArray messages = body.value("messages"_L1).toArray();
        QCOMPARE(messages.size(), 6);
        QVERIFY(messages[3].toObject().value("content"_L1).isNull());
        QCOMPARE(messages[1].toObject().value("content"_L1), u"Answer tersely. Use metric units."_s);
        QVERIFY(messages[2].toObject().value("content"_L1).isArray());
        QCOMPARE(messages[4].toObject().value("tool_call_id"_L1), u"call_a1"_s);
    }

    void omitsStreamOptionsWithoutStreaming()
    {
        ChatRequest request;
        request.model = u"m"_s;
        ChatMessage message;
        message.role = u"user"_s;
        message.text = u"hi"_s;
        request.messages = {message};
        request.includeUsage = true;
        QCOMPARE(OpenAiCodec::encodeRequest(request),
            "{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"model\":\"m\"}"_ba);

        request.stream = true;
        QCOMPARE(parse(OpenAiCodec::encodeRequest(request)).value("stream_options"_L1).toObject(),
            QJsonObject({{u"include_usage"_s, true}}));
    }

    void roundTripsRequests_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("fixture") << readFixture(u"request-full.json"_s);
        QTest::newRow("minimal") << "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
        QTest::newRow("legacy max_tokens, stop array")
            << "{\"model\":\"m\",\"max_tokens\":9,\"stop\":[\"a\",\"b\"],\"temperature\":0,"
               "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
        QTest::newRow("refusal and reasoning")
            << "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\","
               "\"content\":null,\"refusal\":\"No.\",\"reasoning_content\":\"think\"}]}"_ba;
        QTest::newRow("text part with cache_control stays a part")
            << "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"s\","
               "\"cache_control\":{\"type\":\"ephemeral\"}}]},{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
        QTest::newRow("named tool choice, stream without usage")
            << "{\"model\":\"m\",\"stream\":true,\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
               "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
               "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
    }

    void roundTripsRequests()
    {
        QFETCH(QByteArray, json);
        const Result<ChatRequest> first = OpenAiCodec::decodeRequest(json);
        QVERIFY2(first.isOk(), qPrintable(first.errorMessage()));
        const QByteArray encoded = OpenAiCodec::encodeRequest(first.value());
        const Result<ChatRequest> second = OpenAiCodec::decodeRequest(encoded);
        QVERIFY2(second.isOk(), qPrintable(second.errorMessage()));
        QVERIFY2(second.value() == first.value(), encoded.constData());
        QCOMPARE(OpenAiCodec::encodeRequest(second.value()), encoded);
    }

    void rejectsInvalidRequests_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");

        const QByteArray user = "{\"role\":\"user\",\"content\":\"hi\"}"_ba;
        const auto body = [](const QByteArray &fields) -> QByteArray { return "{\"model\":\"m\"," + fields + "}"; };
        const auto withMessages
            = [&body](const QByteArray &messages) -> QByteArray { return body("\"messages\":[" + messages + "]"); };
        const auto withField = [&body, &user](const QByteArray &field) -> QByteArray {
            return body(field + ",\"messages\":[" + user + "]");
        };

        QTest::newRow("not JSON") << "{\"model\":"_ba
                                  << u"The request body is not valid JSON: unterminated object at byte 9."_s;
        QTest::newRow("array body") << "[]"_ba << u"The request body must be a JSON object."_s;
        QTest::newRow("no model") << "{\"messages\":[]}"_ba << u"model: must be a non-empty string"_s;
        QTest::newRow("empty model") << "{\"model\":\"\"}"_ba << u"model: must be a non-empty string"_s;
        QTest::newRow("no messages") << "{\"model\":\"m\"}"_ba << u"messages: must be a non-empty array of messages"_s;
        QTest::newRow("empty messages") << withMessages({}) << u"messages: must be a non-empty array of messages"_s;
        QTest::newRow("message not object") << withMessages("\"hi\"") << u"messages[0]: must be an object"_s;
        QTest::newRow("unknown role") << withMessages(user + "," + user + ",{\"role\":\"robot\",\"content\":\"beep\"}")
                                      << u"messages[2].role: \"robot\" is not one of "_s + roleList;
        QTest::newRow("missing role") << withMessages("{\"content\":\"x\"}")
                                      << u"messages[0].role: must be one of "_s + roleList;
        QTest::newRow("user without content")
            << withMessages("{\"role\":\"user\"}") << u"messages[0].content: is required for user messages"_s;
        QTest::newRow("content number") << withMessages("{\"role\":\"user\",\"content\":5}")
                                        << u"messages[0].content: must be a string or an array of content parts"_s;
        QTest::newRow("part not object") << withMessages("{\"role\":\"user\",\"content\":[\"hi\"]}")
                                         << u"messages[0].content[0]: must be an object"_s;
        QTest::newRow("text part without text")
            << withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}")
            << u"messages[0].content[0].text: must be a string"_s;
        QTest::newRow("part without type") << withMessages("{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}")
                                           << u"messages[0].content[0].type: must be a non-empty string"_s;
        QTest::newRow("image without url")
            << withMessages("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                            "{\"type\":\"image_url\",\"image_url\":{}}]}")
            << u"messages[0].content[1].image_url.url: must be a non-empty string"_s;
        QTest::newRow("tool without call id") << withMessages(user + ",{\"role\":\"tool\",\"content\":\"r\"}")
                                              << u"messages[1].tool_call_id: must be a non-empty string"_s;
        QTest::newRow("name not string") << withMessages("{\"role\":\"user\",\"content\":\"a\",\"name\":3}")
                                         << u"messages[0].name: must be a string"_s;
        QTest::newRow("tool call without name")
            << withMessages(user
                   + ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                     "\"function\":{\"arguments\":\"{}\"}}]}")
            << u"messages[1].tool_calls[0].function.name: must be a non-empty string"_s;
        QTest::newRow("tool call arguments object")
            << withMessages(user
                   + ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                     "\"function\":{\"name\":\"f\",\"arguments\":{}}}]}")
            << u"messages[1].tool_calls[0].function.arguments: must be a string holding the JSON-encoded arguments"_s;
        QTest::newRow("negative max_completion_tokens")
            << withField("\"max_completion_tokens\":-5") << u"max_completion_tokens: must be a positive whole number"_s;
        QTest::newRow("fractional max_tokens")
            << withField("\"max_tokens\":1.5") << u"max_tokens: must be a positive whole number"_s;
        QTest::newRow("temperature string")
            << withField("\"temperature\":\"hot\"") << u"temperature: must be a number"_s;
        QTest::newRow("stop element number") << withField("\"stop\":[\"a\",1]") << u"stop[1]: must be a string"_s;
        QTest::newRow("stop object") << withField("\"stop\":{}") << u"stop: must be a string or an array of strings"_s;
        QTest::newRow("tools object") << withField("\"tools\":{}") << u"tools: must be an array"_s;
        QTest::newRow("tools element") << withField("\"tools\":[1]") << u"tools[0]: must be an object"_s;
        QTest::newRow("tool_choice number") << withField("\"tool_choice\":1")
                                            << u"tool_choice: must be \"none\", \"auto\", \"required\" or an object"_s;
        QTest::newRow("stream string") << withField("\"stream\":\"yes\"") << u"stream: must be true or false"_s;
        QTest::newRow("include_usage string") << withField("\"stream\":true,\"stream_options\":{\"include_usage\":1}")
                                              << u"stream_options.include_usage: must be true or false"_s;
    }

    void rejectsInvalidRequests()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const Result<ChatRequest> decoded = OpenAiCodec::decodeRequest(json);
        QVERIFY(!decoded.isOk());
        QCOMPARE(decoded.errorMessage(), message);
    }

    void decodesResponse()
    {
        const Result<ChatResponse> decoded
            = OpenAiCodec::decodeResponse(readFixture(u"response-cached-reasoning.json"_s));
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        const ChatResponse &response = decoded.value();
        QCOMPARE(response.id, u"chatcmpl-CkQ9b2x7Yd1"_s);
        QCOMPARE(response.model, u"gpt-5.4-mini-2026-03-17"_s);
        QCOMPARE(response.created, 1767000000);
        QCOMPARE(response.choices.size(), 1);
        QCOMPARE(response.choices[0].finishReason, u"stop"_s);
        QCOMPARE(response.choices[0].message.role, u"assistant"_s);
        QCOMPARE(response.choices[0].message.text, u"Oslo: 4 °C, overcast. Tomorrow 6 °C."_s);
        QVERIFY(response.choices[0].message.refusal.isEmpty());
        QCOMPARE(response.usage, usage(812, 64, 768, 32, 40));
        QCOMPARE(response.usage.totalTokens(), 876);
    }

    void roundTripsResponses_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("fixture") << readFixture(u"response-cached-reasoning.json"_s);
        QTest::newRow("tool calls")
            << "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion\",\"created\":1767000000,\"model\":\"m\","
               "\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":\"assistant\","
               "\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\"call_b2\",\"type\":\"function\","
               "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}}],"
               "\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":64,\"total_tokens\":876}}"_ba;
        QTest::newRow("no usage")
            << "{\"id\":\"x\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
               "\"finish_reason\":\"length\",\"message\":{\"role\":\"assistant\",\"content\":\"a\","
               "\"reasoning_content\":\"r\"}}]}"_ba;
    }

    void roundTripsResponses()
    {
        QFETCH(QByteArray, json);
        const Result<ChatResponse> first = OpenAiCodec::decodeResponse(json);
        QVERIFY2(first.isOk(), qPrintable(first.errorMessage()));
        const QByteArray encoded = OpenAiCodec::encodeResponse(first.value());
        const QJsonObject body = parse(encoded);
        QCOMPARE(body.value("object"_L1), u"chat.completion"_s);
        QCOMPARE(body.contains("usage"_L1), first.value().usage.isReported);
        const QJsonObject message = body.value("choices"_L1)[0].toObject().value("message"_L1).toObject();
        QCOMPARE(message.value("content"_L1).isNull(), !first.value().choices[0].message.toolCalls.isEmpty());
        const Result<ChatResponse> second = OpenAiCodec::decodeResponse(encoded);
        QVERIFY2(second.isOk(), qPrintable(second.errorMessage()));
        QVERIFY2(second.value() == first.value(), encoded.constData());
    }

    void rejectsInvalidResponses_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("no choices") << "{\"id\":\"x\"}"_ba << u"choices: must be an array"_s;
        QTest::newRow("bad role") << "{\"choices\":[{\"message\":{\"role\":\"bot\",\"content\":\"a\"}}]}"_ba
                                  << u"choices[0].message.role: \"bot\" is not one of "_s + roleList;
        QTest::newRow("error body") << readFixture(u"error-standard.json"_s)
                                    << u"The provider answered with an error instead of a completion: This model's "
                                       "maximum context length is 128000 tokens. However, your messages resulted in "
                                       "131072 tokens. Please reduce the length of the messages."_s;
    }

    void rejectsInvalidResponses()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QCOMPARE(OpenAiCodec::decodeResponse(json).errorMessage(), message);
    }

    void decodesUsage_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<Usage>("expected");
        QTest::newRow("minimal") << "{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}"_ba
                                 << usage(10, 5, 0, 0, 0);
        QTest::newRow("details") << "{\"prompt_tokens\":812,\"completion_tokens\":64,\"prompt_tokens_details\":"
                                    "{\"cached_tokens\":768,\"cache_write_tokens\":12},\"completion_tokens_details\":"
                                    "{\"reasoning_tokens\":32}}"_ba
                                 << usage(812, 64, 768, 12, 32);
        QTest::newRow("null details") << "{\"prompt_tokens\":3,\"completion_tokens\":4,\"prompt_tokens_details\":null,"
                                         "\"completion_tokens_details\":null}"_ba
                                      << usage(3, 4, 0, 0, 0);
        QTest::newRow("DeepSeek cache hit") << "{\"prompt_tokens\":100,\"completion_tokens\":20,"
                                               "\"prompt_cache_hit_tokens\":64,\"prompt_cache_miss_tokens\":36}"_ba
                                            << usage(100, 20, 64, 0, 0);
        QTest::newRow("cached_tokens wins over DeepSeek field")
            << "{\"prompt_tokens\":100,\"completion_tokens\":20,\"prompt_cache_hit_tokens\":64,"
               "\"prompt_tokens_details\":{\"cached_tokens\":60}}"_ba
            << usage(100, 20, 60, 0, 0);
        Usage billed = usage(100, 20, 0, 0, 0);
        billed.reportedCost = Money::fromNanoUsd(420'000);
        QTest::newRow("OpenRouter cost") << "{\"prompt_tokens\":100,\"completion_tokens\":20,\"cost\":0.00042,"
                                            "\"cost_details\":{\"upstream_inference_cost\":null}}"_ba
                                         << billed;
        QTest::newRow("cost null") << "{\"prompt_tokens\":100,\"completion_tokens\":20,\"cost\":null}"_ba
                                   << usage(100, 20, 0, 0, 0);
    }

    void decodesUsage()
    {
        QFETCH(QByteArray, json);
        QFETCH(Usage, expected);
        const Usage decoded = OpenAiCodec::decodeUsage(parse(json));
        QCOMPARE(decoded, expected);
        QCOMPARE(OpenAiCodec::decodeUsage(OpenAiCodec::encodeUsage(decoded)), expected);
    }

    void encodesUsage()
    {
        const QJsonObject encoded = OpenAiCodec::encodeUsage(usage(812, 64, 768, 0, 32));
        QCOMPARE(QJsonDocument(encoded).toJson(QJsonDocument::Compact),
            "{\"completion_tokens\":64,\"completion_tokens_details\":{\"reasoning_tokens\":32},"
            "\"prompt_tokens\":812,\"prompt_tokens_details\":{\"cached_tokens\":768},\"total_tokens\":876}"_ba);
    }

    void decodesStreamFixtures_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("reasoning");
        QTest::addColumn<QStringList>("toolCalls"); // "id|name|arguments" in index order
        QTest::addColumn<QString>("finishReason");
        QTest::addColumn<Usage>("usage");
        QTest::addColumn<int>("usageEvents");
        QTest::addColumn<bool>("done");
        QTest::addColumn<QString>("errorCode");

        const QString text = u"Blåbær season in Oslo: July 🍓–August."_s;
        QTest::newRow("text LF") << u"stream-text.sse"_s << u"assistant"_s << text << QString() << QStringList()
                                 << u"stop"_s << usage(23, 11, 0, 0, 0) << 1 << true << QString();
        QTest::newRow("text CRLF") << u"stream-text-crlf.sse"_s << u"assistant"_s << text << QString() << QStringList()
                                   << u"stop"_s << usage(23, 11, 0, 0, 0) << 1 << true << QString();
        QTest::newRow("parallel tool calls") << u"stream-tool-calls.sse"_s << u"assistant"_s << QString() << QString()
                                             << QStringList {u"call_Wx1|get_weather|{\"city\":\"Tromsø\"}"_s,
                                                    u"call_Fc2|get_forecast|{\"city\":\"Bergen\",\"days\":3}"_s}
                                             << u"tool_calls"_s << usage(140, 45, 128, 0, 16) << 1 << true << QString();
        QTest::newRow("in-stream error") << u"stream-error.sse"_s << u"assistant"_s << u"The answer is"_s << QString()
                                         << QStringList() << QString() << Usage {} << 0 << false << u"internal_error"_s;
        QTest::newRow("xAI usage before last chunk")
            << u"stream-xai-usage.sse"_s << u"assistant"_s << u"Hei på deg!"_s << u"User wants a short answer."_s
            << QStringList() << u"stop"_s << usage(31, 96, 6, 0, 88) << 0 << true << QString();
    }

    void decodesStreamFixtures()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, role);
        QFETCH(QString, content);
        QFETCH(QString, reasoning);
        QFETCH(QStringList, toolCalls);
        QFETCH(QString, finishReason);
        QFETCH(Usage, usage);
        QFETCH(int, usageEvents);
        QFETCH(bool, done);
        QFETCH(QString, errorCode);

        const Accumulated result = accumulateBytewise(readFixture(fixture));
        QCOMPARE(result.role, role);
        QCOMPARE(result.content, content);
        QCOMPARE(result.reasoning, reasoning);
        QStringList calls;
        for (const QStringList &call : result.toolCalls) {
            calls.append(call.join(u'|'));
        }
        QCOMPARE(calls, toolCalls);
        QCOMPARE(result.finishReason, finishReason);
        QCOMPARE(result.usage, usage);
        QCOMPARE(result.usageEvents, usageEvents);
        QCOMPARE(result.sawDone, done);
        QCOMPARE(result.error.has_value(), !errorCode.isEmpty());
        if (result.error) {
            QCOMPARE(result.error->code, errorCode);
            QCOMPARE(result.error->type, u"server_error"_s);
            QCOMPARE(
                result.error->message, u"The server had an error while processing your request. Sorry about that!"_s);
        }
    }

    void decodesStreamChunkFields()
    {
        const Result<StreamEvent> groq = OpenAiCodec::decodeStreamData(
            "{\"id\":\"g1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"llama\",\"choices\":[{"
            "\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_1\",\"usage\":{"
            "\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}}");
        QVERIFY(groq.isOk());
        QCOMPARE(groq->kind, StreamEvent::Kind::Delta);
        QCOMPARE(groq->id, u"g1"_s);
        QCOMPARE(groq->created, 7);
        QCOMPARE(groq->finishReason, u"stop"_s);
        QCOMPARE(groq->usage, std::optional<Usage>(usage(12, 3, 0, 0, 0)));

        const Result<StreamEvent> openRouterError = OpenAiCodec::decodeStreamData(
            "{\"id\":\"o1\",\"error\":{\"code\":502,\"message\":\"Provider returned error\"}}");
        QVERIFY(openRouterError.isOk());
        QCOMPARE(openRouterError->kind, StreamEvent::Kind::Error);
        QCOMPARE(openRouterError->error,
            std::optional<ProviderError>(
                ProviderError {502, u"upstream_error"_s, u"502"_s, QString(), u"Provider returned error"_s}));

        QCOMPARE(OpenAiCodec::decodeStreamData(" [DONE] ")->kind, StreamEvent::Kind::Done);
        QCOMPARE(OpenAiCodec::decodeStreamData("{\"choices\":[]}")->kind, StreamEvent::Kind::Delta);
        QVERIFY(!OpenAiCodec::decodeStreamData("{\"choices\":[").isOk());
        QCOMPARE(OpenAiCodec::decodeStreamData("[1]").errorMessage(), u"The stream event must be a JSON object."_s);
    }

    void roundTripsStreamEvents_data()
    {
        QTest::addColumn<StreamEvent>("event");
        StreamEvent base;
        base.id = u"chatcmpl-1"_s;
        base.model = u"m"_s;
        base.created = 1767000100;

        StreamEvent roleChunk = base;
        roleChunk.role = u"assistant"_s;
        QTest::newRow("role") << roleChunk;
        StreamEvent content = base;
        content.contentDelta = u"Blåbær 🍓"_s;
        content.reasoningDelta = u"hmm"_s;
        QTest::newRow("content") << content;
        StreamEvent tools = base;
        tools.choiceIndex = 1;
        tools.toolCallDeltas = QJsonDocument::fromJson(
            "[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
            "\"arguments\":\"\"}},{\"index\":1,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]")
                                   .array();
        QTest::newRow("tool calls") << tools;
        StreamEvent finish = base;
        finish.finishReason = u"length"_s;
        finish.usage = usage(5, 6, 1, 2, 3);
        QTest::newRow("finish with usage") << finish;
        StreamEvent usageOnly = base;
        usageOnly.kind = StreamEvent::Kind::Usage;
        usageOnly.usage = usage(90, 18, 64, 0, 0);
        QTest::newRow("usage") << usageOnly;
        StreamEvent error;
        error.kind = StreamEvent::Kind::Error;
        error.error = ProviderError {0, u"server_error"_s, u"timeout"_s, QString(), u"Upstream timed out."_s};
        QTest::newRow("error") << error;
        StreamEvent done;
        done.kind = StreamEvent::Kind::Done;
        QTest::newRow("done") << done;
    }

    void roundTripsStreamEvents()
    {
        QFETCH(StreamEvent, event);
        const QByteArray frame = OpenAiCodec::encodeStreamEvent(event);
        QVERIFY(frame.startsWith("data: "));
        QVERIFY(frame.endsWith("}\n\n") || frame == "data: [DONE]\n\n");
        SseDecoder decoder;
        const QList<Protocol::SseEvent> events = decoder.feed(frame);
        QCOMPARE(events.size(), 1);
        QVERIFY(!decoder.hasPartialEvent());
        if (event.kind == StreamEvent::Kind::Delta || event.kind == StreamEvent::Kind::Usage) {
            const QJsonObject chunk = parse(events[0].data);
            QCOMPARE(chunk.value("object"_L1), u"chat.completion.chunk"_s);
            QCOMPARE(chunk.value("choices"_L1).toArray().isEmpty(), event.kind == StreamEvent::Kind::Usage);
        }
        const Result<StreamEvent> decoded = OpenAiCodec::decodeStreamData(events[0].data);
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        QVERIFY2(decoded.value() == event, frame.constData());
    }

    void encodesStreamFramesExactly()
    {
        StreamEvent error;
        error.kind = StreamEvent::Kind::Error;
        error.error = ProviderError {502, u"server_error"_s, QString(), QString(), u"Upstream closed."_s};
        QCOMPARE(OpenAiCodec::encodeStreamEvent(error),
            "data: {\"error\":{\"code\":null,\"message\":\"Upstream closed.\",\"param\":null,"
            "\"type\":\"server_error\"}}\n\n"_ba);
        StreamEvent done;
        done.kind = StreamEvent::Kind::Done;
        QCOMPARE(OpenAiCodec::encodeStreamEvent(done), "data: [DONE]\n\n"_ba);
        StreamEvent first;
        first.id = u"c1"_s;
        first.model = u"m"_s;
        first.created = 1;
        first.role = u"assistant"_s;
        QCOMPARE(OpenAiCodec::encodeStreamEvent(first),
            "data: {\"choices\":[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\"finish_reason\":null,"
            "\"index\":0}],\"created\":1,\"id\":\"c1\",\"model\":\"m\",\"object\":\"chat.completion.chunk\","
            "\"usage\":null}\n\n"_ba);
    }

    void decodesErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ProviderError>("expected");

        QTest::newRow("standard")
            << 400 << readFixture(u"error-standard.json"_s)
            << ProviderError {400, u"invalid_request_error"_s, u"context_length_exceeded"_s, u"messages"_s,
                   u"This model's maximum context length is 128000 tokens. However, your messages "
                   "resulted in 131072 tokens. Please reduce the length of the messages."_s};
        QTest::newRow("Mistral flat") << 400 << readFixture(u"error-mistral-flat.json"_s)
                                      << ProviderError {400, u"invalid_request_error"_s, u"3280"_s, QString(),
                                             u"Tool call id was call_a1 but must be a-z, A-Z, 0-9, with a "
                                             "length of 9."_s};
        QTest::newRow("vLLM flat, numeric code")
            << 404
            << "{\"object\":\"error\",\"message\":\"The model `llama-9` does not exist.\",\"type\":\"NotFoundError\","
               "\"param\":null,\"code\":404}"_ba
            << ProviderError {404, u"NotFoundError"_s, u"404"_s, QString(), u"The model `llama-9` does not exist."_s};
        QTest::newRow("null type derives from status")
            << 429 << "{\"error\":{\"message\":\"Slow down.\",\"type\":null,\"param\":null,\"code\":null}}"_ba
            << ProviderError {429, u"rate_limit_error"_s, QString(), QString(), u"Slow down."_s};
        QTest::newRow("error as string") << 401 << "{\"error\":\"Invalid API key\"}"_ba
                                         << ProviderError {401, u"authentication_error"_s, QString(), QString(),
                                                u"Invalid API key"_s};
        QTest::newRow("HTML 502 page")
            << 502 << readFixture(u"error-502.html"_s)
            << ProviderError {502, u"upstream_error"_s, QString(), QString(),
                   u"<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad "
                   "Gateway</h1></center> <hr><center>nginx</center> </body> </html>"_s};
        QTest::newRow("empty body") << 503 << QByteArray()
                                    << ProviderError {503, u"overloaded_error"_s, QString(), QString(),
                                           u"The provider answered HTTP 503 with an empty body."_s};
        QTest::newRow("JSON without error shape")
            << 500 << "{\"detail\":\"boom\"}"_ba
            << ProviderError {500, u"api_error"_s, QString(), QString(), u"{\"detail\":\"boom\"}"_s};
        QTest::newRow("long text is cut")
            << 504 << QByteArray(600, 'x')
            << ProviderError {504, u"timeout_error"_s, QString(), QString(), QString(500, u'x')};
        QTest::newRow("cut never splits a surrogate pair")
            << 500 << QByteArray(499, 'y') + "🍓🍓"_ba
            << ProviderError {500, u"api_error"_s, QString(), QString(), QString(499, u'y')};
    }

    void decodesErrors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ProviderError, expected);
        const ProviderError decoded = OpenAiCodec::decodeError(status, body);
        QCOMPARE(decoded.httpStatus, expected.httpStatus);
        QCOMPARE(decoded.type, expected.type);
        QCOMPARE(decoded.code, expected.code);
        QCOMPARE(decoded.param, expected.param);
        QCOMPARE(decoded.message, expected.message);
    }

    void encodesErrors()
    {
        const ProviderError error {429, u"rate_limit_error"_s, u"rate_limit_exceeded"_s, QString(), u"Too fast."_s};
        const QByteArray body = OpenAiCodec::encodeError(error);
        QCOMPARE(body,
            "{\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Too fast.\",\"param\":null,"
            "\"type\":\"rate_limit_error\"}}"_ba);
        QCOMPARE(OpenAiCodec::decodeError(429, body), error);
    }

    void mapsStatusToErrorType_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        const QList<std::pair<int, QString>> table {{400, u"invalid_request_error"_s}, {401, u"authentication_error"_s},
            {402, u"billing_error"_s}, {403, u"permission_error"_s}, {404, u"not_found_error"_s},
            {408, u"timeout_error"_s}, {413, u"request_too_large"_s}, {422, u"invalid_request_error"_s},
            {429, u"rate_limit_error"_s}, {500, u"api_error"_s}, {502, u"upstream_error"_s},
            {503, u"overloaded_error"_s}, {504, u"timeout_error"_s}, {529, u"overloaded_error"_s}, {0, u"api_error"_s}};
        for (const auto &[status, type] : table) {
            QTest::addRow("%d", status) << status << type;
        }
    }

    void mapsStatusToErrorType()
    {
        QFETCH(int, status);
        QFETCH(QString, type);
        QCOMPARE(OpenAiCodec::errorTypeForStatus(status), type);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiCodec)
#include "tst_openaicodec.moc"
