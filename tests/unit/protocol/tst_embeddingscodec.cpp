#include "core/protocol/embeddingscodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Protocol::EmbeddingsCodec;

class TestEmbeddingsCodec : public QObject
{
    Q_OBJECT

private slots:
    void decodesInputs_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<bool>("tokens");

        QTest::newRow("string") << R"({"model":"m","input":"one"})"_ba << QStringList {u"one"_s} << false;
        QTest::newRow("strings") << R"({"model":"m","input":["one","two"]})"_ba << QStringList {u"one"_s, u"two"_s}
                                 << false;
        QTest::newRow("tokens") << R"({"model":"m","input":[1,2,3]})"_ba << QStringList() << true;
        QTest::newRow("token arrays") << R"({"model":"m","input":[[1,2],[3]]})"_ba << QStringList() << true;
    }

    void decodesInputs()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, texts);
        QFETCH(bool, tokens);
        const auto request = EmbeddingsCodec::decodeRequest(json);
        QVERIFY2(request.isOk(), qPrintable(request.errorMessage()));
        QCOMPARE(request->model, u"m"_s);
        QCOMPARE(request->texts, texts);
        QCOMPARE(request->tokenInput, tokens);
    }

    void rejectsBadRequests_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");

        QTest::newRow("no model") << R"({"input":"x"})"_ba << u"model:"_s;
        QTest::newRow("no input") << R"({"model":"m"})"_ba << u"input:"_s;
        QTest::newRow("empty input") << R"({"model":"m","input":[]})"_ba << u"input:"_s;
        QTest::newRow("mixed input") << R"({"model":"m","input":["a",1]})"_ba << u"input:"_s;
        QTest::newRow("dimensions") << R"({"model":"m","input":"x","dimensions":0})"_ba << u"dimensions:"_s;
        QTest::newRow("format") << R"({"model":"m","input":"x","encoding_format":"int8"})"_ba << u"encoding_format:"_s;
    }

    void rejectsBadRequests()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const auto request = EmbeddingsCodec::decodeRequest(json);
        QVERIFY(!request.isOk());
        QVERIFY2(request.errorMessage().startsWith(field), qPrintable(request.errorMessage()));
    }

    void keepsTheClientsBodyForOpenAiProviders()
    {
        const auto request
            = EmbeddingsCodec::decodeRequest(R"({"model":"small","input":"x","user":"u1","dimensions":64})"_ba);
        QVERIFY(request.isOk());
        const QJsonObject sent = QJsonDocument::fromJson(
            EmbeddingsCodec::encodeOpenAiRequest(request.value(), u"text-embedding-3-small"_s))
                                     .object();
        QCOMPARE(sent.value(u"model"_s).toString(), u"text-embedding-3-small"_s);
        QCOMPARE(sent.value(u"user"_s).toString(), u"u1"_s);
        QCOMPARE(sent.value(u"dimensions"_s).toInt(), 64);
    }

    void translatesForGemini()
    {
        const auto request = EmbeddingsCodec::decodeRequest(R"({"model":"e","input":["a","b"],"dimensions":8})"_ba);
        QVERIFY(request.isOk());
        QCOMPARE(EmbeddingsCodec::geminiPath(u"gemini-embedding-001"_s),
            u"/models/gemini-embedding-001:batchEmbedContents"_s);
        const auto body = EmbeddingsCodec::encodeGeminiRequest(request.value(), u"gemini-embedding-001"_s);
        QVERIFY(body.isOk());
        const QJsonArray requests = QJsonDocument::fromJson(body.value()).object().value(u"requests"_s).toArray();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[1][u"model"_s].toString(), u"models/gemini-embedding-001"_s);
        QCOMPARE(requests[1][u"content"_s][u"parts"_s][0][u"text"_s].toString(), u"b"_s);
        QCOMPARE(requests[0][u"outputDimensionality"_s].toInt(), 8);

        const auto tokens = EmbeddingsCodec::decodeRequest(R"({"model":"e","input":[1,2]})"_ba);
        QVERIFY(!EmbeddingsCodec::encodeGeminiRequest(tokens.value(), u"e"_s).isOk());

        const auto response = EmbeddingsCodec::decodeGeminiResponse(
            R"({"embeddings":[{"values":[0.5,-1]},{"values":[0.25]}]})"_ba, u"gemini-embedding-001"_s);
        QVERIFY2(response.isOk(), qPrintable(response.errorMessage()));
        QCOMPARE(response->vectors, (QList<QList<float>> {{0.5f, -1.0f}, {0.25f}}));
        QVERIFY(!response->usage.isReported);
        QVERIFY(!EmbeddingsCodec::decodeGeminiResponse(R"({"embeddings":[{"value":[1]}]})"_ba, u"e"_s).isOk());
        QVERIFY(!EmbeddingsCodec::decodeGeminiResponse("not json"_ba, u"e"_s).isOk());
    }

    void encodesOpenAiResponses()
    {
        Protocol::EmbeddingsResponse response;
        response.model = u"e"_s;
        response.vectors = {{1.0f, -2.5f}};
        const QJsonObject plain
            = QJsonDocument::fromJson(EmbeddingsCodec::encodeOpenAiResponse(response, false)).object();
        QCOMPARE(plain.value(u"object"_s).toString(), u"list"_s);
        QCOMPARE(plain.value(u"data"_s)[0][u"embedding"_s].toArray(), (QJsonArray {1.0, -2.5}));
        QVERIFY(!plain.contains(u"usage"_s));

        const QJsonObject encoded
            = QJsonDocument::fromJson(EmbeddingsCodec::encodeOpenAiResponse(response, true)).object();
        const QByteArray bytes
            = QByteArray::fromBase64(encoded.value(u"data"_s)[0][u"embedding"_s].toString().toLatin1());
        QCOMPARE(bytes.size(), 8);
        QCOMPARE(qFromLittleEndian<float>(bytes.constData()), 1.0f);
        QCOMPARE(qFromLittleEndian<float>(bytes.constData() + 4), -2.5f);

        const Usage usage = EmbeddingsCodec::decodeOpenAiUsage(
            QJsonObject {{u"usage"_s, QJsonObject {{u"prompt_tokens"_s, 5}, {u"total_tokens"_s, 5}}}});
        QVERIFY(usage.isReported);
        QCOMPARE(usage.promptTokens, 5);
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingsCodec)
#include "tst_embeddingscodec.moc"
