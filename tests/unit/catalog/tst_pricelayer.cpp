#include "core/catalog/pricelayer.h"
#include "tests/support/fixtures.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Catalog;

namespace {

const QUrl sourceUrl(u"https://openrouter.ai/api/v1/models"_s);
const QDateTime fetchedAt(QDate(2026, 11, 23), QTime(10, 15, 30, 250), Qt::UTC);

PriceLayer fixtureLayer()
{
    auto layer = PriceLayer::fromOpenRouterModels(
        Testing::readFixture(u"catalog"_s, u"openrouter-models.json"_s), sourceUrl, fetchedAt);
    if (!layer) {
        qFatal("fixture layer does not convert: %s", qPrintable(layer.errorMessage()));
    }
    return std::move(layer).value();
}

// Bundled-style entries that the layer competes with.
Pricing::PriceCatalog baseCatalog()
{
    auto catalog = Pricing::PriceCatalog::fromJson(R"({"source":"litellm","sourceDate":"2025-11-21","models":{
"gpt-4o":{"input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05,"litellm_provider":"openai","mode":"chat"},
"openrouter/openai/gpt-4o":{"input_cost_per_token":2.6e-06,"output_cost_per_token":1.1e-05,"litellm_provider":"openrouter","mode":"chat"},
"xai/grok-4":{"input_cost_per_token":3.1e-06,"output_cost_per_token":1.5e-05,"litellm_provider":"xai","mode":"chat"}
}})"_ba);
    if (!catalog) {
        qFatal("test catalog does not load: %s", qPrintable(catalog.errorMessage()));
    }
    return std::move(catalog).value();
}

const Pricing::ModelPrice *priceOf(const PriceLayer &layer, const QString &key)
{
    for (const auto &[entryKey, price] : layer.prices()) {
        if (entryKey == key) {
            return &price;
        }
    }
    return nullptr;
}

} // namespace

class TestPriceLayer : public QObject
{
    Q_OBJECT

private slots:
    void convertsOpenRouterPrices()
    {
        const PriceLayer layer = fixtureLayer();
        QCOMPARE(layer.sourceUrl(), sourceUrl);
        QCOMPARE(layer.fetchedAt(), QDateTime(QDate(2026, 11, 23), QTime(10, 15, 30), Qt::UTC));
        QCOMPARE(layer.sourceLabel(), u"openrouter 2026-11-23"_s);

        QStringList keys;
        for (const auto &[key, price] : layer.prices()) {
            keys.append(key);
        }
        // openrouter/auto (negative prices) and the model without prices stay unknown.
        QCOMPARE(keys,
            (QStringList {u"openrouter/anthropic/claude-sonnet-4.6"_s, u"openrouter/google/gemini-2.5-flash"_s,
                u"openrouter/meta-llama/llama-3.3-70b-instruct"_s,
                u"openrouter/meta-llama/llama-3.3-70b-instruct:free"_s, u"openrouter/openai/gpt-4o"_s,
                u"openrouter/openai/gpt-5.5"_s, u"openrouter/x-ai/grok-4"_s}));

        const Pricing::ModelPrice *claude = priceOf(layer, u"openrouter/anthropic/claude-sonnet-4.6"_s);
        QVERIFY(claude);
        QCOMPARE(claude->inputPerToken, 3e-06);
        QCOMPARE(claude->outputPerToken, 1.5e-05);
        QCOMPARE(claude->cachedInputPerToken, std::optional<double>(3e-07));
        QCOMPARE(claude->cacheWritePerToken, std::optional<double>(3.75e-06));
        QCOMPARE(claude->reasoningPerToken, std::nullopt);
        QCOMPARE(claude->maxInputTokens, 1000000);
        QCOMPARE(claude->maxOutputTokens, 64000);
        QCOMPARE(claude->mode, u"chat"_s);
        QCOMPARE(claude->provider, u"openrouter"_s);
        QVERIFY(claude->supportsFunctionCalling);
        QVERIFY(claude->supportsVision);
        QVERIFY(claude->supportsReasoning);
        QVERIFY(claude->supportsPromptCaching);
        QCOMPARE(claude->source, u"openrouter 2026-11-23"_s);

        const Pricing::ModelPrice *free = priceOf(layer, u"openrouter/meta-llama/llama-3.3-70b-instruct:free"_s);
        QVERIFY(free);
        QCOMPARE(free->inputPerToken, 0.0); // stated as free, unlike an unknown price
        QVERIFY(!free->supportsPromptCaching);
    }

    void unusableListFails_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expectedMessagePart");

