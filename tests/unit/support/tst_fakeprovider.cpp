// FakeProvider over real sockets, driven by QNetworkAccessManager in each of its dialects. Every
// answer is read back with the project's own codecs, so the fake and the codecs the gateway uses
// agree on the wire formats.
#include "core/protocol/anthropiccodec.h"
#include "core/protocol/anthropicstreamdecoder.h"
#include "core/protocol/embeddingscodec.h"
#include "core/protocol/geminicodec.h"
#include "core/protocol/geministreamdecoder.h"
#include "core/protocol/openaicodec.h"
#include "core/protocol/ssedecoder.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/nodesdkclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeProvider;

namespace {

enum class Dialect {
    OpenAi,
    Anthropic,
    Gemini,
};

const QByteArray Key = "sk-upstream-key"_ba;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

// One HTTP request as a client of a dialect sends it.
struct Call
{
    QUrl url;
    Headers headers;
    QByteArray body;
};

// The HTTP answer as the client saw it.
struct HttpAnswer
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray contentType;
    QByteArray retryAfter;
};

// An answer as a client of its dialect reads it: a response, or a stream folded into one.
struct Decoded
{
    bool parsed = false; // the codec read the body, or every stream event
    QString model;
    QString text;
    QString reasoning;
    QString signature;
    QJsonArray toolCalls; // OpenAI-shaped, argument fragments joined
    QString finishReason;
    std::optional<Usage> usage;
    std::optional<ProviderError> error; // delivered inside the stream
    int contentEvents = 0; // stream events carrying text or tool-call arguments
    bool done = false; // the stream reached its proper end
    bool namedEvents = true; // every `event:` name equals its data's type (Anthropic)
};

QByteArray anthropicVersion()
{
    return "2023-06-01"_ba;
}

ChatRequest chatRequest(const QString &model, bool stream)
{
    ChatMessage message;
    message.role = u"user"_s;
    message.text = u"Weather in Oslo?"_s;
    ChatRequest request;
    request.model = model;
    request.messages = {message};
    request.stream = stream;
    request.includeUsage = stream;
    return request;
}

QUrl geminiUrl(const FakeProvider &fake, const QString &model, const QString &method)
{
    return QUrl(fake.geminiBaseUrl().toString() + u"/models/"_s + model + u':' + method);
}

Headers keyHeaders(Dialect dialect)
{
    switch (dialect) {
    case Dialect::Anthropic:
        return {{"x-api-key"_ba, Key}, {"anthropic-version"_ba, anthropicVersion()}};
    case Dialect::Gemini:
        return {{"x-goog-api-key"_ba, Key}};
    case Dialect::OpenAi:
        break;
    }
    return {{"Authorization"_ba, "Bearer "_ba + Key}};
}

// A chat request encoded by the project's codec of the dialect, as the gateway sends it upstream.
Call chatCall(const FakeProvider &fake, Dialect dialect, const QString &model, bool stream)
{
    const ChatRequest request = chatRequest(model, stream);
    switch (dialect) {
    case Dialect::Anthropic:
        return {QUrl(fake.baseUrl().toString() + u"/messages"_s), keyHeaders(dialect),
            Protocol::AnthropicCodec::encodeRequest(request).value()};
    case Dialect::Gemini: {
        QUrl url = geminiUrl(fake, model, stream ? u"streamGenerateContent"_s : u"generateContent"_s);
        if (stream) {
            url.setQuery(u"alt=sse"_s);
        }
        return {url, keyHeaders(dialect), Protocol::GeminiCodec::encodeRequest(request).value()};
    }
    case Dialect::OpenAi:
        break;
    }
    return {QUrl(fake.baseUrl().toString() + u"/chat/completions"_s), keyHeaders(dialect),
        Protocol::OpenAiCodec::encodeRequest(request)};
}

Result<ChatResponse> decodeResponseBody(Dialect dialect, const QByteArray &body)
{
    switch (dialect) {
    case Dialect::Anthropic:
        return Protocol::AnthropicCodec::decodeResponse(body);
    case Dialect::Gemini:
        return Protocol::GeminiCodec::decodeResponse(body);
    case Dialect::OpenAi:
        break;
    }
    return Protocol::OpenAiCodec::decodeResponse(body);
}

ProviderError decodeErrorBody(Dialect dialect, int status, const QByteArray &body)
{
    switch (dialect) {
    case Dialect::Anthropic:
        return Protocol::AnthropicCodec::decodeError(status, body);
    case Dialect::Gemini:
        return Protocol::GeminiCodec::decodeError(status, body);
    case Dialect::OpenAi:
        break;
    }
    return Protocol::OpenAiCodec::decodeError(status, body);
}

