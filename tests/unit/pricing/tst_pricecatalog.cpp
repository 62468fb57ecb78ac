#include "core/pricing/pricecatalog.h"

#include <QFile>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Pricing;

namespace {

// A small catalog in the bundled file's format, so lookup cases do not depend on LiteLLM's data.
const QByteArray fixture = R"({"source":"litellm","sourceDate":"2025-11-21","sourceCommit":"abc","models":{
"gpt-4o":{"input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05,"cache_read_input_token_cost":1.25e-06,"litellm_provider":"openai","mode":"chat","max_input_tokens":128000,"max_output_tokens":16384,"supports_vision":true},
"gpt-4o-mini":{"input_cost_per_token":1.5e-07,"output_cost_per_token":6e-07,"litellm_provider":"openai","mode":"chat"},
"claude-sonnet-4-5":{"input_cost_per_token":3e-06,"output_cost_per_token":1.5e-05,"cache_read_input_token_cost":3e-07,"cache_creation_input_token_cost":3.75e-06,"litellm_provider":"anthropic","mode":"chat"},
"groq/llama-3.3-70b-versatile":{"input_cost_per_token":5.9e-07,"output_cost_per_token":7.9e-07,"litellm_provider":"groq","mode":"chat"},
"gemini-2.5-pro":{"input_cost_per_token":1.25e-06,"output_cost_per_token":1e-05,"litellm_provider":"vertex_ai-language-models","mode":"chat"},
"gemini/gemini-2.5-pro":{"input_cost_per_token":1.25e-06,"output_cost_per_token":1e-05,"cache_read_input_token_cost":3.125e-07,"litellm_provider":"gemini","mode":"chat"},
"openrouter/openai/gpt-4o":{"input_cost_per_token":2.6e-06,"output_cost_per_token":1.1e-05,"litellm_provider":"openrouter","mode":"chat"},
"qwen-plus":{"input_cost_per_token":4e-07,"output_cost_per_token":1.2e-06,"output_cost_per_reasoning_token":4e-06,"litellm_provider":"dashscope","mode":"chat"},
"text-embedding-3-small":{"input_cost_per_token":2e-08,"litellm_provider":"openai","mode":"embedding"}
}})"_ba;

PriceCatalog fixtureCatalog()
{
    auto catalog = PriceCatalog::fromJson(fixture);
    if (!catalog) {
        qFatal("fixture catalog does not load: %s", qPrintable(catalog.errorMessage()));
    }
    return std::move(catalog).value();
}

} // namespace

class TestPriceCatalog : public QObject
{
    Q_OBJECT

private slots:
    void bundledCatalogIsReachable()
    {
        QVERIFY(QFile::exists(u":/prices/model-prices.json"_s));
        const auto catalog = PriceCatalog::loadBundled();
        QVERIFY2(catalog.isOk(), qPrintable(catalog.errorMessage()));
        QCOMPARE(catalog->sourceLabel(), u"litellm 2025-11-21"_s);
        QCOMPARE(catalog->sourceCommit(), u"caddc6dd0fc26931b3fcc4e91e81a3d90080f3ef"_s);
        QVERIFY(catalog->size() > 1000);

        const auto gpt4o = catalog->find(QString(), u"gpt-4o"_s);
        QVERIFY(gpt4o);
        QCOMPARE(gpt4o->inputPerToken, 2.5e-06);
        QCOMPARE(gpt4o->outputPerToken, 1e-05);
        QCOMPARE(gpt4o->cachedInputPerToken, std::optional<double>(1.25e-06));
        QCOMPARE(gpt4o->cacheWritePerToken, std::nullopt);
        QCOMPARE(gpt4o->maxInputTokens, 128000);
        QCOMPARE(gpt4o->maxOutputTokens, 16384);
        QCOMPARE(gpt4o->provider, u"openai"_s);
        QCOMPARE(gpt4o->mode, u"chat"_s);
        QVERIFY(gpt4o->supportsFunctionCalling);
        QVERIFY(gpt4o->supportsVision);
        QVERIFY(gpt4o->supportsPromptCaching);
        QVERIFY(!gpt4o->supportsReasoning);
        QCOMPARE(gpt4o->source, u"litellm 2025-11-21"_s);

        // Entries outside the kept modes never reach the catalog.
        QVERIFY(!catalog->find(QString(), u"sample_spec"_s));
        QVERIFY(!catalog->find(QString(), u"dall-e-3"_s));
    }

    void lookupOrder_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("expectedInputPerToken");
        QTest::addColumn<QString>("expectedProvider");

