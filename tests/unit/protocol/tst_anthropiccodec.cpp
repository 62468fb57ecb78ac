#include "core/protocol/anthropiccodec.h"
#include "core/protocol/openaicodec.h"
#include "tests/support/canonicalbuilders.h"
#include "tests/support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Switchyard::Protocol::AnthropicCodec;
using Switchyard::Protocol::OpenAiCodec;

using Switchyard::Testing::parse;
using Switchyard::Testing::usage;
using Switchyard::Testing::message;
using Switchyard::Testing::toolCall;

namespace {
QByteArray readFixture(const QString &name)
{
    return Switchyard::Testing::readFixture(u"anthropic"_s, name);
}

ChatRequest requestWith(const QList<ChatMessage> &messages)
{
    ChatRequest request;
    request.model = u"claude-haiku-4-5"_s;
    request.messages = messages;
    return request;
}

ChatMessage toolResult(const QString &id, const QString &text)
{
    ChatMessage result = message(u"tool"_s, text);
    result.toolCallId = id;
    return result;
}
} // namespace

class TestAnthropicCodec : public QObject
{
    Q_OBJECT

private slots:
    void encodesOpenAiRequest()
    {
        const Result<ChatRequest> openAi
            = OpenAiCodec::decodeRequest(Switchyard::Testing::readFixture(u"openai"_s, u"request-full.json"_s));
        QVERIFY2(openAi.isOk(), qPrintable(openAi.errorMessage()));
        const Result<QByteArray> encoded = AnthropicCodec::encodeRequest(openAi.value());
        QVERIFY2(encoded.isOk(), qPrintable(encoded.errorMessage()));
        QCOMPARE(parse(encoded.value()), parse(readFixture(u"request-from-openai.json"_s)));
    }

    void decodesClientRequest()
    {
        const Result<ChatRequest> decoded = AnthropicCodec::decodeRequest(readFixture(u"request-full.json"_s));
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        const ChatRequest &request = decoded.value();
        QCOMPARE(request.model, u"claude-sonnet-4-6"_s);
        QCOMPARE(request.maxTokens, std::optional<qint64>(2048));
        QCOMPARE(request.temperature, std::optional<double>(0.7));
        QCOMPARE(request.stop, (QJsonArray {u"END"_s, u"STOP"_s}));
        QVERIFY(request.stream);
        QVERIFY(request.includeUsage);
        QCOMPARE(request.messages.size(), 6);

        const ChatMessage &system = request.messages[0];
        QCOMPARE(system.role, u"system"_s);
        QCOMPARE(system.contentParts.size(), 2);
        QCOMPARE(
            system.contentParts[1].toObject().value("cache_control"_L1).toObject().value("type"_L1), u"ephemeral"_s);

        const ChatMessage &user = request.messages[1];
        QCOMPARE(user.role, u"user"_s);
        QCOMPARE(user.contentParts.size(), 3);
        QCOMPARE(user.contentParts[1].toObject().value("image_url"_L1).toObject().value("url"_L1),
            u"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"_s);
        QCOMPARE(user.contentParts[2].toObject().value("image_url"_L1).toObject().value("url"_L1),
            u"https://example.org/fjord.jpg"_s);

        const ChatMessage &assistant = request.messages[2];
        QCOMPARE(assistant.role, u"assistant"_s);
        QCOMPARE(assistant.text, u"Checking both."_s);
        QCOMPARE(assistant.reasoning, u"Two lookups: now and tomorrow."_s);
        QCOMPARE(assistant.thinkingBlocks.size(), 1);
        QCOMPARE(assistant.thinkingBlocks[0].toObject().value("signature"_L1), u"EqQBCkYIARgCKkC3"_s);
        QCOMPARE(assistant.toolCalls,
            (QJsonArray {toolCall(u"toolu_01A"_s, u"get_weather"_s, u"{\"city\":\"Oslo\"}"_s),
                toolCall(u"toolu_01B"_s, u"get_forecast"_s, u"{\"city\":\"Oslo\",\"days\":2}"_s)}));

        QCOMPARE(request.messages[3].role, u"tool"_s);
        QCOMPARE(request.messages[3].toolCallId, u"toolu_01A"_s);
        QCOMPARE(request.messages[3].text, u"{\"temp_c\":4,\"sky\":\"overcast\"}"_s);
        QVERIFY(!request.messages[3].isError);
        QCOMPARE(request.messages[4].toolCallId, u"toolu_01B"_s);
        QCOMPARE(request.messages[4].text, u"forecast service unavailable"_s);
        QVERIFY(request.messages[4].isError);
        QCOMPARE(request.messages[5].role, u"user"_s);
        QCOMPARE(request.messages[5].text, u"And in Tromsø?"_s);

        QCOMPARE(request.tools.size(), 3);
        QCOMPARE(request.tools[0].toObject(),
            parse("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                  "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                  "\"required\":[\"city\"]}}}"));
        QCOMPARE(request.tools[2].toObject().value("type"_L1), u"web_search_20250305"_s);
        QCOMPARE(request.toolChoice, QJsonValue(u"auto"_s));
        QCOMPARE(
            request.extra.keys(), (QStringList {u"metadata"_s, u"parallel_tool_calls"_s, u"thinking"_s, u"top_k"_s}));
        QCOMPARE(request.extra.value("parallel_tool_calls"_L1), QJsonValue(false));
    }