Decoded decodeResponse(Dialect dialect, const QByteArray &body)
{
    Decoded decoded;
    const Result<ChatResponse> response = decodeResponseBody(dialect, body);
    if (!response || response->choices.isEmpty()) {
        return decoded;
    }
    const ChatChoice &choice = response->choices.first();
    decoded.parsed = true;
    decoded.model = response->model;
    decoded.text = choice.message.text;
    decoded.reasoning = choice.message.reasoning;
    decoded.signature = choice.message.thinkingBlocks.at(0).toObject().value(u"signature"_s).toString();
    decoded.toolCalls = choice.message.toolCalls;
    decoded.finishReason = choice.finishReason;
    decoded.usage = response->usage;
    decoded.done = true;
    return decoded;
}

void mergeToolCallDelta(QJsonArray &calls, const QJsonObject &delta)
{
    const int index = delta.value(u"index"_s).toInt();
    while (calls.size() <= index) {
        calls.append(QJsonObject {{u"function"_s, QJsonObject {{u"arguments"_s, u""_s}}}});
    }
    QJsonObject call = calls.at(index).toObject();
    QJsonObject function = call.value(u"function"_s).toObject();
    const QJsonObject fragment = delta.value(u"function"_s).toObject();
    if (delta.contains(u"id"_s)) {
        call.insert(u"id"_s, delta.value(u"id"_s));
    }
    if (fragment.contains(u"name"_s)) {
        function.insert(u"name"_s, fragment.value(u"name"_s));
    }
    const QString arguments = function.value(u"arguments"_s).toString() + fragment.value(u"arguments"_s).toString();
    function.insert(u"arguments"_s, arguments);
    call.insert(u"function"_s, function);
    calls.replace(index, call);
}

void fold(Decoded &decoded, const StreamEvent &event)
{
    switch (event.kind) {
    case StreamEvent::Kind::Delta: {
        decoded.model = event.model.isEmpty() ? decoded.model : event.model;
        decoded.text += event.contentDelta;
        decoded.reasoning += event.reasoningDelta;
        decoded.signature += event.reasoningSignature;
        bool carriedContent = !event.contentDelta.isEmpty();
        for (const QJsonValue &delta : event.toolCallDeltas) {
            mergeToolCallDelta(decoded.toolCalls, delta.toObject());
            carriedContent = carriedContent || !delta[u"function"_s][u"arguments"_s].toString().isEmpty();
        }
        decoded.contentEvents += carriedContent ? 1 : 0;
        decoded.finishReason = event.finishReason.isEmpty() ? decoded.finishReason : event.finishReason;
        decoded.usage = event.usage ? event.usage : decoded.usage;
        break;
    }
    case StreamEvent::Kind::Usage:
        decoded.usage = event.usage;
        break;
    case StreamEvent::Kind::Error:
        decoded.error = event.error;
        break;
    case StreamEvent::Kind::Done:
        decoded.done = true;
        break;
    }
}

Result<QList<StreamEvent>> decodeStreamEvent(Dialect dialect, const Protocol::SseEvent &event,
    Protocol::AnthropicStreamDecoder &anthropic, Protocol::GeminiStreamDecoder &gemini)
{
    switch (dialect) {
    case Dialect::Anthropic:
        return anthropic.decode(event.data);
    case Dialect::Gemini:
        return gemini.decode(event.data);
    case Dialect::OpenAi:
        break;
    }
    const Result<StreamEvent> decoded = Protocol::OpenAiCodec::decodeStreamData(event.data);
    if (!decoded) {
        return Result<QList<StreamEvent>>::failure(decoded.errorMessage());
    }
    return QList<StreamEvent> {decoded.value()};
}

Decoded decodeStream(Dialect dialect, const QByteArray &body)
{
    Decoded decoded;
    decoded.parsed = true;
    Protocol::SseDecoder sse;
    Protocol::AnthropicStreamDecoder anthropic;
    Protocol::GeminiStreamDecoder gemini;
    for (const Protocol::SseEvent &sseEvent : sse.feed(body)) {
        if (dialect == Dialect::Anthropic) {
            const QByteArray type
                = QJsonDocument::fromJson(sseEvent.data).object().value(u"type"_s).toString().toUtf8();
            decoded.namedEvents = decoded.namedEvents && sseEvent.event == type;
        }
        const Result<QList<StreamEvent>> events = decodeStreamEvent(dialect, sseEvent, anthropic, gemini);
        if (!events) {
            decoded.parsed = false;
            return decoded;
        }
        for (const StreamEvent &event : events.value()) {
            fold(decoded, event);
        }
    }
    // Gemini ends a stream by closing it; the decoder then says whether it finished properly.
    if (dialect == Dialect::Gemini) {
        for (const StreamEvent &event : gemini.finish()) {
            fold(decoded, event);
        }
    }
    decoded.parsed = decoded.parsed && !sse.hasPartialEvent();
    return decoded;
}

} // namespace

