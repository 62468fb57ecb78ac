#include "core/protocol/anthropicstreamdecoder.h"
#include "core/protocol/anthropicstreamencoder.h"
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
using Switchyard::Protocol::AnthropicStreamDecoder;
using Switchyard::Protocol::AnthropicStreamEncoder;
using Switchyard::Protocol::GeminiStreamDecoder;
using Switchyard::Protocol::OpenAiCodec;
using Switchyard::Protocol::SseDecoder;
using Switchyard::Protocol::SseEvent;

using Switchyard::Testing::usage;

namespace {
// Feeds `stream` one byte at a time, as a slow network would deliver it.
QList<SseEvent> framesBytewise(const QByteArray &stream)
{
    SseDecoder decoder;
    QList<SseEvent> frames;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        frames += decoder.feed(QByteArrayView(stream).sliced(i, 1));
    }
    return frames;
}

QList<StreamEvent> decodeAnthropic(const QByteArray &stream)
{
    AnthropicStreamDecoder decoder;
    QList<StreamEvent> events;
    for (const SseEvent &frame : framesBytewise(stream)) {
        const Result<QList<StreamEvent>> decoded = decoder.decode(frame.data);
        if (!decoded) {
            qWarning("%s", qPrintable(decoded.errorMessage()));
            continue;
        }
        events += decoded.value();
    }
    return events;
}

QList<StreamEvent> decodeOpenAi(const QByteArray &stream)
{
    QList<StreamEvent> events;
    for (const SseEvent &frame : framesBytewise(stream)) {
        const Result<StreamEvent> decoded = OpenAiCodec::decodeStreamData(frame.data);
        if (decoded) {
            events.append(decoded.value());
        }
    }
    return events;
}

QList<StreamEvent> decodeGemini(const QByteArray &stream)
{
    GeminiStreamDecoder decoder;
    QList<StreamEvent> events;
    for (const SseEvent &frame : framesBytewise(stream)) {
        const Result<QList<StreamEvent>> decoded = decoder.decode(frame.data);
        if (decoded) {
            events += decoded.value();
        }
    }
    return events + decoder.finish();
}

QList<StreamEvent> decodeUpstream(const QString &dialect, const QByteArray &stream)
{
    if (dialect == "openai"_L1) {
        return decodeOpenAi(stream);
    }
    return dialect == "gemini"_L1 ? decodeGemini(stream) : decodeAnthropic(stream);
}

QByteArray encodeAnthropic(const QList<StreamEvent> &events)
{
    AnthropicStreamEncoder encoder;
    QByteArray out;
    for (const StreamEvent &event : events) {
        out += encoder.encode(event);
    }
    return out;
}

// What a client rebuilds from a stream.
struct Accumulated
{
    QString role;
    QString content;
    QString reasoning;
    QString signature;
    QStringList toolCalls; // "id|name|arguments" in index order
    QString finishReason;
    QString stopSequence;
    Usage usage;
    int usageEvents = 0;
    bool sawDone = false;
    std::optional<ProviderError> error;
};

Accumulated accumulate(const QList<StreamEvent> &events)
{
    Accumulated result;
    QMap<int, QStringList> calls;
    for (const StreamEvent &event : events) {
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
            result.signature += event.reasoningSignature;
            for (const QJsonValue &value : event.toolCallDeltas) {
                const QJsonObject delta = value.toObject();
                QStringList &call = calls[int(delta.value("index"_L1).toInteger())];
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
                result.stopSequence = event.stopSequence;
            }
            break;
        }
        if (event.usage) {
            result.usage = *event.usage;
        }
    }
    for (const QStringList &call : std::as_const(calls)) {
        result.toolCalls.append(call.join(u'|'));
    }
    return result;
}

QList<QByteArray> eventNames(const QByteArray &stream)
{
    QList<QByteArray> names;
    for (const SseEvent &frame : framesBytewise(stream)) {
        names.append(frame.event);
        // The SDKs dispatch on `event:` and parse `type`; the two must agree.
        if (QJsonDocument::fromJson(frame.data).object().value("type"_L1).toString().toUtf8() != frame.event) {
            qWarning("event %s has a different data type", frame.event.constData());
            names.append("MISMATCH"_ba);
        }
    }
    return names;
}
} // namespace

class TestAnthropicStream : public QObject
{
    Q_OBJECT

private slots:
    void decodesStreamFixtures_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("reasoning");
        QTest::addColumn<QString>("signature");
        QTest::addColumn<QStringList>("toolCalls");
        QTest::addColumn<QString>("finishReason");
        QTest::addColumn<QString>("stopSequence");
        QTest::addColumn<Usage>("usage");
        QTest::addColumn<bool>("done");
        QTest::addColumn<QString>("errorType");

