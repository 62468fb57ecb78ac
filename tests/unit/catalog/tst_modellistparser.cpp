#include "core/catalog/modellistparser.h"
#include "tests/support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Catalog;
using Providers::WireFormat;

Q_DECLARE_METATYPE(Providers::WireFormat)

namespace {

QJsonObject pageJson(const ModelListParser::Page &page)
{
    QJsonArray models;
    for (const ModelInfo &model : page.models) {
        models.append(model.toJson());
    }
    return {{u"nextCursor"_s, page.nextCursor}, {u"models"_s, models}};
}

// Prices are compared to a relative 1e-12: a per-million figure divided by 1e6 need not be the
// double closest to the decimal written in the golden file.
bool sameJson(const QJsonValue &actual, const QJsonValue &expected)
{
    if (actual.isDouble() && expected.isDouble()) {
        const double a = actual.toDouble();
        const double b = expected.toDouble();
        return a == b || std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
    }
    if (actual.isObject() && expected.isObject()) {
        const QJsonObject a = actual.toObject();
        const QJsonObject b = expected.toObject();
        if (a.keys() != b.keys()) {
            return false;
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!sameJson(it.value(), b.value(it.key()))) {
                return false;
            }
        }
        return true;
    }
    if (actual.isArray() && expected.isArray()) {
        const QJsonArray a = actual.toArray();
        const QJsonArray b = expected.toArray();
        if (a.size() != b.size()) {
            return false;
        }
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!sameJson(a.at(i), b.at(i))) {
                return false;
            }
        }
        return true;
    }
    return actual == expected;
}

} // namespace

class TestModelListParser : public QObject
{
    Q_OBJECT

private slots:
    void golden_data()
    {
        QTest::addColumn<WireFormat>("format");
        QTest::addColumn<QString>("fixture");

        QTest::newRow("openai") << WireFormat::OpenAiChat << u"openai-models"_s;
        QTest::newRow("openrouter") << WireFormat::OpenAiChat << u"openrouter-models"_s;
        QTest::newRow("together, a bare array") << WireFormat::OpenAiChat << u"together-models"_s;
        QTest::newRow("groq") << WireFormat::OpenAiChat << u"groq-models"_s;
        QTest::newRow("mistral") << WireFormat::OpenAiChat << u"mistral-models"_s;
        QTest::newRow("anthropic, first page") << WireFormat::AnthropicMessages << u"anthropic-models-1"_s;
        QTest::newRow("anthropic, last page") << WireFormat::AnthropicMessages << u"anthropic-models-2"_s;
        QTest::newRow("gemini, first page") << WireFormat::GeminiGenerate << u"gemini-models-1"_s;
        QTest::newRow("gemini, last page") << WireFormat::GeminiGenerate << u"gemini-models-2"_s;
    }

    void golden()
    {
        QFETCH(WireFormat, format);
        QFETCH(QString, fixture);

        const auto page = ModelListParser::parse(format, Testing::readFixture(u"catalog"_s, fixture + ".json"_L1));
        QVERIFY2(page.isOk(), qPrintable(page.errorMessage()));
        const QJsonObject actual = pageJson(page.value());
        const QJsonObject expected
            = QJsonDocument::fromJson(Testing::readFixture(u"catalog"_s, fixture + ".expected.json"_L1)).object();
        QVERIFY(!expected.isEmpty());
        QVERIFY2(sameJson(actual, expected), QJsonDocument(actual).toJson().constData());
    }

    void malformed_data()
    {
        QTest::addColumn<WireFormat>("format");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expectedMessagePart");

        QTest::newRow("html page") << WireFormat::OpenAiChat << "<html><body>Welcome to nginx!</body></html>"_ba
                                   << u"not JSON"_s;
        QTest::newRow("truncated") << WireFormat::GeminiGenerate << "{\"models\":[{\"name\":\"models/gem"_ba
                                   << u"not JSON"_s;
        QTest::newRow("openai without data")
            << WireFormat::OpenAiChat << R"({"object":"list"})"_ba << u"no “data” array"_s;
        QTest::newRow("openai data not a list")
            << WireFormat::OpenAiChat << R"({"data":{"id":"x"}})"_ba << u"no “data” array"_s;
        QTest::newRow("entry without id") << WireFormat::OpenAiChat << R"({"data":[{"id":"a"},{"object":"model"}]})"_ba
                                          << u"Entry 1 of the model list has no “id”"_s;
        QTest::newRow("entry not an object") << WireFormat::OpenAiChat << R"({"data":["gpt-4o"]})"_ba
                                             << u"Entry 0 of the model list is not a JSON object"_s;
        QTest::newRow("anthropic without data")
            << WireFormat::AnthropicMessages << R"({"models":[]})"_ba << u"no “data” array"_s;
        QTest::newRow("anthropic more pages without last_id")
            << WireFormat::AnthropicMessages << R"({"data":[{"id":"claude"}],"has_more":true})"_ba << u"“last_id”"_s;
        QTest::newRow("gemini models not a list")
            << WireFormat::GeminiGenerate << R"({"models":{}})"_ba << u"no “models” array"_s;
        QTest::newRow("gemini entry without name")
            << WireFormat::GeminiGenerate << R"({"models":[{"displayName":"x"}]})"_ba << u"has no “name”"_s;
        QTest::newRow("gemini answer is a list") << WireFormat::GeminiGenerate << R"([])"_ba << u"no “models” array"_s;
    }

    void malformed()
    {
        QFETCH(WireFormat, format);
        QFETCH(QByteArray, body);
        QFETCH(QString, expectedMessagePart);

        const auto page = ModelListParser::parse(format, body);
        QVERIFY(!page.isOk());
        QVERIFY2(page.errorMessage().contains(expectedMessagePart), qPrintable(page.errorMessage()));
    }

    void emptyGeminiPageIsAnEmptyList()
    {
        // Protobuf JSON leaves empty lists out.
        const auto page = ModelListParser::parseGemini("{}"_ba);
        QVERIFY2(page.isOk(), qPrintable(page.errorMessage()));
        QVERIFY(page->models.isEmpty());
        QVERIFY(page->nextCursor.isEmpty());
    }

    void htmlAnswerIsQuoted()
    {
        const auto page = ModelListParser::parseOpenAi("<!DOCTYPE html>\n<title>Login</title>"_ba);
        QVERIFY(!page.isOk());
        QVERIFY2(
            page.errorMessage().contains(u"“<!DOCTYPE html> <title>Login</title>”"_s), qPrintable(page.errorMessage()));
    }

    void cacheFormatRoundTrip()
    {
        const auto page = ModelListParser::parseOpenAi(Testing::readFixture(u"catalog"_s, u"openrouter-models.json"_s));
        QVERIFY(page.isOk());
        for (const ModelInfo &model : page->models) {
            const auto back = ModelInfo::fromJson(model.toJson());
            QVERIFY(back.isOk());
            QCOMPARE(back.value(), model);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelListParser)
#include "tst_modellistparser.moc"