Q_DECLARE_METATYPE(Dialect)

class TestFakeProvider : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void answersText_data();
    void answersText();
    void answersToolCall_data();
    void answersToolCall();
    void answersReasoning_data();
    void answersReasoning();
    void failsWithScriptedStatus_data();
    void failsWithScriptedStatus();
    void cutsStreamShort_data();
    void cutsStreamShort();
    void failsInsideStream_data();
    void failsInsideStream();
    void resetsStream_data();
    void resetsStream();
    void sendsInvalidJson_data();
    void sendsInvalidJson();
    void refusesMissingOrWrongKey_data();
    void refusesMissingOrWrongKey();
    void acceptsEachKeyForm_data();
    void acceptsEachKeyForm();
    void refusesWhatTheRealApiRefuses_data();
    void refusesWhatTheRealApiRefuses();
    void countsAnthropicTokens();
    void embedsDeterministically();
    void routesByPathAndCountsEveryDialect();
    void anthropicSdkReadsEveryAnswer();

private:
    static void addDialectRows();
    static void addDialectAndStreamRows();
    HttpAnswer send(const Call &call);

    std::unique_ptr<FakeProvider> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestFakeProvider::init()
{
    m_fake = std::make_unique<FakeProvider>();
    QVERIFY(m_fake->start());
    m_fake->setRequiredKey(Key);
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestFakeProvider::cleanup()
{
    m_network.reset();
    m_fake.reset();
}

void TestFakeProvider::addDialectRows()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::newRow("openai") << Dialect::OpenAi;
    QTest::newRow("anthropic") << Dialect::Anthropic;
    QTest::newRow("gemini") << Dialect::Gemini;
}

void TestFakeProvider::addDialectAndStreamRows()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<bool>("stream");
    QTest::newRow("openai") << Dialect::OpenAi << false;
    QTest::newRow("openai stream") << Dialect::OpenAi << true;
    QTest::newRow("anthropic") << Dialect::Anthropic << false;
    QTest::newRow("anthropic stream") << Dialect::Anthropic << true;
    QTest::newRow("gemini") << Dialect::Gemini << false;
    QTest::newRow("gemini stream") << Dialect::Gemini << true;
}

HttpAnswer TestFakeProvider::send(const Call &call)
{
    QNetworkRequest request(call.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    for (const auto &[name, value] : call.headers) {
        request.setRawHeader(name, value);
    }
    std::unique_ptr<QNetworkReply> reply(m_network->post(request, call.body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    HttpAnswer answer;
    if (!finished.wait(10000)) {
        return answer; // status 0 fails every caller's comparison
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.error = reply->error();
    answer.body = reply->readAll();
    answer.contentType = reply->rawHeader("Content-Type"_ba);
    answer.retryAfter = reply->rawHeader("Retry-After"_ba);
    return answer;
}

void TestFakeProvider::answersText_data()
{
    addDialectAndStreamRows();
}

void TestFakeProvider::answersText()
{
    QFETCH(Dialect, dialect);
    QFETCH(bool, stream);
    FakeProvider::Script script;
    script.answer = u"Oslo: 4 °C and drizzle, as usual."_s;
    script.chunks = 5;
    script.usage = Usage {30, 9, 6, 4, 3, true, {}};
    m_fake->setScript(u"m"_s, script);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, stream));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.contentType, stream ? "text/event-stream"_ba : "application/json"_ba);
    const Decoded decoded = stream ? decodeStream(dialect, answer.body) : decodeResponse(dialect, answer.body);
    QVERIFY(decoded.parsed);
    QVERIFY(decoded.namedEvents);
    QVERIFY(decoded.done);
    QVERIFY(!decoded.error);
    QCOMPARE(decoded.model, u"m"_s);
    QCOMPARE(decoded.text, script.answer);
    QCOMPARE(decoded.finishReason, u"stop"_s);
    QCOMPARE(decoded.contentEvents, stream ? script.chunks : 0);
    QVERIFY(decoded.toolCalls.isEmpty());
    QVERIFY(decoded.reasoning.isEmpty());
    // Only Anthropic breaks out cache writes; the others count them inside the prompt.
    Usage expected = script.usage;
    expected.cacheWriteTokens = dialect == Dialect::Anthropic ? expected.cacheWriteTokens : 0;
    QCOMPARE(decoded.usage, std::optional<Usage>(expected));
}

void TestFakeProvider::answersToolCall_data()
{
    addDialectAndStreamRows();
}

void TestFakeProvider::answersToolCall()
{
    QFETCH(Dialect, dialect);
    QFETCH(bool, stream);
    FakeProvider::Script script;
    script.chunks = 3;
    script.toolCall = FakeProvider::ToolCall {u"get_weather"_s, {{u"city"_s, u"Oslo"_s}, {u"unit"_s, u"celsius"_s}}};
    m_fake->setScript(u"m"_s, script);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, stream));
    QCOMPARE(answer.status, 200);
    const Decoded decoded = stream ? decodeStream(dialect, answer.body) : decodeResponse(dialect, answer.body);
    QVERIFY(decoded.parsed);
    QVERIFY(decoded.done);
    QVERIFY(decoded.text.isEmpty());
    QCOMPARE(decoded.finishReason, u"tool_calls"_s);
    QCOMPARE(decoded.toolCalls.size(), 1);
    const QJsonObject function = decoded.toolCalls.first()[u"function"_s].toObject();
    QCOMPARE(function.value(u"name"_s).toString(), u"get_weather"_s);
    QCOMPARE(QJsonDocument::fromJson(function.value(u"arguments"_s).toString().toUtf8()).object(),
        script.toolCall->arguments);
    QVERIFY(!decoded.toolCalls.first()[u"id"_s].toString().isEmpty());
    // Gemini sends a function call whole; the others spread its arguments over the chunks.
    const int expectedEvents = dialect == Dialect::Gemini ? 1 : script.chunks;
    QCOMPARE(decoded.contentEvents, stream ? expectedEvents : 0);
}