        QTest::newRow("thinking, text, tool calls, pings")
            << u"stream-thinking-tool.sse"_s << u"Looking up Tromsø 🌨"_s
            << u"The user wants Tromsø; call the tool."_s << u"EqQBCkYIARgCKkC3"_s
            << QStringList {u"toolu_01T1|get_weather|{\"city\": \"Tromsø\", \"unit\": \"celsius\"}"_s,
                   u"toolu_01T2|get_time|{}"_s}
            << u"tool_calls"_s << QString() << usage(2520, 89, 2048, 0, 0) << true << QString();
        QTest::newRow("CRLF, stop sequence, cache write, unknown event")
            << u"stream-text-crlf.sse"_s << u"Blåbær season is July."_s << QString() << QString() << QStringList()
            << u"stop"_s << u"END"_s << usage(1033, 7, 0, 1024, 0) << true << QString();
        QTest::newRow("error after HTTP 200")
            << u"stream-error.sse"_s << u"The answer is"_s << QString() << QString() << QStringList() << QString()
            << QString() << Usage {} << false << u"overloaded_error"_s;
    }

    void decodesStreamFixtures()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, content);
        QFETCH(QString, reasoning);
        QFETCH(QString, signature);
        QFETCH(QStringList, toolCalls);
        QFETCH(QString, finishReason);
        QFETCH(QString, stopSequence);
        QFETCH(Usage, usage);
        QFETCH(bool, done);
        QFETCH(QString, errorType);

        const Accumulated result
            = accumulate(decodeAnthropic(Switchyard::Testing::readFixture(u"anthropic"_s, fixture)));
        QCOMPARE(result.role, u"assistant"_s);
        QCOMPARE(result.content, content);
        QCOMPARE(result.reasoning, reasoning);
        QCOMPARE(result.signature, signature);
        QCOMPARE(result.toolCalls, toolCalls);
        QCOMPARE(result.finishReason, finishReason);
        QCOMPARE(result.stopSequence, stopSequence);
        QCOMPARE(result.usage, usage);
        QCOMPARE(result.usageEvents, done ? 1 : 0);
        QCOMPARE(result.sawDone, done);
        QCOMPARE(result.error.has_value(), !errorType.isEmpty());
        if (result.error) {
            QCOMPARE(result.error->type, errorType);
            QCOMPARE(result.error->httpStatus, 529);
            QCOMPARE(result.error->message, u"Overloaded"_s);
        }
    }

    void decodesToolBlocksInOpenAiShape()
    {
        const QList<StreamEvent> events
            = decodeAnthropic(Switchyard::Testing::readFixture(u"anthropic"_s, u"stream-thinking-tool.sse"_s));
        QList<QJsonArray> toolDeltas;
        for (const StreamEvent &event : events) {
            QCOMPARE(event.id, u"msg_01Stream"_s);
            QCOMPARE(event.model, u"claude-sonnet-4-6"_s);
            if (!event.toolCallDeltas.isEmpty()) {
                toolDeltas.append(event.toolCallDeltas);
            }
        }
        QCOMPARE(toolDeltas.size(), 8);
        QCOMPARE(QJsonDocument(toolDeltas[0]).toJson(QJsonDocument::Compact),
            "[{\"function\":{\"arguments\":\"\",\"name\":\"get_weather\"},\"id\":\"toolu_01T1\",\"index\":0,"
            "\"type\":\"function\"}]"_ba);
        QCOMPARE(QJsonDocument(toolDeltas[2]).toJson(QJsonDocument::Compact),
            "[{\"function\":{\"arguments\":\"{\\\"city\\\": \"},\"index\":0}]"_ba);
        // Block index 3 is the second tool block: tool-call index 1.
        QCOMPARE(toolDeltas[6][0].toObject().value("index"_L1).toInteger(), 1);
        QCOMPARE(events.last().kind, StreamEvent::Kind::Done);
    }

    void rejectsUndecodableData()
    {
        AnthropicStreamDecoder decoder;
        QCOMPARE(decoder.decode("{\"type\":").errorMessage(),
            u"The stream event is not valid JSON: unterminated object at byte 8."_s);
        QVERIFY(decoder.decode("{\"type\":\"ping\"}")->isEmpty());
        QVERIFY(!decoder.isFinished());
    }

    void encodesOpenAiStreamExactly_data()
    {
        QTest::addColumn<QString>("openAiFixture");
        QTest::addColumn<QString>("expectedFixture");
        QTest::newRow("text") << u"stream-text.sse"_s << u"stream-encoded-text.sse"_s;
        QTest::newRow("interleaved parallel tool calls")
            << u"stream-tool-calls.sse"_s << u"stream-encoded-tool-calls.sse"_s;
        QTest::newRow("error") << u"stream-error.sse"_s << u"stream-encoded-error.sse"_s;
    }

    void encodesOpenAiStreamExactly()
    {
        QFETCH(QString, openAiFixture);
        QFETCH(QString, expectedFixture);
        const QByteArray encoded
            = encodeAnthropic(decodeOpenAi(Switchyard::Testing::readFixture(u"openai"_s, openAiFixture)));
        QCOMPARE(encoded, Switchyard::Testing::readFixture(u"anthropic"_s, expectedFixture));
    }

    void encodesWellFormedSequence()
    {
        const QByteArray encoded
            = encodeAnthropic(decodeOpenAi(Switchyard::Testing::readFixture(u"openai"_s, u"stream-tool-calls.sse"_s)));
        QCOMPARE(eventNames(encoded),
            (QList<QByteArray> {"message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"}));
    }

    void roundTripsThroughAnthropic_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QString>("fixture");
        QTest::newRow("OpenAI text") << u"openai"_s << u"stream-text.sse"_s;
        QTest::newRow("OpenAI text CRLF") << u"openai"_s << u"stream-text-crlf.sse"_s;
        QTest::newRow("OpenAI parallel tool calls") << u"openai"_s << u"stream-tool-calls.sse"_s;
        QTest::newRow("OpenAI reasoning, xAI usage") << u"openai"_s << u"stream-xai-usage.sse"_s;
        QTest::newRow("Anthropic thinking and tools") << u"anthropic"_s << u"stream-thinking-tool.sse"_s;
        QTest::newRow("Anthropic stop sequence") << u"anthropic"_s << u"stream-text-crlf.sse"_s;
        QTest::newRow("Gemini thoughts and two calls in one chunk")
            << u"gemini"_s << u"stream-function-calls-crlf.sse"_s;
        QTest::newRow("Gemini token cap") << u"gemini"_s << u"stream-text.sse"_s;
    }

    // upstream stream -> canonical -> Anthropic encoder -> Anthropic decoder -> same canonical answer.
    void roundTripsThroughAnthropic()
    {
        QFETCH(QString, dialect);
        QFETCH(QString, fixture);
        const QByteArray upstream = Switchyard::Testing::readFixture(dialect, fixture);
        const QList<StreamEvent> canonical = decodeUpstream(dialect, upstream);
        const Accumulated expected = accumulate(canonical);
        const Accumulated actual = accumulate(decodeAnthropic(encodeAnthropic(canonical)));

        QVERIFY(!expected.content.isEmpty() || !expected.toolCalls.isEmpty());
        QCOMPARE(actual.role, u"assistant"_s);
        QCOMPARE(actual.content, expected.content);
        QCOMPARE(actual.reasoning, expected.reasoning);
        QCOMPARE(actual.signature, expected.signature);
        QCOMPARE(actual.toolCalls, expected.toolCalls);
        QCOMPARE(actual.finishReason, expected.finishReason);
        QCOMPARE(actual.stopSequence, expected.stopSequence);
        QCOMPARE(actual.usage, expected.usage);
        QVERIFY(actual.sawDone);
        QVERIFY(!actual.error);
    }

    void carriesErrorsAcross()
    {
        const QList<StreamEvent> canonical
            = decodeOpenAi(Switchyard::Testing::readFixture(u"openai"_s, u"stream-error.sse"_s));
        const Accumulated actual = accumulate(decodeAnthropic(encodeAnthropic(canonical)));
        QCOMPARE(actual.content, u"The answer is"_s);
        QVERIFY(!actual.sawDone);
        QVERIFY(actual.error);
        QCOMPARE(actual.error->type, u"api_error"_s);
        QCOMPARE(actual.error->message, u"The server had an error while processing your request. Sorry about that!"_s);
    }

    void encoderIgnoresEventsAfterTheEnd()
    {
        AnthropicStreamEncoder encoder;
        StreamEvent done;
        done.kind = StreamEvent::Kind::Done;
        const QByteArray empty = encoder.encode(done);
        QVERIFY(encoder.isFinished());
        QCOMPARE(eventNames(empty), (QList<QByteArray> {"message_start", "message_delta", "message_stop"}));
        StreamEvent late;
        late.contentDelta = u"late"_s;
        QVERIFY(encoder.encode(late).isEmpty());
        QCOMPARE(AnthropicStreamEncoder::pingFrame(), "event: ping\ndata: {\"type\":\"ping\"}\n\n"_ba);
    }
};

QTEST_GUILESS_MAIN(TestAnthropicStream)
#include "tst_anthropicstream.moc"
