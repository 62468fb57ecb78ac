#include "core/protocol/geminicodec.h"
#include "core/protocol/geministreamdecoder.h"
#include "core/protocol/openaicodec.h"
#include "core/protocol/ssedecoder.h"
#include "tests/support/canonicalbuilders.h"
#include "tests/support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Switchyard::Protocol::GeminiCodec;
using Switchyard::Protocol::GeminiStreamDecoder;
using Switchyard::Protocol::OpenAiCodec;
using Switchyard::Protocol::SseDecoder;

using Switchyard::Testing::parse;
using Switchyard::Testing::usage;
using Switchyard::Testing::message;
using Switchyard::Testing::toolCall;

namespace {
QByteArray readFixture(const QString &name)
{
    return Switchyard::Testing::readFixture(u"gemini"_s, name);
}

QJsonObject withSignature(QJsonObject call, const QString &signature)
{
    call.insert("extra_content"_L1, QJsonObject {{u"google"_s, QJsonObject {{u"thought_signature"_s, signature}}}});
    return call;
}

struct Accumulated
{
    QString role;
    QString content;
    QString reasoning;
    QList<QJsonObject> toolCalls;
    QString finishReason;
    Usage usage;
    int usageEvents = 0;
    bool sawDone = false;
    std::optional<ProviderError> error;
};

Accumulated decodeBytewise(const QByteArray &stream)
{
    SseDecoder sse;
    GeminiStreamDecoder decoder;
    QList<StreamEvent> events;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        for (const Protocol::SseEvent &frame : sse.feed(QByteArrayView(stream).sliced(i, 1))) {
            const Result<QList<StreamEvent>> decoded = decoder.decode(frame.data);
            if (decoded) {
                events += decoded.value();
            }
        }
    }
    events += decoder.finish();

    Accumulated result;
    for (const StreamEvent &event : std::as_const(events)) {
        switch (event.kind) {
        case StreamEvent::Kind::Done:
            result.sawDone = true;
            break;
        case StreamEvent::Kind::Error:
            result.error = event.error;
            break;
        case StreamEvent::Kind::Usage:
            ++result.usageEvents;
            result.usage = event.usage.value_or(Usage {});
            break;
        case StreamEvent::Kind::Delta:
            if (!event.role.isEmpty()) {
                result.role = event.role;
            }
            result.content += event.contentDelta;
            result.reasoning += event.reasoningDelta;
            for (const QJsonValue &call : event.toolCallDeltas) {
                result.toolCalls.append(call.toObject());
            }
            if (!event.finishReason.isEmpty()) {
                result.finishReason = event.finishReason;
            }
            break;
        }
    }
    return result;
}
} // namespace

class TestGeminiCodec : public QObject
{
    Q_OBJECT

private slots:
    void buildsRequestPath()
    {
        QCOMPARE(GeminiCodec::requestPath(u"gemini-2.5-flash"_s, false),
            u"/models/gemini-2.5-flash:generateContent"_s);
        QCOMPARE(GeminiCodec::requestPath(u"models/gemini-3-flash"_s, true),
            u"/models/gemini-3-flash:streamGenerateContent?alt=sse"_s);
    }

    void encodesOpenAiRequest()
    {
        const Result<ChatRequest> openAi
            = OpenAiCodec::decodeRequest(Switchyard::Testing::readFixture(u"openai"_s, u"request-full.json"_s));
        QVERIFY(openAi.isOk());
        const Result<QByteArray> encoded = GeminiCodec::encodeRequest(openAi.value());
        QVERIFY2(encoded.isOk(), qPrintable(encoded.errorMessage()));
        QCOMPARE(parse(encoded.value()), parse(readFixture(u"request-from-openai.json"_s)));
    }