    void roundTripsClientRequest()
    {
        const QByteArray fixture = readFixture(u"request-full.json"_s);
        const Result<ChatRequest> decoded = AnthropicCodec::decodeRequest(fixture);
        QVERIFY(decoded.isOk());
        const Result<QByteArray> encoded = AnthropicCodec::encodeRequest(decoded.value());
        QVERIFY2(encoded.isOk(), qPrintable(encoded.errorMessage()));
        QCOMPARE(parse(encoded.value()), parse(fixture));
    }

    void encodesRequestEdgeCases_data()
    {
        QTest::addColumn<ChatRequest>("request");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("default max_tokens, temperature capped")
            <<
            [] {
                ChatRequest request = requestWith({message(u"user"_s, u"hi"_s)});
                request.temperature = 1.6;
                return request;
            }()
            << "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":4096,\"temperature\":1,"
               "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
        QTest::newRow("consecutive users merged, empty text dropped")
            << requestWith({message(u"user"_s, u"a"_s), message(u"user"_s, QString()), message(u"user"_s, u"b"_s)})
            << "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":"
               "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]}"_ba;
        QTest::newRow("assistant first gets a placeholder user turn")
            << requestWith(
                   {message(u"system"_s, u"s"_s), message(u"assistant"_s, u"Hello!"_s), message(u"user"_s, u"hi"_s)})
            << "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":4096,\"system\":\"s\",\"messages\":["
               "{\"role\":\"user\",\"content\":\"(continue)\"},{\"role\":\"assistant\",\"content\":\"Hello!\"},"
               "{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
        QTest::newRow("tool results reordered to call order, before user text")
            <<
            [] {
                ChatMessage assistant = message(u"assistant"_s, QString());
                assistant.toolCalls = {toolCall(u"c1"_s, u"f"_s, QString()), toolCall(u"c2"_s, u"g"_s, u"{}"_s)};
                ChatMessage failed = toolResult(u"c1"_s, u"boom"_s);
                failed.isError = true;
                return requestWith({message(u"user"_s, u"go"_s), assistant, message(u"user"_s, u"also"_s),
                    toolResult(u"c2"_s, u"ok"_s), failed});
            }()
            << "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":4096,\"messages\":["
               "{\"role\":\"user\",\"content\":\"go\"},"
               "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"f\",\"input\":{}},"
               "{\"type\":\"tool_use\",\"id\":\"c2\",\"name\":\"g\",\"input\":{}}]},"
               "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\",\"content\":\"boom\","
               "\"is_error\":true},{\"type\":\"tool_result\",\"tool_use_id\":\"c2\",\"content\":\"ok\"},"
               "{\"type\":\"text\",\"text\":\"also\"}]}]}"_ba;
        QTest::newRow("required tool choice, no parallel calls, user id")
            <<
            [] {
                ChatRequest request = requestWith({message(u"user"_s, u"hi"_s)});
                request.tools
                    = {QJsonObject {{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject {{u"name"_s, u"f"_s}}}}};
                request.toolChoice = u"required"_s;
                request.extra.insert("parallel_tool_calls"_L1, false);
                request.extra.insert("user"_L1, u"u-1"_s);
                request.extra.insert("seed"_L1, 7);
                request.extra.insert("service_tier"_L1, u"flex"_s);
                request.stop = {u"END"_s};
                return request;
            }()
            << "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\",\"content\":"
               "\"hi\"}],"
               "\"stop_sequences\":[\"END\"],\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\","
               "\"properties\":{}}}],\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true},"
               "\"metadata\":{\"user_id\":\"u-1\"}}"_ba;
        QTest::newRow("named tool choice downgraded with thinking; unsigned thinking dropped")
            <<
            [] {
                ChatMessage assistant = message(u"assistant"_s, u"ok"_s);
                assistant.thinkingBlocks
                    = {QJsonObject {{u"type"_s, u"thinking"_s}, {u"thinking"_s, u"t"_s}, {u"signature"_s, QString()}},
                        QJsonObject {{u"type"_s, u"redacted_thinking"_s}, {u"data"_s, u"xyz"_s}}};
                ChatRequest request = requestWith({message(u"user"_s, u"hi"_s), assistant});
                request.tools
                    = {QJsonObject {{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject {{u"name"_s, u"f"_s}}}}};
                request.toolChoice
                    = QJsonObject {{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject {{u"name"_s, u"f"_s}}}};
                request.extra.insert(
                    "thinking"_L1, QJsonObject {{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, 1024}});
                request.maxTokens = 2000;
                request.stream = true;
                return request;
            }()
            << "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":2000,\"messages\":[{\"role\":\"user\",\"content\":"
               "\"hi\"},"
               "{\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"xyz\"},"
               "{\"type\":\"text\",\"text\":\"ok\"}]}],\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":"
               "\"object\","
               "\"properties\":{}}}],\"tool_choice\":{\"type\":\"auto\"},"
               "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"stream\":true}"_ba;
    }

