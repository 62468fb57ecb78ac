#include "core/protocol/ssedecoder.h"
#include "tests/support/fixtures.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using Switchyard::Protocol::SseDecoder;
using Switchyard::Protocol::SseEvent;

namespace Switchyard::Protocol {
// Found by QTest through argument-dependent lookup, so failed comparisons show the event.
char *toString(const SseEvent &event)
{
    return QTest::toString("{event=" + event.event + " data=" + event.data + " id=" + event.id + "}");
}
} // namespace Switchyard::Protocol

namespace {
QByteArray readFixture(const QString &name)
{
    return Switchyard::Testing::readFixture(u"openai"_s, name);
}

struct Decoded
{
    QList<SseEvent> events;
    bool partial = false;
};

Decoded decodeInPieces(const QByteArray &bytes, const QList<qsizetype> &cuts)
{
    SseDecoder decoder;
    Decoded result;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        result.events += decoder.feed(QByteArrayView(bytes).sliced(from, cut - from));
        from = cut;
    }
    result.events += decoder.feed(QByteArrayView(bytes).sliced(from));
    result.partial = decoder.hasPartialEvent();
    return result;
}

// The same bytes fed whole, cut at every position, and one byte at a time must decode alike.
void verifySplitInvariance(const QByteArray &bytes, const Decoded &whole)
{
    for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
        const Decoded split = decodeInPieces(bytes, {cut});
        QVERIFY2(split.events == whole.events, qPrintable(u"differs when cut at byte %1"_s.arg(cut)));
        QCOMPARE(split.partial, whole.partial);
    }
    QList<qsizetype> everyByte;
    for (qsizetype cut = 1; cut < bytes.size(); ++cut) {
        everyByte.append(cut);
    }
    const Decoded bytewise = decodeInPieces(bytes, everyByte);
    QCOMPARE(bytewise.events, whole.events);
    QCOMPARE(bytewise.partial, whole.partial);
}

SseEvent data(const QByteArray &payload)
{
    return SseEvent {{}, payload, {}};
}
} // namespace

class TestSseDecoder : public QObject
{
    Q_OBJECT

private slots:
    void decodesFixturesUnderAnySplit_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("eventCount");
        QTest::addColumn<QByteArray>("firstDataPrefix");
        QTest::addColumn<QByteArray>("lastData");