void TestFakeProvider::answersReasoning_data()
{
    addDialectAndStreamRows();
}

void TestFakeProvider::answersReasoning()
{
    QFETCH(Dialect, dialect);
    QFETCH(bool, stream);
    FakeProvider::Script script;
    script.reasoning = u"The user wants the weather; answer from memory."_s;
    m_fake->setScript(u"m"_s, script);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, stream));
    QCOMPARE(answer.status, 200);
    const Decoded decoded = stream ? decodeStream(dialect, answer.body) : decodeResponse(dialect, answer.body);
    QVERIFY(decoded.parsed);
    QVERIFY(decoded.done);
    QCOMPARE(decoded.reasoning, script.reasoning);
    QCOMPARE(decoded.text, script.answer);
    QCOMPARE(decoded.contentEvents, stream ? script.chunks : 0);
    // Anthropic signs thinking blocks; clients must send them back unchanged.
    QCOMPARE(decoded.signature.isEmpty(), dialect != Dialect::Anthropic);
}

void TestFakeProvider::failsWithScriptedStatus_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::newRow("openai 429") << Dialect::OpenAi << 429 << u"rate_limit_error"_s;
    QTest::newRow("openai 503") << Dialect::OpenAi << 503 << u"server_error"_s;
    QTest::newRow("anthropic 429") << Dialect::Anthropic << 429 << u"rate_limit_error"_s;
    QTest::newRow("anthropic 529") << Dialect::Anthropic << 529 << u"overloaded_error"_s;
    QTest::newRow("anthropic 400") << Dialect::Anthropic << 400 << u"invalid_request_error"_s;
    QTest::newRow("gemini 429") << Dialect::Gemini << 429 << u"rate_limit_error"_s;
    QTest::newRow("gemini 503") << Dialect::Gemini << 503 << u"overloaded_error"_s;
    QTest::newRow("gemini 500") << Dialect::Gemini << 500 << u"api_error"_s;
}

void TestFakeProvider::failsWithScriptedStatus()
{
    QFETCH(Dialect, dialect);
    QFETCH(int, status);
    QFETCH(QString, type);
    FakeProvider::Script script;
    script.status = status;
    script.retryAfter = "7"_ba;
    m_fake->setScript(u"m"_s, script);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, true));
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, "application/json"_ba);
    QCOMPARE(answer.retryAfter, "7"_ba);
    const ProviderError error = decodeErrorBody(dialect, status, answer.body);
    QCOMPARE(error.type, type);
    QCOMPARE(error.httpStatus, status);
    QVERIFY(error.message.contains(QString::number(status)));
    QCOMPARE(m_fake->requestCount(u"m"_s), 1);
}

void TestFakeProvider::cutsStreamShort_data()
{
    addDialectRows();
}