    void encodesRequestEdgeCases()
    {
        QFETCH(ChatRequest, request);
        QFETCH(QByteArray, expected);
        const Result<QByteArray> encoded = AnthropicCodec::encodeRequest(request);
        QVERIFY2(encoded.isOk(), qPrintable(encoded.errorMessage()));
        QCOMPARE(parse(encoded.value()), parse(expected));
    }

    void rejectsUntranslatableRequests_data()
    {
        QTest::addColumn<ChatRequest>("request");
        QTest::addColumn<QString>("message");

        ChatMessage badArguments = message(u"assistant"_s, QString());
        badArguments.toolCalls = {toolCall(u"c1"_s, u"f"_s, u"{\"city\":"_s)};
        QTest::newRow("invalid arguments") << requestWith({message(u"user"_s, u"x"_s), badArguments})
                                           << u"messages[1].tool_calls[0].function.arguments: is not a JSON object; "
                                              "Anthropic needs the tool input as an object"_s;
        ChatMessage arrayArguments = badArguments;
        arrayArguments.toolCalls = {toolCall(u"c1"_s, u"f"_s, u"[1]"_s)};
        QTest::newRow("array arguments") << requestWith({message(u"user"_s, u"x"_s), arrayArguments})
                                         << u"messages[1].tool_calls[0].function.arguments: is not a JSON object; "
                                            "Anthropic needs the tool input as an object"_s;
        ChatMessage tiff = message(u"user"_s, QString());
        tiff.contentParts = {QJsonObject {
            {u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject {{u"url"_s, u"data:image/tiff;base64,AAAA"_s}}}}};
        QTest::newRow("tiff image") << requestWith({tiff})
                                    << u"messages[0].content[0].image_url.url: is a image/tiff image; Anthropic "
                                       "accepts only image/jpeg, image/png, image/gif and image/webp"_s;
        ChatMessage audio = message(u"user"_s, QString());
        audio.contentParts = {QJsonObject {{u"type"_s, u"input_audio"_s}}};
        QTest::newRow("audio") << requestWith({audio})
                               << u"messages[0].content[0]: is audio, which Anthropic does not accept"_s;
        QTest::newRow("only system") << requestWith({message(u"system"_s, u"s"_s)})
                                     << u"messages: must hold at least one user or assistant message with content"_s;
        ChatRequest custom = requestWith({message(u"user"_s, u"x"_s)});
        custom.tools = {QJsonObject {{u"type"_s, u"custom"_s}, {u"custom"_s, QJsonObject {{u"name"_s, u"c"_s}}}}};
        QTest::newRow("custom tool") << custom
                                     << u"tools[0]: is an OpenAI custom tool, which Anthropic does not offer"_s;
    }