        QTest::newRow("text LF") << u"stream-text.sse"_s << 9 << "{\"id\":\"chatcmpl-Ckz1\""_ba
                                 << "[DONE]"_ba;
        QTest::newRow("text CRLF") << u"stream-text-crlf.sse"_s << 9 << "{\"id\":\"chatcmpl-Ckz1\""_ba
                                   << "[DONE]"_ba;
        QTest::newRow("tool calls") << u"stream-tool-calls.sse"_s << 10 << "{\"id\":\"chatcmpl-Ckz2\""_ba
                                    << "[DONE]"_ba;
        QTest::newRow("in-stream error")
            << u"stream-error.sse"_s << 3 << "{\"id\":\"chatcmpl-Ckz3\""_ba
            << "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":\"internal_error\"}}"_ba;
        QTest::newRow("xAI usage") << u"stream-xai-usage.sse"_s << 7 << "{\"id\":\"3f1c9a2e-"_ba
                                   << "[DONE]"_ba;
    }

    void decodesFixturesUnderAnySplit()
    {
        QFETCH(QString, fixture);
        QFETCH(int, eventCount);
        QFETCH(QByteArray, firstDataPrefix);
        QFETCH(QByteArray, lastData);

        const QByteArray bytes = readFixture(fixture);
        SseDecoder decoder;
        const Decoded whole {decoder.feed(bytes), decoder.hasPartialEvent()};
        QCOMPARE(whole.events.size(), eventCount);
        QVERIFY(whole.events.first().data.startsWith(firstDataPrefix));
        QCOMPARE(whole.events.last().data, lastData);
        QVERIFY(!whole.partial);
        for (const SseEvent &event : whole.events) {
            QVERIFY(event.event.isEmpty());
            QVERIFY(!event.data.contains('\r'));
            QVERIFY(!event.data.contains('\n'));
        }
        verifySplitInvariance(bytes, whole);

        // A connection dropped before the final blank line leaves the last event undelivered.
        SseDecoder cut;
        QCOMPARE(cut.feed(QByteArrayView(bytes).chopped(2)), whole.events.first(eventCount - 1));
        QVERIFY(cut.hasPartialEvent());
    }

    void crlfAndLfFixturesAgree()
    {
        SseDecoder lf;
        SseDecoder crlf;
        QCOMPARE(crlf.feed(readFixture(u"stream-text-crlf.sse"_s)), lf.feed(readFixture(u"stream-text.sse"_s)));
    }

    void parsesEventStream_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<SseEvent>>("expected");
        QTest::addColumn<bool>("partial");

        const QList<SseEvent> ab {data("a"), data("b")};
        QTest::newRow("LF") << "data: a\n\ndata: b\n\n"_ba << ab << false;
        QTest::newRow("CRLF") << "data: a\r\n\r\ndata: b\r\n\r\n"_ba << ab << false;
        QTest::newRow("CR") << "data: a\r\rdata: b\r\r"_ba << ab << false;
        QTest::newRow("mixed terminators") << "data: a\r\n\ndata: b\r\r\n"_ba << ab << false;
        QTest::newRow("multi-line data") << "data: one\ndata:two\ndata:  three\n\n"_ba
                                         << QList<SseEvent> {data("one\ntwo\n three")} << false;
        QTest::newRow("multi-line data CRLF")
            << "event: e\r\ndata: one\r\ndata: two\r\n\r\n"_ba << QList<SseEvent> {{"e", "one\ntwo", {}}} << false;
        QTest::newRow("comments") << ": ping\n:\ndata: x\n: OPENROUTER PROCESSING\n\n"_ba << QList<SseEvent> {data("x")}
                                  << false;
        QTest::newRow("only comments") << ": ping\n\n: ping\n\n"_ba << QList<SseEvent> {} << false;
        QTest::newRow("BOM at start") << "\xEF\xBB\xBF"
                                         "data: x\n\n"_ba
                                      << QList<SseEvent> {data("x")} << false;
        QTest::newRow("BOM later is part of a field name") << "data: x\n\n\xEF\xBB\xBF"
                                                              "data: y\n\n"_ba
                                                           << QList<SseEvent> {data("x")} << false;
        QTest::newRow("event and id") << "event: message_start\nid: 7\ndata: {}\n\ndata: next\n\n"_ba
                                      << QList<SseEvent> {{"message_start", "{}", "7"}, {{}, "next", "7"}} << false;
        QTest::newRow("empty id clears") << "id: 7\ndata: a\n\nid\ndata: b\n\n"_ba
                                         << QList<SseEvent> {{{}, "a", "7"}, {{}, "b", {}}} << false;
        QTest::newRow("id with NUL ignored") << QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 32)
                                             << QList<SseEvent> {{{}, "a", "1"}, {{}, "b", "1"}} << false;
        QTest::newRow("event without data is not dispatched")
            << "event: ping\n\ndata: x\n\n"_ba << QList<SseEvent> {data("x")} << false;
        QTest::newRow("empty data is dispatched")
            << "data\n\ndata:\n\n"_ba << QList<SseEvent> {data(""), data("")} << false;
        QTest::newRow("no space after colon") << "data:x\n\n"_ba << QList<SseEvent> {data("x")} << false;
        QTest::newRow("only one space removed") << "data:  x \n\n"_ba << QList<SseEvent> {data(" x ")} << false;
        QTest::newRow("unknown field ignored")
            << "foo: bar\ndata: x\nDATA: y\n\n"_ba << QList<SseEvent> {data("x")} << false;
        QTest::newRow("UTF-8 kept byte-exact")
            << "data: Blåbær 🍓\n\n"_ba << QList<SseEvent> {data("Blåbær 🍓")} << false;
        QTest::newRow("cut inside a line") << "data: a\n\ndata: part"_ba << QList<SseEvent> {data("a")} << true;
        QTest::newRow("cut before blank line") << "data: a\n"_ba << QList<SseEvent> {} << true;
        QTest::newRow("cut after CR") << "data: a\r"_ba << QList<SseEvent> {} << true;
        QTest::newRow("cut after event line") << "event: error\n"_ba << QList<SseEvent> {} << true;
        QTest::newRow("complete then cut in comment") << "data: a\n\n: pi"_ba << QList<SseEvent> {data("a")} << true;
    }

    void parsesEventStream()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<SseEvent>, expected);
        QFETCH(bool, partial);

        SseDecoder decoder;
        const Decoded whole {decoder.feed(input), decoder.hasPartialEvent()};
        QCOMPARE(whole.events, expected);
        QCOMPARE(whole.partial, partial);
        verifySplitInvariance(input, whole);
    }

    void readsRetry()
    {
        SseDecoder decoder;
        QCOMPARE(decoder.retryMs(), std::nullopt);
        QCOMPARE(decoder.feed("retry: 3000\n\n"), QList<SseEvent> {});
        QCOMPARE(decoder.retryMs(), std::optional<qint64>(3000));
        (void)decoder.feed("retry: 12s\nretry:\n\n");
        QCOMPARE(decoder.retryMs(), std::optional<qint64>(3000));
    }

    void resetStartsANewStream()
    {
        SseDecoder decoder;
        const QList<SseEvent> beforeReset {SseEvent {{}, "a", "9"}};
        QCOMPARE(decoder.feed("id: 9\ndata: a\n\ndata: cut"), beforeReset);
        QVERIFY(decoder.hasPartialEvent());
        decoder.reset();
        QVERIFY(!decoder.hasPartialEvent());
        QCOMPARE(decoder.feed("\xEF\xBB\xBF"
                              "data: b\n\n"),
            QList<SseEvent> {data("b")});
    }

    void carriesCrAcrossFeeds()
    {
        SseDecoder decoder;
        QCOMPARE(decoder.feed("data: a\r"), QList<SseEvent> {});
        // The '\n' completes "\r\n"; only the following '\r' is the blank line.
        QCOMPARE(decoder.feed("\n"), QList<SseEvent> {});
        QVERIFY(decoder.hasPartialEvent());
        QCOMPARE(decoder.feed("\r"), QList<SseEvent> {data("a")});
        QVERIFY(!decoder.hasPartialEvent());
    }

    void decodesLongLinesFedInPieces()
    {
        const QByteArray payload(200 * 1024, 'z');
        SseDecoder decoder;
        QList<SseEvent> events;
        const QByteArray stream = "data: "_ba + payload + "\n\ndata: after\n\n"_ba;
        for (qsizetype at = 0; at < stream.size(); at += 1000) {
            events += decoder.feed(QByteArrayView(stream).sliced(at, qMin<qsizetype>(1000, stream.size() - at)));
        }
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).data, payload);
        QCOMPARE(events.at(1).data, "after"_ba);
    }
};

QTEST_GUILESS_MAIN(TestSseDecoder)
#include "tst_ssedecoder.moc"