void TestFakeProvider::cutsStreamShort()
{
    QFETCH(Dialect, dialect);
    FakeProvider::Script script;
    script.truncate = true;
    m_fake->setScript(u"m"_s, script);
    QSignalSpy finished(m_fake.get(), &FakeProvider::streamFinished);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, true));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.error, QNetworkReply::NoError);
    const Decoded decoded = decodeStream(dialect, answer.body);
    QVERIFY(decoded.parsed);
    QCOMPARE(decoded.text, script.answer);
    QVERIFY(!decoded.done);
    QVERIFY(decoded.finishReason.isEmpty());
    QVERIFY(!decoded.usage);
    // Only Gemini, which has no end marker, calls a stream that closes early an error itself.
    QCOMPARE(decoded.error.has_value(), dialect == Dialect::Gemini);
    QCOMPARE(finished.count(), 1);
}

void TestFakeProvider::failsInsideStream_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QString>("type");
    QTest::newRow("openai") << Dialect::OpenAi << u"server_error"_s;
    QTest::newRow("anthropic") << Dialect::Anthropic << u"overloaded_error"_s;
    QTest::newRow("gemini") << Dialect::Gemini << u"overloaded_error"_s;
}

void TestFakeProvider::failsInsideStream()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, type);
    FakeProvider::Script script;
    script.answer = u"one two three four"_s;
    script.chunks = 4;
    script.streamErrorAfterChunks = 2;
    m_fake->setScript(u"m"_s, script);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, true));
    QCOMPARE(answer.status, 200);
    const Decoded decoded = decodeStream(dialect, answer.body);
    QVERIFY(decoded.parsed);
    QVERIFY(decoded.namedEvents);
    QCOMPARE(decoded.contentEvents, 2);
    QCOMPARE(decoded.text, script.answer.left(10)); // pieces of five characters
    QVERIFY(decoded.error);
    QCOMPARE(decoded.error->type, type);
    QVERIFY(!decoded.error->message.isEmpty());
    QVERIFY(!decoded.done);
    QVERIFY(decoded.finishReason.isEmpty());
}

void TestFakeProvider::resetsStream_data()
{
    addDialectRows();
}

void TestFakeProvider::resetsStream()
{
    QFETCH(Dialect, dialect);
    FakeProvider::Script script;
    script.answer = u"abcdefgh"_s;
    script.chunks = 4;
    script.resetAfterChunks = 1;
    m_fake->setScript(u"m"_s, script);
    QSignalSpy finished(m_fake.get(), &FakeProvider::streamFinished);

    // Qt's client takes a chunked body cut by the closed connection as complete, so what counts is
    // what arrived before the cut.
    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, true));
    QCOMPARE(answer.status, 200);
    const Decoded decoded = decodeStream(dialect, answer.body);
    QVERIFY(decoded.parsed);
    QCOMPARE(decoded.contentEvents, 1);
    QCOMPARE(decoded.text, u"ab"_s);
    QVERIFY(!decoded.done);
    QVERIFY(decoded.finishReason.isEmpty());
    QTRY_COMPARE(m_fake->openStreams(), 0);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(m_fake->totalRequests(), 1);
}

void TestFakeProvider::sendsInvalidJson_data()
{
    addDialectAndStreamRows();
}

void TestFakeProvider::sendsInvalidJson()
{
    QFETCH(Dialect, dialect);
    QFETCH(bool, stream);
    FakeProvider::Script script;
    script.invalidJson = true;
    m_fake->setScript(u"m"_s, script);

    const HttpAnswer answer = send(chatCall(*m_fake, dialect, u"m"_s, stream));
    QCOMPARE(answer.status, 200);
    QVERIFY(!answer.body.isEmpty());
    QVERIFY(!decodeResponseBody(dialect, answer.body));
}

void TestFakeProvider::refusesMissingOrWrongKey_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    const Headers version {{"anthropic-version"_ba, anthropicVersion()}};
    QTest::newRow("openai missing") << Dialect::OpenAi << Headers() << 401 << u"invalid_request_error"_s;
    QTest::newRow("openai wrong") << Dialect::OpenAi << Headers {{"Authorization"_ba, "Bearer sk-other"_ba}} << 401
                                  << u"invalid_request_error"_s;
    QTest::newRow("anthropic missing") << Dialect::Anthropic << version << 401 << u"authentication_error"_s;
    QTest::newRow("anthropic wrong") << Dialect::Anthropic << (version + Headers {{"x-api-key"_ba, "sk-other"_ba}})
                                     << 401 << u"authentication_error"_s;
    QTest::newRow("gemini missing") << Dialect::Gemini << Headers() << 400 << u"authentication_error"_s;
    QTest::newRow("gemini wrong") << Dialect::Gemini << Headers {{"x-goog-api-key"_ba, "sk-other"_ba}} << 400
                                  << u"authentication_error"_s;
}