    void encodesRequestEdgeCases_data()
    {
        QTest::addColumn<ChatRequest>("request");
        QTest::addColumn<QByteArray>("expected");

        ChatRequest signatures;
        ChatMessage assistant = message(u"assistant"_s, u"Checking."_s);
        assistant.reasoning = u"not sent back"_s;
        assistant.toolCalls
            = {withSignature(toolCall(u"call_r_0"_s, u"get_weather"_s, u"{\"city\":\"Oslo\"}"_s), u"CsYBsig"_s),
                toolCall(u"call_r_1"_s, u"get_time"_s, QString())};
        ChatMessage weather = message(u"tool"_s, u"sunny"_s);
        weather.toolCallId = u"call_r_0"_s;
        ChatMessage time = message(u"tool"_s, u"[1,2]"_s);
        time.toolCallId = u"call_r_1"_s;
        time.isError = true;
        signatures.model = u"gemini-3-flash"_s;
        signatures.messages = {message(u"user"_s, u"hi"_s), assistant, weather, time, message(u"user"_s, u"thanks"_s)};
        signatures.tools = {QJsonObject {{u"type"_s, u"function"_s},
            {u"function"_s,
                QJsonObject {{u"name"_s, u"get_weather"_s},
                    {u"parameters"_s,
                        parse("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                              "\"properties\":{\"city\":{\"type\":\"string\",\"$comment\":\"x\"}}}")}}}}};
        signatures.toolChoice
            = QJsonObject {{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject {{u"name"_s, u"get_weather"_s}}}};
        signatures.extra.insert("response_format"_L1,
            parse("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"schema\":{\"type\":\"object\"}}}"));
        QTest::newRow("thought signatures, function responses, schema cleaning")
            << signatures
            << "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},"
               "{\"role\":\"model\",\"parts\":[{\"text\":\"Checking.\"},"
               "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}},\"thoughtSignature\":"
               "\"CsYBsig\"},"
               "{\"functionCall\":{\"name\":\"get_time\",\"args\":{}}}]},"
               "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"output\":"
               "\"sunny\"}}},"
               "{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"error\":[1,2]}}},{\"text\":\"thanks\"}]}],"
               "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parametersJsonSchema\":"
               "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]}],"
               "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}"
               "},"
               "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"object\"}}}"_ba;

        ChatRequest media;
        media.model = u"gemini-2.5-flash"_s;
        ChatMessage user = message(u"user"_s, QString());
        user.contentParts = {QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u"Describe"_s}},
            QJsonObject {{u"type"_s, u"image_url"_s},
                {u"image_url"_s,
                    QJsonObject {{u"url"_s, u"https://generativelanguage.googleapis.com/v1beta/files/abc"_s}}}},
            QJsonObject {{u"type"_s, u"input_audio"_s},
                {u"input_audio"_s, QJsonObject {{u"data"_s, u"UklGR"_s}, {u"format"_s, u"wav"_s}}}}};
        media.messages = {message(u"developer"_s, u"Be brief."_s), user};
        media.toolChoice = u"none"_s;
        QTest::newRow("files, audio, developer message")
            << media
            << "{\"systemInstruction\":{\"parts\":[{\"text\":\"Be "
               "brief.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":["
               "{\"text\":\"Describe\"},{\"fileData\":{\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/"
               "files/abc\"}},"
               "{\"inlineData\":{\"mimeType\":\"audio/wav\",\"data\":\"UklGR\"}}]}]}"_ba;
    }

    void encodesRequestEdgeCases()
    {
        QFETCH(ChatRequest, request);
        QFETCH(QByteArray, expected);
        const Result<QByteArray> encoded = GeminiCodec::encodeRequest(request);
        QVERIFY2(encoded.isOk(), qPrintable(encoded.errorMessage()));
        QCOMPARE(parse(encoded.value()), parse(expected));
    }

    void rejectsUntranslatableRequests_data()
    {
        QTest::addColumn<ChatRequest>("request");
        QTest::addColumn<QString>("message");

        ChatRequest orphan;
        orphan.model = u"m"_s;
        ChatMessage result = message(u"tool"_s, u"x"_s);
        result.toolCallId = u"call_9"_s;
        orphan.messages = {message(u"user"_s, u"hi"_s), result};
        QTest::newRow("tool result without call")
            << orphan
            << u"messages[1].tool_call_id: \"call_9\" answers no earlier tool call; Gemini needs the "
               "function's name"_s;

        ChatRequest url;
        url.model = u"m"_s;
        ChatMessage image = message(u"user"_s, QString());
        image.contentParts = {QJsonObject {
            {u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject {{u"url"_s, u"https://example.org/a.png"_s}}}}};
        url.messages = {image};
        QTest::newRow("image URL") << url
                                   << u"messages[0].content[0].image_url.url: Gemini cannot fetch this URL; send the "
                                      "content as a data: URL with base64 data instead"_s;

        ChatRequest badArguments;
        badArguments.model = u"m"_s;
        ChatMessage assistant = message(u"assistant"_s, QString());
        assistant.toolCalls = {toolCall(u"c"_s, u"f"_s, u"{"_s)};
        badArguments.messages = {message(u"user"_s, u"hi"_s), assistant};
        QTest::newRow("invalid arguments")
            << badArguments
            << u"messages[1].tool_calls[0].function.arguments: is not a JSON object; Gemini needs the call arguments "
               "as an object"_s;

        ChatRequest custom;
        custom.model = u"m"_s;
        custom.messages = {message(u"user"_s, u"hi"_s)};
        custom.tools = {QJsonObject {{u"type"_s, u"custom"_s}}};
        QTest::newRow("custom tool") << custom
                                     << u"tools[0]: must be a function tool with a name; Gemini takes no other tools"_s;
    }

    void rejectsUntranslatableRequests()
    {
        QFETCH(ChatRequest, request);
        QFETCH(QString, message);
        const Result<QByteArray> encoded = GeminiCodec::encodeRequest(request);
        QVERIFY(!encoded.isOk());
        QCOMPARE(encoded.errorMessage(), message);
    }

    void decodesResponse()
    {
        const Result<ChatResponse> decoded
            = GeminiCodec::decodeResponse(readFixture(u"response-function-calls.json"_s));
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        const ChatResponse &response = decoded.value();
        QCOMPARE(response.id, u"abc123"_s);
        QCOMPARE(response.model, u"gemini-2.5-flash"_s);
        QCOMPARE(response.choices.size(), 1);
        const ChatChoice &choice = response.choices[0];
        QCOMPARE(choice.finishReason, u"tool_calls"_s);
        QCOMPARE(choice.message.role, u"assistant"_s);
        QCOMPARE(choice.message.text, u"Let me check both."_s);
        QCOMPARE(choice.message.reasoning, u"Comparing two cities."_s);
        QCOMPARE(choice.message.toolCalls,
            (QJsonArray {withSignature(toolCall(u"call_abc123_0"_s, u"get_weather"_s, u"{\"city\":\"Oslo\"}"_s),
                             u"CsYBAY89a1/sig1"_s),
                toolCall(u"call_abc123_1"_s, u"get_weather"_s, u"{\"city\":\"Bergen\"}"_s)}));
        // Visible 12 + thoughts 40; cache is part of the prompt.
        QCOMPARE(response.usage, usage(812, 52, 768, 0, 40));
    }

    void decodesBlockedPrompt()
    {
        const Result<ChatResponse> decoded = GeminiCodec::decodeResponse(readFixture(u"response-blocked.json"_s));
        QVERIFY(decoded.isOk());
        QCOMPARE(decoded->choices.size(), 1);
        QCOMPARE(decoded->choices[0].finishReason, u"content_filter"_s);
        QVERIFY(decoded->choices[0].message.text.isEmpty());
        QCOMPARE(decoded->usage, usage(9, 0, 0, 0, 0));

        QCOMPARE(GeminiCodec::decodeResponse(readFixture(u"error-rate-limit.json"_s)).errorMessage(),
            u"The provider answered with an error instead of content: You exceeded your current quota, please check "
            "your plan and billing details."_s);
        QCOMPARE(GeminiCodec::decodeResponse("[]").errorMessage(), u"The response body must be a JSON object."_s);
    }

    void roundTripsThoughtSignatures()
    {
        const Result<ChatResponse> decoded
            = GeminiCodec::decodeResponse(readFixture(u"response-function-calls.json"_s));
        QVERIFY(decoded.isOk());
        ChatRequest next;
        next.model = u"gemini-3-flash"_s;
        next.messages = {message(u"user"_s, u"Oslo and Bergen?"_s), decoded->choices[0].message};
        const Result<QByteArray> encoded = GeminiCodec::encodeRequest(next);
        QVERIFY(encoded.isOk());
        const QJsonArray parts
            = parse(encoded.value()).value("contents"_L1).toArray()[1].toObject().value("parts"_L1).toArray();
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts[1].toObject().value("thoughtSignature"_L1), u"CsYBAY89a1/sig1"_s);
        QVERIFY(!parts[2].toObject().contains("thoughtSignature"_L1));
    }

    void mapsUsage_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<Usage>("expected");
        QTest::newRow("thoughts added")
            << "{\"promptTokenCount\":10,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":7,"
               "\"totalTokenCount\":22}"_ba
            << usage(10, 12, 0, 0, 7);
        QTest::newRow("older: candidates include thoughts")
            << "{\"promptTokenCount\":10,\"candidatesTokenCount\":12,\"thoughtsTokenCount\":7,\"totalTokenCount\":22}"_ba
            << usage(10, 12, 0, 0, 7);
        QTest::newRow("tool use prompt, cache") << "{\"promptTokenCount\":100,\"toolUsePromptTokenCount\":20,"
                                                   "\"cachedContentTokenCount\":64,\"candidatesTokenCount\":3,"
                                                   "\"totalTokenCount\":123}"_ba
                                                << usage(120, 3, 64, 0, 0);
    }

    void mapsUsage()
    {
        QFETCH(QByteArray, json);
        QFETCH(Usage, expected);
        QCOMPARE(GeminiCodec::decodeUsage(parse(json)), expected);
    }

    void mapsFinishReasons_data()
    {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("calls");
        QTest::addColumn<QString>("expected");
        QTest::newRow("STOP") << u"STOP"_s << false << u"stop"_s;
        QTest::newRow("STOP with calls") << u"STOP"_s << true << u"tool_calls"_s;
        QTest::newRow("MAX_TOKENS") << u"MAX_TOKENS"_s << false << u"length"_s;
        QTest::newRow("MAX_TOKENS with calls") << u"MAX_TOKENS"_s << true << u"length"_s;
        QTest::newRow("SAFETY") << u"SAFETY"_s << false << u"content_filter"_s;
        QTest::newRow("RECITATION") << u"RECITATION"_s << false << u"content_filter"_s;
        QTest::newRow("IMAGE_SAFETY") << u"IMAGE_SAFETY"_s << false << u"content_filter"_s;
        QTest::newRow("MALFORMED_FUNCTION_CALL") << u"MALFORMED_FUNCTION_CALL"_s << false << u"stop"_s;
        QTest::newRow("OTHER") << u"OTHER"_s << false << u"stop"_s;
        QTest::newRow("none") << QString() << true << QString();
    }

    void mapsFinishReasons()
    {
        QFETCH(QString, reason);
        QFETCH(bool, calls);
        QFETCH(QString, expected);
        QCOMPARE(GeminiCodec::finishReasonFor(reason, calls), expected);
    }

    void decodesStreams()
    {
        const Accumulated calls = decodeBytewise(readFixture(u"stream-function-calls-crlf.sse"_s));
        QCOMPARE(calls.role, u"assistant"_s);
        QCOMPARE(calls.reasoning, u"Two cities, two calls."_s);
        QCOMPARE(calls.content, u"Checking Tromsø and Bergen."_s);
        QCOMPARE(calls.toolCalls.size(), 2);
        QCOMPARE(QJsonDocument(calls.toolCalls[0]).toJson(QJsonDocument::Compact),
            "{\"extra_content\":{\"google\":{\"thought_signature\":\"Ct0BAY89sig\"}},\"function\":{\"arguments\":"
            "\"{\\\"city\\\":\\\"Tromsø\\\"}\",\"name\":\"get_weather\"},\"id\":\"call_r9Xz_0\",\"index\":0,"
            "\"type\":\"function\"}"_ba);
        QCOMPARE(QJsonDocument(calls.toolCalls[1]).toJson(QJsonDocument::Compact),
            "{\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Bergen\\\",\\\"unit\\\":\\\"celsius\\\"}\","
            "\"name\":\"get_weather\"},\"id\":\"call_r9Xz_1\",\"index\":1,\"type\":\"function\"}"_ba);
        QCOMPARE(calls.finishReason, u"tool_calls"_s);
        QCOMPARE(calls.usage, usage(95, 88, 64, 0, 57));
        QCOMPARE(calls.usageEvents, 1);
        QVERIFY(calls.sawDone);
        QVERIFY(!calls.error);

        const Accumulated text = decodeBytewise(readFixture(u"stream-text.sse"_s));
        QCOMPARE(text.content, u"Blåbær season is July 🍓"_s);
        QCOMPARE(text.finishReason, u"length"_s);
        QCOMPARE(text.usage, usage(7, 8, 0, 0, 0));
        QVERIFY(text.sawDone);
        QVERIFY(text.toolCalls.isEmpty());
    }

    void reportsStreamFailures()
    {
        const Accumulated cut = decodeBytewise(readFixture(u"stream-cut.sse"_s));
        QCOMPARE(cut.content, u"Blåbær season is July"_s);
        QVERIFY(!cut.sawDone);
        QVERIFY(cut.error);
        QCOMPARE(cut.error->message, u"The provider closed the stream before the answer finished."_s);

        const Accumulated failed = decodeBytewise(readFixture(u"stream-error.sse"_s));
        QCOMPARE(failed.content, u"Blåbær "_s);
        QVERIFY(!failed.sawDone);
        QVERIFY(failed.error);
        QCOMPARE(failed.error->httpStatus, 503);
        QCOMPARE(failed.error->type, u"overloaded_error"_s);
        QCOMPARE(failed.error->code, u"UNAVAILABLE"_s);
    }

    void decodesErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ProviderError>("expected");
        QTest::newRow("rate limit") << 429 << readFixture(u"error-rate-limit.json"_s)
                                    << ProviderError {429, u"rate_limit_error"_s, u"RESOURCE_EXHAUSTED"_s, QString(),
                                           u"You exceeded your current quota, please check your plan and billing "
                                           "details."_s};
        QTest::newRow("invalid key") << 400 << readFixture(u"error-api-key.json"_s)
                                     << ProviderError {400, u"authentication_error"_s, u"API_KEY_INVALID"_s, QString(),
                                            u"API key not valid. Please pass a valid API key."_s};
        QTest::newRow("context overflow")
            << 400 << readFixture(u"error-context.json"_s)
            << ProviderError {400, u"invalid_request_error"_s, u"context_length_exceeded"_s, QString(),
                   u"The input token count (1250000) exceeds the maximum number of tokens allowed (1048576)."_s};
        QTest::newRow("array form") << 404
                                    << "[{\"error\":{\"code\":404,\"message\":\"models/x is not found\","
                                       "\"status\":\"NOT_FOUND\"}}]"_ba
                                    << ProviderError {404, u"not_found_error"_s, u"NOT_FOUND"_s, QString(),
                                           u"models/x is not found"_s};
        QTest::newRow("HTML") << 500 << "<html>Internal</html>"_ba
                              << ProviderError {500, u"api_error"_s, QString(), QString(), u"<html>Internal</html>"_s};
    }

    void decodesErrors()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(ProviderError, expected);
        QCOMPARE(GeminiCodec::decodeError(status, body), expected);
    }
};

QTEST_GUILESS_MAIN(TestGeminiCodec)
#include "tst_geminicodec.moc"