    void rejectsUntranslatableRequests()
    {
        QFETCH(ChatRequest, request);
        QFETCH(QString, message);
        const Result<QByteArray> encoded = AnthropicCodec::encodeRequest(request);
        QVERIFY(!encoded.isOk());
        QCOMPARE(encoded.errorMessage(), message);
    }

    void rejectsInvalidClientRequests_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const auto body = [](const QByteArray &fields) -> QByteArray {
            return "{\"model\":\"m\",\"max_tokens\":10," + fields + "}";
        };
        QTest::newRow("not JSON") << "{"_ba << u"The request body is not valid JSON: unterminated object at byte 1."_s;
        QTest::newRow("no max_tokens") << "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"_ba
                                       << u"max_tokens: is required and must be a whole number of 0 or more"_s;
        QTest::newRow("system role") << body("\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]")
                                     << u"messages[0].role: \"system\" is not one of user, assistant"_s;
        QTest::newRow("content number") << body("\"messages\":[{\"role\":\"user\",\"content\":1}]")
                                        << u"messages[0].content: must be a string or an array of content blocks"_s;
        QTest::newRow("tool_use without id") << body(
            "\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"name\":\"f\","
            "\"input\":{}}]}]") << u"messages[0].content[0].id: must be a non-empty string"_s;
        QTest::newRow("tool_result without id")
            << body("\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"x\"}]}]")
            << u"messages[0].content[0].tool_use_id: must be a non-empty string"_s;
        QTest::newRow("system number") << body("\"system\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]")
                                       << u"system: must be a string or an array of text blocks"_s;
        QTest::newRow("bad tool choice")
            << body("\"tool_choice\":{\"type\":\"tool\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]")
            << u"tool_choice: must be an object of type auto, any, none, or tool with a name"_s;
        QTest::newRow("stop_sequences string")
            << body("\"stop_sequences\":\"END\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]")
            << u"stop_sequences: must be an array of strings"_s;
    }

    void rejectsInvalidClientRequests()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const Result<ChatRequest> decoded = AnthropicCodec::decodeRequest(json);
        QVERIFY(!decoded.isOk());
        QCOMPARE(decoded.errorMessage(), message);
    }

    void decodesResponse()
    {
        const Result<ChatResponse> decoded = AnthropicCodec::decodeResponse(readFixture(u"response-tool-use.json"_s));
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        const ChatResponse &response = decoded.value();
        QCOMPARE(response.id, u"msg_01XFDUDYJgAACzvnptvVoYEL"_s);
        QCOMPARE(response.model, u"claude-haiku-4-5-20251001"_s);
        QCOMPARE(response.choices.size(), 1);
        const ChatChoice &choice = response.choices[0];
        QCOMPARE(choice.finishReason, u"tool_calls"_s);
        QCOMPARE(choice.message.role, u"assistant"_s);
        QCOMPARE(choice.message.text, u"Checking the forecast."_s);
        QVERIFY(!choice.message.hasParts());
        QCOMPARE(choice.message.reasoning, u"Need tomorrow's forecast."_s);
        QCOMPARE(choice.message.thinkingBlocks.size(), 1);
        QCOMPARE(choice.message.toolCalls,
            QJsonArray {toolCall(u"toolu_02"_s, u"get_weather"_s, u"{\"city\":\"Oslo\",\"day\":\"tomorrow\"}"_s)});
        // 37 uncached + 120 written + 612 read.
        QCOMPARE(response.usage, usage(769, 58, 612, 120, 21));

        const Result<ChatResponse> stop = AnthropicCodec::decodeResponse(readFixture(u"response-stop-sequence.json"_s));
        QVERIFY(stop.isOk());
        QCOMPARE(stop->choices[0].finishReason, u"stop"_s);
        QCOMPARE(stop->choices[0].stopSequence, u"END"_s);
        QCOMPARE(stop->usage, usage(12, 6, 0, 0, 0));

        QCOMPARE(AnthropicCodec::decodeResponse(readFixture(u"error-overloaded.json"_s)).errorMessage(),
            u"The provider answered with an error instead of a message: Overloaded"_s);
        QCOMPARE(AnthropicCodec::decodeResponse("{\"content\":{}}").errorMessage(),
            u"content: must be an array of content blocks"_s);
    }

    void encodesResponse()
    {
        ChatResponse response;
        response.id = u"chatcmpl-1"_s;
        response.model = u"gpt-5.4-mini"_s;
        ChatChoice choice;
        choice.message = message(u"assistant"_s, u"Checking."_s);
        choice.message.reasoning = u"hm"_s;
        choice.message.toolCalls
            = {toolCall(u"call_1"_s, u"f"_s, u"{\"a\":1}"_s), toolCall(u"call_2"_s, u"g"_s, u"oops"_s)};
        // Some providers finish tool calls with "stop".
        choice.finishReason = u"stop"_s;
        response.choices = {choice};
        response.usage = usage(812, 64, 768, 0, 32);
        QCOMPARE(AnthropicCodec::encodeResponse(response),
            "{\"content\":[{\"signature\":\"\",\"thinking\":\"hm\",\"type\":\"thinking\"},"
            "{\"text\":\"Checking.\",\"type\":\"text\"},"
            "{\"id\":\"call_1\",\"input\":{\"a\":1},\"name\":\"f\",\"type\":\"tool_use\"},"
            "{\"id\":\"call_2\",\"input\":{\"_raw\":\"oops\"},\"name\":\"g\",\"type\":\"tool_use\"}],"
            "\"id\":\"chatcmpl-1\",\"model\":\"gpt-5.4-mini\",\"role\":\"assistant\",\"stop_reason\":\"tool_use\","
            "\"stop_sequence\":null,\"type\":\"message\",\"usage\":{\"cache_creation_input_tokens\":0,"
            "\"cache_read_input_tokens\":768,\"input_tokens\":44,\"output_tokens\":64,"
            "\"output_tokens_details\":{\"thinking_tokens\":32}}}"_ba);
    }

    void roundTripsResponse()
    {
        const Result<ChatResponse> first = AnthropicCodec::decodeResponse(readFixture(u"response-tool-use.json"_s));
        QVERIFY(first.isOk());
        const QByteArray encoded = AnthropicCodec::encodeResponse(first.value());
        const Result<ChatResponse> second = AnthropicCodec::decodeResponse(encoded);
        QVERIFY(second.isOk());
        QVERIFY2(second.value() == first.value(), encoded.constData());
    }

    void mapsStopReasons_data()
    {
        QTest::addColumn<QString>("stopReason");
        QTest::addColumn<QString>("finishReason");
        QTest::addColumn<QString>("back");
        QTest::newRow("end_turn") << u"end_turn"_s << u"stop"_s << u"end_turn"_s;
        QTest::newRow("max_tokens") << u"max_tokens"_s << u"length"_s << u"max_tokens"_s;
        QTest::newRow("tool_use") << u"tool_use"_s << u"tool_calls"_s << u"tool_use"_s;
        QTest::newRow("refusal") << u"refusal"_s << u"content_filter"_s << u"refusal"_s;
        QTest::newRow("context window") << u"model_context_window_exceeded"_s << u"length"_s << u"max_tokens"_s;
        QTest::newRow("pause_turn") << u"pause_turn"_s << u"stop"_s << u"end_turn"_s;
        QTest::newRow("unknown") << u"brand_new"_s << u"stop"_s << u"end_turn"_s;
        QTest::newRow("none") << QString() << QString() << QString();
    }

    void mapsStopReasons()
    {
        QFETCH(QString, stopReason);
        QFETCH(QString, finishReason);
        QFETCH(QString, back);
        QCOMPARE(AnthropicCodec::finishReasonFor(stopReason), finishReason);
        QCOMPARE(AnthropicCodec::stopReasonFor(finishReason, QString(), false), back);
        if (!finishReason.isEmpty()) {
            QCOMPARE(AnthropicCodec::stopReasonFor(u"stop"_s, u"END"_s, false), u"stop_sequence"_s);
        }
    }

    void mapsUsage()
    {
        const Usage decoded = AnthropicCodec::decodeUsage(
            parse("{\"input_tokens\":37,\"output_tokens\":58,\"cache_creation_input_tokens\":120,"
                  "\"cache_read_input_tokens\":612}"));
        QCOMPARE(decoded, usage(769, 58, 612, 120, 0));
        QCOMPARE(QJsonDocument(AnthropicCodec::encodeUsage(decoded)).toJson(QJsonDocument::Compact),
            "{\"cache_creation_input_tokens\":120,\"cache_read_input_tokens\":612,\"input_tokens\":37,"
            "\"output_tokens\":58}"_ba);
        QCOMPARE(
            AnthropicCodec::decodeUsage(AnthropicCodec::encodeUsage(usage(90, 18, 64, 8, 5))), usage(90, 18, 64, 8, 5));
    }

    void decodesErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ProviderError>("expected");
        QTest::newRow("529 overloaded") << 529 << readFixture(u"error-overloaded.json"_s)
                                        << ProviderError {
                                               529, u"overloaded_error"_s, QString(), QString(), u"Overloaded"_s};
        QTest::newRow("spend limit") << 429 << readFixture(u"error-spend-limit.json"_s)
                                     << ProviderError {429, u"rate_limit_error"_s, u"enforced_spend_limit_reached"_s,
                                            QString(), u"Your organization has reached its spend limit."_s};
        QTest::newRow("prompt too long") << 400 << readFixture(u"error-prompt-too-long.json"_s)
                                         << ProviderError {400, u"invalid_request_error"_s,
                                                u"context_length_exceeded"_s, QString(),
                                                u"prompt is too long: 210034 tokens > 200000 maximum"_s};
        QTest::newRow("proxy text") << 502 << "Bad Gateway"_ba
                                    << ProviderError {502, u"api_error"_s, QString(), QString(), u"Bad Gateway"_s};
        QTest::newRow("OpenAI-shaped body from a compatible server")
            << 401
            << "{\"error\":{\"message\":\"bad key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"_ba
            << ProviderError {401, u"invalid_request_error"_s, u"invalid_api_key"_s, QString(), u"bad key"_s};
    }

    void decodesErrors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ProviderError, expected);
        QCOMPARE(AnthropicCodec::decodeError(status, body), expected);
    }

    void encodesErrorsForClients_data()
    {
        QTest::addColumn<ProviderError>("error");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        const auto row = [](const char *name, ProviderError error, int status, const char *type) {
            const QByteArray body = "{\"error\":{\"message\":\"" + error.message.toUtf8() + "\",\"type\":\""
                + QByteArray(type) + "\"},\"type\":\"error\"}";
            QTest::newRow(name) << error << status << body;
        };
        row("bad request", {400, u"invalid_request_error"_s, {}, {}, u"m"_s}, 400, "invalid_request_error");
        row("OpenAI invalid key", {401, u"invalid_request_error"_s, u"invalid_api_key"_s, {}, u"k"_s}, 401,
            "authentication_error");
        row("Gemini invalid key", {400, u"authentication_error"_s, u"API_KEY_INVALID"_s, {}, u"k"_s}, 401,
            "authentication_error");
        row("not found", {404, u"invalid_request_error"_s, u"model_not_found"_s, {}, u"n"_s}, 404, "not_found_error");
        row("too large", {413, {}, {}, {}, u"big"_s}, 413, "request_too_large");
        row("rate limit", {429, u"rate_limit_error"_s, u"rate_limit_exceeded"_s, {}, u"r"_s}, 429, "rate_limit_error");
        row("quota", {429, u"insufficient_quota"_s, u"insufficient_quota"_s, {}, u"q"_s}, 402, "billing_error");
        row("OpenAI 503", {503, u"server_error"_s, {}, {}, u"o"_s}, 529, "overloaded_error");
        row("502", {502, u"upstream_error"_s, {}, {}, u"u"_s}, 500, "api_error");
        row("504", {504, u"timeout_error"_s, {}, {}, u"t"_s}, 504, "timeout_error");
        row("in-stream, no status", {0, u"server_error"_s, {}, {}, u"s"_s}, 500, "api_error");
        row("Gemini billing", {400, u"billing_error"_s, u"FAILED_PRECONDITION"_s, {}, u"b"_s}, 402, "billing_error");
    }

    void encodesErrorsForClients()
    {
        QFETCH(ProviderError, error);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QCOMPARE(AnthropicCodec::clientStatus(error), status);
        QCOMPARE(AnthropicCodec::encodeError(error), body);
    }
};

QTEST_GUILESS_MAIN(TestAnthropicCodec)
#include "tst_anthropiccodec.moc"