void TestFakeProvider::refusesMissingOrWrongKey()
{
    QFETCH(Dialect, dialect);
    QFETCH(Headers, headers);
    QFETCH(int, status);
    QFETCH(QString, type);
    Call call = chatCall(*m_fake, dialect, u"m"_s, false);
    call.headers = headers;

    const HttpAnswer answer = send(call);
    QCOMPARE(answer.status, status);
    const ProviderError error = decodeErrorBody(dialect, answer.status, answer.body);
    QCOMPARE(error.type, type);
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(m_fake->totalRequests(), 0);
}

void TestFakeProvider::acceptsEachKeyForm_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("query");
    const QByteArray version = anthropicVersion();
    QTest::newRow("openai bearer") << Dialect::OpenAi << Headers {{"Authorization"_ba, "Bearer "_ba + Key}}
                                   << QString();
    QTest::newRow("anthropic x-api-key") << Dialect::Anthropic
                                         << Headers {{"x-api-key"_ba, Key}, {"anthropic-version"_ba, version}}
                                         << QString();
    QTest::newRow("anthropic bearer") << Dialect::Anthropic
                                      << Headers {{"Authorization"_ba, "Bearer "_ba + Key},
                                             {"anthropic-version"_ba, version}}
                                      << QString();
    QTest::newRow("gemini header") << Dialect::Gemini << Headers {{"x-goog-api-key"_ba, Key}} << QString();
    QTest::newRow("gemini query") << Dialect::Gemini << Headers() << QString(u"key="_s + QString::fromLatin1(Key));
}

void TestFakeProvider::acceptsEachKeyForm()
{
    QFETCH(Dialect, dialect);
    QFETCH(Headers, headers);
    QFETCH(QString, query);
    Call call = chatCall(*m_fake, dialect, u"m"_s, false);
    call.headers = headers;
    call.url.setQuery(query);

    const HttpAnswer answer = send(call);
    QCOMPARE(answer.status, 200);
    QVERIFY(decodeResponse(dialect, answer.body).parsed);
    QCOMPARE(m_fake->totalRequests(), 1);
}

void TestFakeProvider::refusesWhatTheRealApiRefuses_data()
{
    QTest::addColumn<Dialect>("dialect");
    QTest::addColumn<QString>("path");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    const Headers anthropicKey {{"x-api-key"_ba, Key}};
    const QByteArray message = R"({"model":"m","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]})"_ba;
    QTest::newRow("anthropic without version")
        << Dialect::Anthropic << u"/v1/messages"_s << anthropicKey << message << 400 << u"invalid_request_error"_s;
    QTest::newRow("anthropic without max_tokens")
        << Dialect::Anthropic << u"/v1/messages"_s << keyHeaders(Dialect::Anthropic)
        << R"({"model":"m","messages":[{"role":"user","content":"Hi"}]})"_ba << 400 << u"invalid_request_error"_s;
    QTest::newRow("openai without model") << Dialect::OpenAi << u"/v1/chat/completions"_s << keyHeaders(Dialect::OpenAi)
                                          << R"({"messages":[]})"_ba << 400 << u"invalid_request_error"_s;
    QTest::newRow("openai body not json") << Dialect::OpenAi << u"/v1/chat/completions"_s << keyHeaders(Dialect::OpenAi)
                                          << "model=m"_ba << 400 << u"invalid_request_error"_s;
    QTest::newRow("gemini stream without alt=sse")
        << Dialect::Gemini << u"/v1beta/models/m:streamGenerateContent"_s << keyHeaders(Dialect::Gemini)
        << R"({"contents":[]})"_ba << 400 << u"invalid_request_error"_s;
    QTest::newRow("openai unknown path") << Dialect::OpenAi << u"/v1/completions"_s << keyHeaders(Dialect::OpenAi)
                                         << message << 404 << u"invalid_request_error"_s;
    QTest::newRow("gemini unknown method") << Dialect::Gemini << u"/v1beta/models/m:predict"_s
                                           << keyHeaders(Dialect::Gemini) << message << 404 << u"not_found_error"_s;
}

void TestFakeProvider::refusesWhatTheRealApiRefuses()
{
    QFETCH(Dialect, dialect);
    QFETCH(QString, path);
    QFETCH(Headers, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, type);
    QUrl url(u"http://127.0.0.1:%1"_s.arg(m_fake->port()));
    url.setPath(path);

    const HttpAnswer answer = send({url, headers, body});
    QCOMPARE(answer.status, status);
    const ProviderError error = decodeErrorBody(dialect, answer.status, answer.body);
    QCOMPARE(error.type, type);
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(m_fake->totalRequests(), 0);
}