        QTest::newRow("not json") << "<html>rate limited</html>"_ba << u"not JSON"_s;
        QTest::newRow("not a list") << R"({"error":{"message":"nope"}})"_ba << u"no “data” array"_s;
        QTest::newRow("nothing priced") << R"({"data":[{"id":"openrouter/auto","pricing":{"prompt":"-1"}}]})"_ba
                                        << u"states no model's price"_s;
    }

    void unusableListFails()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expectedMessagePart);

        const auto layer = PriceLayer::fromOpenRouterModels(body, sourceUrl, fetchedAt);
        QVERIFY(!layer.isOk());
        QVERIFY2(layer.errorMessage().contains(expectedMessagePart), qPrintable(layer.errorMessage()));
        QVERIFY2(layer.errorMessage().contains(sourceUrl.toString()), qPrintable(layer.errorMessage()));
    }

    void fileKeepsSourceAndDatePerPrice()
    {
        const PriceLayer layer = fixtureLayer();
        const QJsonObject root = QJsonDocument::fromJson(layer.toJson()).object();
        QCOMPARE(root.value("source"_L1).toString(), u"openrouter"_s);
        QCOMPARE(root.value("sourceDate"_L1).toString(), u"2026-11-23"_s);
        const QJsonObject entry = root.value("models"_L1).toObject().value("openrouter/openai/gpt-4o"_L1).toObject();
        QCOMPARE(entry.value("sourceUrl"_L1).toString(), sourceUrl.toString());
        QCOMPARE(entry.value("fetchedAt"_L1).toString(), u"2026-11-23T10:15:30Z"_s);
        QCOMPARE(entry.value("input_cost_per_token"_L1).toDouble(), 2.5e-06);

        const auto back = PriceLayer::fromJson(layer.toJson());
        QVERIFY2(back.isOk(), qPrintable(back.errorMessage()));
        QCOMPARE(back->prices(), layer.prices());
        QCOMPARE(back->sourceUrl(), layer.sourceUrl());
        QCOMPARE(back->fetchedAt(), layer.fetchedAt());
    }

    void saveAndLoad()
    {
        QTemporaryDir dir;
        const QString path = PriceLayer::filePathIn(dir.filePath(u"data/switchyard"_s));
        QVERIFY(path.endsWith(u"/data/switchyard/price-layer.json"_s));

        const auto missing = PriceLayer::load(path);
        QVERIFY2(missing.isOk(), qPrintable(missing.errorMessage()));
        QVERIFY(missing->isEmpty());

        const PriceLayer layer = fixtureLayer();
        const Status saved = layer.save(path); // creates the folders
        QVERIFY2(saved.isOk(), qPrintable(saved.errorMessage()));
        const auto loaded = PriceLayer::load(path);
        QVERIFY2(loaded.isOk(), qPrintable(loaded.errorMessage()));
        QCOMPARE(loaded->size(), layer.size());
        QCOMPARE(loaded->prices(), layer.prices());
    }

    void brokenFileFailsNamingIt_data()
    {
        QTest::addColumn<QByteArray>("content");

        QTest::newRow("not json") << "{"_ba;
        QTest::newRow("no models") << R"({"source":"openrouter"})"_ba;
        QTest::newRow("no fetch date")
            << R"({"source":"openrouter","sourceUrl":"https://openrouter.ai/api/v1/models","models":{}})"_ba;
    }

    void brokenFileFailsNamingIt()
    {
        QFETCH(QByteArray, content);

        QTemporaryDir dir;
        const QString path = PriceLayer::filePathIn(dir.path());
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const auto layer = PriceLayer::load(path);
        QVERIFY(!layer.isOk());
        QVERIFY2(layer.errorMessage().contains(path), qPrintable(layer.errorMessage()));
        QVERIFY2(layer.errorMessage().contains(u"switchyard prices refresh"_s), qPrintable(layer.errorMessage()));
    }

    void saveFailureSaysWhere()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(u"not-a-folder"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Status saved = fixtureLayer().save(dir.filePath(u"not-a-folder/price-layer.json"_s));
        QVERIFY(!saved.isOk());
        QVERIFY2(saved.errorMessage().contains(u"not-a-folder"_s), qPrintable(saved.errorMessage()));
    }

    void precedence_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("expectedInputPerToken");
        QTest::addColumn<QString>("expectedSource");

        const QString refreshed = u"openrouter 2026-11-23"_s;
        const QString bundled = u"litellm 2025-11-21"_s;
        // OpenRouter's own keys: the refreshed price replaces the bundled one.
        QTest::newRow("openrouter key replaced") << u"openrouter"_s << u"openai/gpt-4o"_s << 2.5e-06 << refreshed;
        QTest::newRow("openrouter free variant")
            << u"openrouter"_s << u"meta-llama/llama-3.3-70b-instruct:free"_s << 0.0 << refreshed;
        // Vendor keys: the bundled catalog stays in charge where it knows the model ...
        QTest::newRow("vendor key kept") << QString() << u"gpt-4o"_s << 2.5e-06 << bundled;
        QTest::newRow("vendor key kept, prefixed") << u"xai"_s << u"grok-4"_s << 3.1e-06 << bundled;
        // ... and the layer stands in for models released since.
        QTest::newRow("new openai model") << QString() << u"gpt-5.5"_s << 5e-06 << refreshed;
        QTest::newRow("anthropic dots become dashes") << QString() << u"claude-sonnet-4-6"_s << 3e-06 << refreshed;
        QTest::newRow("gemini under its prefix") << u"gemini"_s << u"gemini-2.5-flash"_s << 3e-07 << refreshed;
    }

    void precedence()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, model);
        QFETCH(double, expectedInputPerToken);
        QFETCH(QString, expectedSource);

        Pricing::PriceCatalog catalog = baseCatalog();
        fixtureLayer().applyTo(catalog);
        const auto price = catalog.find(prefix, model);
        QVERIFY(price);
        QCOMPARE(price->inputPerToken, expectedInputPerToken);
        QCOMPARE(price->source, expectedSource);
    }

    void unknownStaysUnknown_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("model");

        QTest::newRow("router pseudo-model") << u"openrouter"_s << u"openrouter/auto"_s;
        QTest::newRow("model without prices") << u"openrouter"_s << u"mystery/unpriced-model"_s;
        // Hosted open models have no vendor API of their own to stand in for.
        QTest::newRow("no vendor key for hosted models") << QString() << u"llama-3.3-70b-instruct"_s;
    }

    void unknownStaysUnknown()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, model);

        Pricing::PriceCatalog catalog = baseCatalog();
        fixtureLayer().applyTo(catalog);
        QCOMPARE(catalog.find(prefix, model), std::nullopt);
    }

    void variantsDoNotStandInForTheVendorModel()
    {
        const auto layer = PriceLayer::fromOpenRouterModels(
            R"({"data":[{"id":"openai/gpt-9:free","pricing":{"prompt":"0","completion":"0"}}]})"_ba, sourceUrl,
            fetchedAt);
        QVERIFY2(layer.isOk(), qPrintable(layer.errorMessage()));
        Pricing::PriceCatalog catalog = baseCatalog();
        layer->applyTo(catalog);
        QVERIFY(catalog.find(u"openrouter"_s, u"openai/gpt-9:free"_s));
        QCOMPARE(catalog.find(QString(), u"gpt-9"_s), std::nullopt);
        QCOMPARE(catalog.find(QString(), u"gpt-9:free"_s), std::nullopt);
    }

    void vendorStandInNamesTheVendor()
    {
        Pricing::PriceCatalog catalog = baseCatalog();
        fixtureLayer().applyTo(catalog);
        QCOMPARE(catalog.find(QString(), u"claude-sonnet-4-6"_s)->provider, u"anthropic"_s);
        QCOMPARE(catalog.find(u"gemini"_s, u"gemini-2.5-flash"_s)->provider, u"gemini"_s);
    }

    void workspaceOverrideWins()
    {
        Pricing::PriceCatalog catalog = baseCatalog();
        catalog.setOverrides({Pricing::PriceOverride {u"openrouter/openai/gpt-4o"_s, 1.0, 2.0, std::nullopt}});
        fixtureLayer().applyTo(catalog);
        const auto price = catalog.find(u"openrouter"_s, u"openai/gpt-4o"_s);
        QCOMPARE(price->inputPerToken, 1e-06);
        QCOMPARE(price->source, u"workspace override"_s);
        QCOMPARE(price->maxInputTokens, 128000); // limits from the refreshed entry
    }

    void layersOverTheBundledCatalog()
    {
        auto catalog = Pricing::PriceCatalog::loadBundled();
        QVERIFY2(catalog.isOk(), qPrintable(catalog.errorMessage()));
        QVERIFY(!catalog->find(QString(), u"claude-sonnet-4-6"_s));
        const auto bundledGpt4o = catalog->find(QString(), u"gpt-4o"_s);
        fixtureLayer().applyTo(catalog.value());
        QCOMPARE(catalog->find(QString(), u"claude-sonnet-4-6"_s)->source, u"openrouter 2026-11-23"_s);
        QCOMPARE(catalog->find(QString(), u"gpt-4o"_s), bundledGpt4o);
        QCOMPARE(catalog->find(u"openrouter"_s, u"anthropic/claude-sonnet-4.6"_s)->source, u"openrouter 2026-11-23"_s);
    }
};

QTEST_GUILESS_MAIN(TestPriceLayer)
#include "tst_pricelayer.moc"