        QTest::newRow("exact bare key") << QString() << u"gpt-4o"_s << 2.5e-06 << u"openai"_s;
        QTest::newRow("groq prefix") << u"groq"_s << u"llama-3.3-70b-versatile"_s << 5.9e-07 << u"groq"_s;
        QTest::newRow("prefixed key before bare key") << u"gemini"_s << u"gemini-2.5-pro"_s << 1.25e-06 << u"gemini"_s;
        QTest::newRow("bare key when prefixed is absent") << u"groq"_s << u"gpt-4o-mini"_s << 1.5e-07 << u"openai"_s;
        QTest::newRow("compact date suffix") << QString() << u"claude-sonnet-4-5-20250929"_s << 3e-06 << u"anthropic"_s;
        QTest::newRow("dashed date suffix") << QString() << u"gpt-4o-mini-2024-07-18"_s << 1.5e-07 << u"openai"_s;
        QTest::newRow("date suffix with prefix")
            << u"gemini"_s << u"gemini-2.5-pro-20250617"_s << 1.25e-06 << u"gemini"_s;
        QTest::newRow("openrouter vendor model") << u"openrouter"_s << u"openai/gpt-4o"_s << 2.6e-06 << u"openrouter"_s;
        QTest::newRow("vendor dropped") << u"together_ai"_s << u"openai/gpt-4o"_s << 2.5e-06 << u"openai"_s;
        QTest::newRow("vendor dropped and undated")
            << QString() << u"anthropic/claude-sonnet-4-5-20250929"_s << 3e-06 << u"anthropic"_s;
    }

    void lookupOrder()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, model);
        QFETCH(double, expectedInputPerToken);
        QFETCH(QString, expectedProvider);

        const auto price = fixtureCatalog().find(prefix, model);
        QVERIFY(price);
        QCOMPARE(price->inputPerToken, expectedInputPerToken);
        QCOMPARE(price->provider, expectedProvider);
    }

    void unknownModel_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("model");
        QTest::newRow("unknown") << QString() << u"no-such-model"_s;
        QTest::newRow("empty") << u"groq"_s << QString();
        QTest::newRow("not a date") << QString() << u"gpt-4o-12345678"_s;
        QTest::newRow("prefix of other provider") << u"mistral"_s << u"llama-3.3-70b-versatile"_s;
    }

    void unknownModel()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, model);
        QCOMPARE(fixtureCatalog().find(prefix, model), std::nullopt);
    }

    void overrideWins_data()
    {
        QTest::addColumn<QString>("overrideModel");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("model");
        QTest::newRow("bare") << u"gpt-4o"_s << QString() << u"gpt-4o"_s;
        QTest::newRow("bare under a prefix") << u"gpt-4o"_s << u"openrouter"_s << u"gpt-4o"_s;
        QTest::newRow("prefixed") << u"groq/llama-3.3-70b-versatile"_s << u"groq"_s << u"llama-3.3-70b-versatile"_s;
        QTest::newRow("model unknown to the catalog") << u"my-finetune"_s << QString() << u"my-finetune"_s;
    }

    void overrideWins()
    {
        QFETCH(QString, overrideModel);
        QFETCH(QString, prefix);
        QFETCH(QString, model);

        PriceCatalog catalog = fixtureCatalog();
        const PriceCatalog untouched = catalog;
        catalog.setOverrides({PriceOverride {overrideModel, 1.0, 4.0, 0.5}});
        const auto price = catalog.find(prefix, model);
        QVERIFY(price);
        QCOMPARE(price->inputPerToken, 1e-06);
        QCOMPARE(price->outputPerToken, 4e-06);
        QCOMPARE(price->cachedInputPerToken, std::optional<double>(5e-07));
        QCOMPARE(price->source, u"workspace override"_s);
        // Copies do not share overrides.
        QCOMPARE(untouched.find(prefix, model) == price, false);
    }

    void overrideKeepsCatalogLimits()
    {
        PriceCatalog catalog = fixtureCatalog();
        catalog.setOverrides({PriceOverride {u"gpt-4o"_s, 2.0, 8.0, std::nullopt}});
        const auto price = catalog.find(QString(), u"gpt-4o"_s);
        QVERIFY(price);
        QCOMPARE(price->maxInputTokens, 128000);
        QVERIFY(price->supportsVision);
        QCOMPARE(price->cachedInputPerToken, std::nullopt);
        QCOMPARE(catalog.overrides().size(), 1);

        const auto entries = catalog.entries();
        const auto it
            = std::find_if(entries.begin(), entries.end(), [](const auto &e) { return e.first == "gpt-4o"_L1; });
        QVERIFY(it != entries.end());
        QCOMPARE(it->second.source, u"workspace override"_s);
        QVERIFY(std::is_sorted(
            entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.first < b.first; }));

        catalog.setOverrides({});
        QCOMPARE(catalog.find(QString(), u"gpt-4o"_s)->inputPerToken, 2.5e-06);
    }

    void layerReplacesOrFills()
    {
        PriceCatalog catalog = fixtureCatalog();
        catalog.setOverrides({PriceOverride {u"claude-sonnet-4-6"_s, 1.0, 2.0, std::nullopt}});
        ModelPrice fresh;
        fresh.inputPerToken = 2e-06;
        fresh.outputPerToken = 9e-06;
        fresh.maxInputTokens = 400000;
        fresh.source = u"openrouter 2026-11-23"_s;
        catalog.addLayer({{u"openrouter/openai/gpt-4o"_s, fresh}},
            {{u"gpt-4o"_s, fresh}, {u"claude-sonnet-4-6"_s, fresh}, {u"gpt-5"_s, fresh}});

        // A replacing entry wins over the catalog's entry under its key.
        QCOMPARE(catalog.find(u"openrouter"_s, u"openai/gpt-4o"_s), std::optional<ModelPrice>(fresh));
        // A filling entry never displaces an existing one ...
        QCOMPARE(catalog.find(QString(), u"gpt-4o"_s)->inputPerToken, 2.5e-06);
        QCOMPARE(catalog.find(QString(), u"gpt-4o"_s)->source, u"litellm 2025-11-21"_s);
        // ... but is found where the catalog had nothing.
        QCOMPARE(catalog.find(QString(), u"gpt-5"_s), std::optional<ModelPrice>(fresh));
        // Overrides still win, and take their limits from the layer entry.
        const auto overridden = catalog.find(QString(), u"claude-sonnet-4-6"_s);
        QVERIFY(overridden);
        QCOMPARE(overridden->source, u"workspace override"_s);
        QCOMPARE(overridden->inputPerToken, 1e-06);
        QCOMPARE(overridden->maxInputTokens, 400000);
    }

    void cost_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<qint64>("completion");
        QTest::addColumn<qint64>("cached");
        QTest::addColumn<qint64>("cacheWrite");
        QTest::addColumn<qint64>("reasoning");
        QTest::addColumn<qint64>("expectedNanoUsd");

        // 1000·2.5e-6 + 500·1e-5 = 0.0025 + 0.005
        QTest::newRow("plain") << u"gpt-4o"_s << qint64(1000) << qint64(500) << qint64(0) << qint64(0) << qint64(0)
                               << qint64(7'500'000);
        // 600·2.5e-6 + 400·1.25e-6 + 500·1e-5 = 0.0015 + 0.0005 + 0.005
        QTest::newRow("cached") << u"gpt-4o"_s << qint64(1000) << qint64(500) << qint64(400) << qint64(0) << qint64(0)
                                << qint64(7'000'000);
        // Reasoning is inside completion and has no own price here: 1000·2.5e-6 + 500·1e-5.
        QTest::newRow("reasoning without own price")
            << u"gpt-4o"_s << qint64(1000) << qint64(500) << qint64(0) << qint64(0) << qint64(300) << qint64(7'500'000);
        // No cache price known: cached tokens billed at the input price.
        QTest::newRow("cached without own price") << u"gpt-4o-mini"_s << qint64(1000) << qint64(10) << qint64(900)
                                                  << qint64(0) << qint64(0) << qint64(156'000);
        // 100·3e-6 + 700·3e-7 + 200·3.75e-6 + 50·1.5e-5 = 0.0003 + 0.00021 + 0.00075 + 0.00075
        QTest::newRow("cache read and write") << u"claude-sonnet-4-5"_s << qint64(1000) << qint64(50) << qint64(700)
                                              << qint64(200) << qint64(0) << qint64(2'010'000);
        // 1000·4e-7 + 200·1.2e-6 + 300·4e-6 = 0.0004 + 0.00024 + 0.0012
        QTest::newRow("reasoning with own price") << u"qwen-plus"_s << qint64(1000) << qint64(500) << qint64(0)
                                                  << qint64(0) << qint64(300) << qint64(1'840'000);
        // 7·1.5e-7 + 3·6e-7 = 1.05e-6 + 1.8e-6: sub-cent amounts stay exact to the nano-dollar.
        QTest::newRow("tiny") << u"gpt-4o-mini"_s << qint64(7) << qint64(3) << qint64(0) << qint64(0) << qint64(0)
                              << qint64(2'850);
        // 3·2e-8 = 6e-8 → 60 nano-dollars.
        QTest::newRow("embedding") << u"text-embedding-3-small"_s << qint64(3) << qint64(0) << qint64(0) << qint64(0)
                                   << qint64(0) << qint64(60);
    }

    void cost()
    {
        QFETCH(QString, model);
        QFETCH(qint64, prompt);
        QFETCH(qint64, completion);
        QFETCH(qint64, cached);
        QFETCH(qint64, cacheWrite);
        QFETCH(qint64, reasoning);
        QFETCH(qint64, expectedNanoUsd);

        const auto price = fixtureCatalog().find(QString(), model);
        QVERIFY(price);
        Usage usage;
        usage.promptTokens = prompt;
        usage.completionTokens = completion;
        usage.cachedTokens = cached;
        usage.cacheWriteTokens = cacheWrite;
        usage.reasoningTokens = reasoning;
        usage.isReported = true;
        QCOMPARE(PriceCatalog::cost(*price, usage).nanoUsd(), expectedNanoUsd);
    }

    void malformedCatalog_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("not json") << "{\"models\": {"_ba << u"not valid JSON"_s;
        QTest::newRow("no models") << "{\"source\":\"litellm\"}"_ba << u"“models”"_s;
        QTest::newRow("array") << "[]"_ba << u"“models”"_s;
        QTest::newRow("entry not an object") << R"({"models":{"m":3}})"_ba << u"“m” is not a JSON object"_s;
        QTest::newRow("price is a string")
            << R"({"models":{"m":{"mode":"chat","input_cost_per_token":"3e-06","output_cost_per_token":1}}})"_ba
            << u"“m” has an invalid “input_cost_per_token”"_s;
        QTest::newRow("chat without output price")
            << R"({"models":{"m":{"mode":"chat","input_cost_per_token":1e-06}}})"_ba
            << u"“m” has an invalid “output_cost_per_token”"_s;
        QTest::newRow("bad cache price")
            << R"({"models":{"m":{"mode":"chat","input_cost_per_token":1,"output_cost_per_token":1,"cache_read_input_token_cost":null}}})"_ba
            << u"“cache_read_input_token_cost”"_s;
    }

    void malformedCatalog()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, messagePart);
        const auto catalog = PriceCatalog::fromJson(json);
        QVERIFY(!catalog);
        QVERIFY2(catalog.errorMessage().contains(messagePart), qPrintable(catalog.errorMessage()));
    }

    void overrideJsonRoundTrip()
    {
        const PriceOverride full {u"groq/llama-3.3-70b-versatile"_s, 0.59, 0.79, 0.1};
        const auto parsed = PriceOverride::fromJson(full.toJson());
        QVERIFY2(parsed.isOk(), qPrintable(parsed.errorMessage()));
        QCOMPARE(parsed.value(), full);

        const PriceOverride noCache {u"gpt-4o"_s, 2.5, 10, std::nullopt};
        QVERIFY(!noCache.toJson().contains("cachedInputPerMillion"_L1));
        QCOMPARE(PriceOverride::fromJson(noCache.toJson()).value(), noCache);
    }

    void overrideJsonErrors_data()
    {
        QTest::addColumn<QJsonObject>("object");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("no model") << QJsonObject {{u"inputPerMillion"_s, 1}, {u"outputPerMillion"_s, 1}}
                                  << u"“model”"_s;
        QTest::newRow("no input") << QJsonObject {{u"model"_s, u"m"_s}, {u"outputPerMillion"_s, 1}}
                                  << u"“inputPerMillion”"_s;
        QTest::newRow("negative output") << QJsonObject {{u"model"_s, u"m"_s}, {u"inputPerMillion"_s, 1},
            {u"outputPerMillion"_s, -1}} << u"“outputPerMillion”"_s;
        QTest::newRow("cached as string") << QJsonObject {{u"model"_s, u"m"_s}, {u"inputPerMillion"_s, 1},
            {u"outputPerMillion"_s, 1}, {u"cachedInputPerMillion"_s, u"0.5"_s}}
                                          << u"“cachedInputPerMillion”"_s;
    }

    void overrideJsonErrors()
    {
        QFETCH(QJsonObject, object);
        QFETCH(QString, messagePart);
        const auto parsed = PriceOverride::fromJson(object);
        QVERIFY(!parsed);
        QVERIFY2(parsed.errorMessage().contains(messagePart), qPrintable(parsed.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(TestPriceCatalog)
#include "tst_pricecatalog.moc"