void TestFakeProvider::countsAnthropicTokens()
{
    FakeProvider::Script script;
    script.usage.promptTokens = 321;
    m_fake->setScript(u"m"_s, script);
    const QByteArray body = R"({"model":"m","messages":[{"role":"user","content":"Hi"}]})"_ba;

    const HttpAnswer answer = send(
        {QUrl(m_fake->baseUrl().toString() + u"/messages/count_tokens"_s), keyHeaders(Dialect::Anthropic), body});
    QCOMPARE(answer.status, 200);
    QCOMPARE(QJsonDocument::fromJson(answer.body).object(), QJsonObject({{u"input_tokens"_s, 321}}));
    QCOMPARE(m_fake->requestCount(u"m"_s), 1);
    QCOMPARE(m_fake->requests().last().path, "/v1/messages/count_tokens"_ba);
}

void TestFakeProvider::embedsDeterministically()
{
    FakeProvider::Script script;
    script.usage.promptTokens = 5;
    m_fake->setScript(u"e"_s, script);
    const Result<Protocol::EmbeddingsRequest> request
        = Protocol::EmbeddingsCodec::decodeRequest(R"({"model":"route","input":["fjord","fjell"]})"_ba);
    QVERIFY(request);
    const QUrl openAiUrl(m_fake->baseUrl().toString() + u"/embeddings"_s);
    const Headers openAiKey = keyHeaders(Dialect::OpenAi);

    const HttpAnswer floats
        = send({openAiUrl, openAiKey, Protocol::EmbeddingsCodec::encodeOpenAiRequest(request.value(), u"e"_s)});
    QCOMPARE(floats.status, 200);
    const QJsonObject list = QJsonDocument::fromJson(floats.body).object();
    QCOMPARE(list.value(u"object"_s).toString(), u"list"_s);
    QCOMPARE(list.value(u"model"_s).toString(), u"e"_s);
    const Usage usage = Protocol::EmbeddingsCodec::decodeOpenAiUsage(list);
    QCOMPARE(usage.promptTokens, 5);
    QCOMPARE(usage.completionTokens, 0);
    const QJsonArray data = list.value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.at(1)[u"index"_s].toInt(), 1);
    QList<float> fjord;
    for (const QJsonValue &value : data.at(0)[u"embedding"_s].toArray()) {
        fjord.append(float(value.toDouble()));
    }
    QCOMPARE(fjord.size(), 8);
    QVERIFY(data.at(0)[u"embedding"_s] != data.at(1)[u"embedding"_s]);

    const HttpAnswer packed
        = send({openAiUrl, openAiKey, R"({"model":"e","input":"fjord","encoding_format":"base64"})"_ba});
    QCOMPARE(packed.status, 200);
    const QByteArray bytes = QByteArray::fromBase64(
        QJsonDocument::fromJson(packed.body).object().value(u"data"_s)[0][u"embedding"_s].toString().toLatin1());
    QCOMPARE(bytes.size(), qsizetype(fjord.size() * sizeof(float)));
    for (qsizetype i = 0; i < fjord.size(); ++i) {
        QCOMPARE(qFromLittleEndian<float>(bytes.constData() + i * qsizetype(sizeof(float))), fjord.at(i));
    }

    // The same texts give the same vectors through Gemini, as the gateway asks for them.
    const Headers geminiKey = keyHeaders(Dialect::Gemini);
    const HttpAnswer batch
        = send({QUrl(m_fake->geminiBaseUrl().toString() + Protocol::EmbeddingsCodec::geminiPath(u"e"_s)), geminiKey,
            Protocol::EmbeddingsCodec::encodeGeminiRequest(request.value(), u"e"_s).value()});
    QCOMPARE(batch.status, 200);
    const Result<Protocol::EmbeddingsResponse> vectors
        = Protocol::EmbeddingsCodec::decodeGeminiResponse(batch.body, u"e"_s);
    QVERIFY2(vectors, qPrintable(vectors.errorMessage()));
    QCOMPARE(vectors->vectors.size(), 2);
    QCOMPARE(vectors->vectors.first(), fjord);
    const HttpAnswer single = send({geminiUrl(*m_fake, u"e"_s, u"embedContent"_s), geminiKey,
        R"({"content":{"parts":[{"text":"fjord"}]},"outputDimensionality":3})"_ba});
    QCOMPARE(single.status, 200);
    const QJsonArray values
        = QJsonDocument::fromJson(single.body).object().value(u"embedding"_s)[u"values"_s].toArray();
    QCOMPARE(values.size(), 3);
    QCOMPARE(float(values.at(0).toDouble()), fjord.first());
    QCOMPARE(m_fake->requestCount(u"e"_s), 4);
    QCOMPARE(m_fake->requests().at(2).path, "/v1beta/models/e:batchEmbedContents"_ba);
}

void TestFakeProvider::routesByPathAndCountsEveryDialect()
{
    QSignalSpy received(m_fake.get(), &FakeProvider::requestReceived);
    QCOMPARE(send(chatCall(*m_fake, Dialect::OpenAi, u"m"_s, false)).status, 200);
    QCOMPARE(send(chatCall(*m_fake, Dialect::Anthropic, u"m"_s, true)).status, 200);
    QCOMPARE(send(chatCall(*m_fake, Dialect::Gemini, u"m"_s, true)).status, 200);
    QCOMPARE(send(chatCall(*m_fake, Dialect::Gemini, u"other"_s, false)).status, 200);

    QCOMPARE(m_fake->requestCount(u"m"_s), 3);
    QCOMPARE(m_fake->requestCount(u"other"_s), 1);
    QCOMPARE(m_fake->totalRequests(), 4);
    QCOMPARE(m_fake->maxConcurrentRequests(), 1);
    QCOMPARE(received.count(), 4);
    const QList<QByteArray> expectedPaths {"/v1/chat/completions"_ba, "/v1/messages"_ba,
        "/v1beta/models/m:streamGenerateContent"_ba, "/v1beta/models/other:generateContent"_ba};
    for (qsizetype i = 0; i < expectedPaths.size(); ++i) {
        QCOMPARE(m_fake->requests().at(i).path, expectedPaths.at(i));
        QCOMPARE(received.at(int(i)).at(1).toByteArray(), expectedPaths.at(i));
    }
    QCOMPARE(received.at(3).at(0).toString(), u"other"_s);
    QCOMPARE(m_fake->requests().at(2).query, "alt=sse"_ba);
}

// The official Anthropic Node SDK as the client (tests/integration/sdk/anthropic-sdk-client.cjs).
// Needs node and the SDK installed by .ci/install-sdks; skipped without them unless SDK_REQUIRED=1.
void TestFakeProvider::anthropicSdkReadsEveryAnswer()
{
    FakeProvider::Script tool;
    tool.toolCall = FakeProvider::ToolCall {u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}};
    m_fake->setScript(u"tool"_s, tool);

    // The SDK appends /v1/messages itself.
    const auto run = Testing::NodeSdkClient::run(QStringLiteral(SWITCHYARD_ANTHROPIC_SDK_SCRIPT),
        u"@anthropic-ai/sdk"_s,
        {u"http://127.0.0.1:%1"_s.arg(m_fake->port()), QString::fromLatin1(Key), u"m"_s, u"tool"_s});
    if (!run.missing.isEmpty()) {
        if (Testing::NodeSdkClient::isRequired()) {
            QFAIL(qPrintable(run.missing));
        }
        QSKIP(qPrintable(run.missing));
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));

    const QJsonObject &seen = run.output;
    const FakeProvider::Script script;
    QCOMPARE(seen.value(u"text"_s).toString(), script.answer);
    QCOMPARE(seen.value(u"stopReason"_s).toString(), u"end_turn"_s);
    QCOMPARE(seen.value(u"usage"_s)[u"input_tokens"_s].toInt(), 8); // 12 prompt tokens, 4 of them cached
    QCOMPARE(seen.value(u"usage"_s)[u"cache_read_input_tokens"_s].toInt(), 4);
    QCOMPARE(seen.value(u"streamed"_s).toString(), script.answer);
    QCOMPARE(seen.value(u"streamFinalText"_s).toString(), script.answer);
    QCOMPARE(seen.value(u"streamStopReason"_s).toString(), u"end_turn"_s);
    QVERIFY(seen.value(u"streamEvents"_s).toInt() >= 4 + script.chunks);
    QCOMPARE(seen.value(u"streamUsage"_s)[u"output_tokens"_s].toInt(), 8);
    QCOMPARE(seen.value(u"streamUsage"_s)[u"input_tokens"_s].toInt(), 8);
    QCOMPARE(seen.value(u"tool"_s)[u"stopReason"_s].toString(), u"tool_use"_s);
    QCOMPARE(seen.value(u"tool"_s)[u"name"_s].toString(), u"get_weather"_s);
    QCOMPARE(seen.value(u"tool"_s)[u"input"_s].toObject(), tool.toolCall->arguments);
    QCOMPARE(seen.value(u"inputTokens"_s).toInt(), 12);
    QCOMPARE(seen.value(u"badKey"_s)[u"status"_s].toInt(), 401);
    QCOMPARE(seen.value(u"badKey"_s)[u"name"_s].toString(), u"AuthenticationError"_s);
    QCOMPARE(m_fake->requestCount(u"m"_s), 3);
    QCOMPARE(m_fake->requests().last().path, "/v1/messages/count_tokens"_ba);
}

QTEST_GUILESS_MAIN(TestFakeProvider)
#include "tst_fakeprovider.moc"
