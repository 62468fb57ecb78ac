#include "core/catalog/modelindex.h"

#include "core/pricing/priceoverride.h"
#include "core/providers/providerpresets.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Catalog;

namespace {

const QByteArray catalogJson = R"({"source":"litellm","sourceDate":"2025-11-21","models":{
"gpt-4o":{"input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05,"cache_read_input_token_cost":1.25e-06,"litellm_provider":"openai","mode":"chat","max_input_tokens":128000,"max_output_tokens":16384,"supports_function_calling":true,"supports_vision":true},
"gpt-4o-mini":{"input_cost_per_token":1.5e-07,"output_cost_per_token":6e-07,"litellm_provider":"openai","mode":"chat","max_input_tokens":128000},
"text-embedding-3-small":{"input_cost_per_token":2e-08,"litellm_provider":"openai","mode":"embedding","max_input_tokens":8191},
"groq/llama-3.3-70b-versatile":{"input_cost_per_token":5.9e-07,"output_cost_per_token":7.9e-07,"litellm_provider":"groq","mode":"chat","max_input_tokens":128000,"max_output_tokens":32768},
"claude-sonnet-4-5":{"input_cost_per_token":3e-06,"output_cost_per_token":1.5e-05,"cache_read_input_token_cost":3e-07,"litellm_provider":"anthropic","mode":"chat","max_input_tokens":200000,"max_output_tokens":64000,"supports_reasoning":true}
}})"_ba;

Pricing::PriceCatalog catalog()
{
    auto result = Pricing::PriceCatalog::fromJson(catalogJson);
    if (!result) {
        qFatal("test catalog does not load: %s", qPrintable(result.errorMessage()));
    }
    return std::move(result).value();
}

Providers::ProviderProfile profile(const QString &preset, const QString &id, const QStringList &models = {})
{
    auto result = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(preset), id);
    result.models = models;
    return result;
}

ModelInfo model(const QString &id, qint64 contextWindow = 0)
{
    ModelInfo info;
    info.id = id;
    info.contextWindow = contextWindow;
    return info;
}

DiscoveredModels listOf(const Providers::ProviderProfile &provider, const QList<ModelInfo> &models)
{
    return {provider.id, provider.baseUrl, QDateTime(QDate(2026, 11, 23), QTime(9, 30), Qt::UTC), models};
}

} // namespace

class TestModelIndex : public QObject
{
    Q_OBJECT

private slots:
    void mergesLiveAndConfiguredModels()
    {
        const auto openai = profile(u"openai"_s, u"oa"_s, {u"gpt-4o-mini"_s, u"my-finetune"_s});
        ModelInfo gpt4o = model(u"gpt-4o"_s);
        gpt4o.displayName = u"GPT-4o"_s;
        const auto index = ModelIndex::build(
            {openai}, {{u"oa"_s, listOf(openai, {gpt4o, model(u"gpt-4o-mini"_s), model(u"gpt-4o"_s)})}}, catalog());

        QCOMPARE(index.rows().size(), 3); // the duplicate live entry counts once
        QStringList ids;
        for (const ModelIndexRow &row : index.rows()) {
            QCOMPARE(row.providerId, u"oa"_s);
            ids.append(row.modelId);
        }
        QCOMPARE(ids, (QStringList {u"gpt-4o"_s, u"gpt-4o-mini"_s, u"my-finetune"_s}));

        const ModelIndexRow *live = index.find(u"oa"_s, u"gpt-4o"_s);
        QVERIFY(live);
        QVERIFY(live->seenLive);
        QVERIFY(!live->configured);
        QCOMPARE(live->displayName, u"GPT-4o"_s);
        QCOMPARE(live->listedAt, QDateTime(QDate(2026, 11, 23), QTime(9, 30), Qt::UTC));

        const ModelIndexRow *both = index.find(u"oa"_s, u"gpt-4o-mini"_s);
        QVERIFY(both->seenLive);
        QVERIFY(both->configured);

        const ModelIndexRow *configuredOnly = index.find(u"oa"_s, u"my-finetune"_s);
        QVERIFY(!configuredOnly->seenLive);
        QVERIFY(configuredOnly->configured);
        QVERIFY(!configuredOnly->listedAt.isValid());

        QVERIFY(!index.find(u"oa"_s, u"gpt-5"_s));
        QVERIFY(!index.find(u"other"_s, u"gpt-4o"_s));
    }

    void catalogFillsWhatTheLiveListLacks()
    {
        const auto openai = profile(u"openai"_s, u"oa"_s);
        const auto index = ModelIndex::build({openai}, {{u"oa"_s, listOf(openai, {model(u"gpt-4o"_s)})}}, catalog());
        const ModelIndexRow *row = index.find(u"oa"_s, u"gpt-4o"_s);
        QVERIFY(row);
        QCOMPARE(row->contextWindow, 128000);
        QCOMPARE(row->maxOutputTokens, 16384);
        QCOMPARE(row->inputPerMillion, std::optional<double>(2.5));
        QCOMPARE(row->cachedInputPerMillion, std::optional<double>(1.25));
        QCOMPARE(row->outputPerMillion, std::optional<double>(10.0));
        QCOMPARE(row->priceSource, u"litellm 2025-11-21"_s);
        QCOMPARE(row->capabilities, Capability::Chat | Capability::Tools | Capability::Vision);
    }

    void liveListWinsForLimits()
    {
        const auto openai = profile(u"openai"_s, u"oa"_s);
        ModelInfo live = model(u"gpt-4o"_s, 1000000);
        live.capabilities = Capability::Reasoning;
        const auto index = ModelIndex::build({openai}, {{u"oa"_s, listOf(openai, {live})}}, catalog());
        const ModelIndexRow *row = index.find(u"oa"_s, u"gpt-4o"_s);
        QCOMPARE(row->contextWindow, 1000000);
        QCOMPARE(row->maxOutputTokens, 16384); // the list states none
        QCOMPARE(row->capabilities, Capability::Chat | Capability::Tools | Capability::Vision | Capability::Reasoning);
    }

    void unknownPriceStaysUnknown()
    {
        const auto local = profile(u"ollama"_s, u"local"_s);
        const auto index
            = ModelIndex::build({local}, {{u"local"_s, listOf(local, {model(u"llama3.2:latest"_s)})}}, catalog());
        const ModelIndexRow *row = index.find(u"local"_s, u"llama3.2:latest"_s);
        QVERIFY(row);
        QCOMPARE(row->inputPerMillion, std::nullopt);
        QCOMPARE(row->cachedInputPerMillion, std::nullopt);
        QCOMPARE(row->outputPerMillion, std::nullopt);
        QVERIFY(row->priceSource.isEmpty());
        QCOMPARE(row->contextWindow, 0);

        const QJsonObject json = row->toJson();
        QVERIFY(json.value("inputPerMillion"_L1).isNull());
        QVERIFY(json.value("outputPerMillion"_L1).isNull());
        QVERIFY(json.value("contextWindow"_L1).isNull());
        QVERIFY(json.value("priceSource"_L1).isNull());
        QCOMPARE(json.value("seenLive"_L1).toBool(), true);
    }

    void pricesUseTheProvidersPrefix()
    {
        const auto groq = profile(u"groq"_s, u"groq"_s, {u"llama-3.3-70b-versatile"_s});
        const auto index = ModelIndex::build({groq}, {}, catalog());
        const ModelIndexRow *row = index.find(u"groq"_s, u"llama-3.3-70b-versatile"_s);
        QCOMPARE(row->inputPerMillion, std::optional<double>(0.59));
        QCOMPARE(row->outputPerMillion, std::optional<double>(0.79));
        QCOMPARE(row->cachedInputPerMillion, std::nullopt); // no separate cache price: unknown, not 0
        QCOMPARE(row->contextWindow, 128000);
    }

    void embeddingModelHasNoOutputPrice()
    {
        const auto openai = profile(u"openai"_s, u"oa"_s, {u"text-embedding-3-small"_s});
        const auto index = ModelIndex::build({openai}, {}, catalog());
        const ModelIndexRow *row = index.find(u"oa"_s, u"text-embedding-3-small"_s);
        QCOMPARE(row->inputPerMillion, std::optional<double>(0.02));
        QCOMPARE(row->capabilities, Capabilities(Capability::Embeddings));
    }

    void overrideWins()
    {
        auto prices = catalog();
        prices.setOverrides({Pricing::PriceOverride {u"gpt-4o"_s, 2.0, 8.0, std::nullopt}});
        const auto openai = profile(u"openai"_s, u"oa"_s, {u"gpt-4o"_s});
        const auto index = ModelIndex::build({openai}, {}, prices);
        const ModelIndexRow *row = index.find(u"oa"_s, u"gpt-4o"_s);
        QCOMPARE(row->inputPerMillion, std::optional<double>(2.0));
        QCOMPARE(row->cachedInputPerMillion, std::nullopt);
        QCOMPARE(row->priceSource, u"workspace override"_s);
        QCOMPARE(row->contextWindow, 128000);
    }

    void liveListPricesWhenTheCatalogHasNone()
    {
        const auto openrouter = profile(u"openrouter"_s, u"or"_s);
        ModelInfo priced = model(u"acme/new-model"_s, 32000);
        priced.inputPerToken = 1e-06;
        priced.outputPerToken = 2e-06;
        const auto index = ModelIndex::build({openrouter}, {{u"or"_s, listOf(openrouter, {priced})}}, catalog());
        const ModelIndexRow *row = index.find(u"or"_s, u"acme/new-model"_s);
        QCOMPARE(row->inputPerMillion, std::optional<double>(1.0));
        QCOMPARE(row->outputPerMillion, std::optional<double>(2.0));
        QCOMPARE(row->cachedInputPerMillion, std::nullopt);
        QCOMPARE(row->priceSource, u"or model list 2026-11-23"_s);
    }

    void catalogPriceWinsOverTheLiveList()
    {
        const auto anthropic = profile(u"anthropic"_s, u"claude"_s);
        ModelInfo live = model(u"claude-sonnet-4-5-20250929"_s);
        live.inputPerToken = 9e-06;
        live.outputPerToken = 9e-06;
        const auto index = ModelIndex::build({anthropic}, {{u"claude"_s, listOf(anthropic, {live})}}, catalog());
        const ModelIndexRow *row = index.find(u"claude"_s, u"claude-sonnet-4-5-20250929"_s);
        QCOMPARE(row->inputPerMillion, std::optional<double>(3.0)); // via the date-less catalog key
        QCOMPARE(row->priceSource, u"litellm 2025-11-21"_s);
        QVERIFY(row->capabilities.testFlag(Capability::Reasoning));
    }

    void listFromAnotherBaseUrlIsIgnored()
    {
        auto custom = profile(u"custom"_s, u"box"_s);
        DiscoveredModels stale = listOf(custom, {model(u"old-model"_s)});
        custom.baseUrl = QUrl(u"http://elsewhere:8080/v1"_s);
        QVERIFY(ModelIndex::build({custom}, {{u"box"_s, stale}}, catalog()).rows().isEmpty());

        // A trailing slash is the same address.
        stale.baseUrl = QUrl(u"http://elsewhere:8080/v1/"_s);
        QCOMPARE(ModelIndex::build({custom}, {{u"box"_s, stale}}, catalog()).rows().size(), 1);
    }

    void providersKeepWorkspaceOrder()
    {
        const auto second = profile(u"openai"_s, u"b-second"_s, {u"gpt-4o"_s});
        const auto first = profile(u"groq"_s, u"a-first"_s, {u"llama-3.3-70b-versatile"_s});
        const auto index = ModelIndex::build({second, first}, {}, catalog());
        QCOMPARE(index.rows().size(), 2);
        QCOMPARE(index.rows().at(0).providerId, u"b-second"_s);
        QCOMPARE(index.rows().at(1).providerId, u"a-first"_s);
    }

    void rowJson()
    {
        const auto openai = profile(u"openai"_s, u"oa"_s, {u"gpt-4o"_s});
        const auto index = ModelIndex::build({openai}, {{u"oa"_s, listOf(openai, {model(u"gpt-4o"_s)})}}, catalog());
        const QJsonObject json = index.find(u"oa"_s, u"gpt-4o"_s)->toJson();
        QCOMPARE(json.value("provider"_L1).toString(), u"oa"_s);
        QCOMPARE(json.value("model"_L1).toString(), u"gpt-4o"_s);
        QVERIFY(json.value("displayName"_L1).isNull());
        QCOMPARE(json.value("contextWindow"_L1).toInteger(), 128000);
        QCOMPARE(json.value("inputPerMillion"_L1).toDouble(), 2.5);
        QCOMPARE(json.value("capabilities"_L1).toArray(), (QJsonArray {u"chat"_s, u"tools"_s, u"vision"_s}));
        QCOMPARE(json.value("priceSource"_L1).toString(), u"litellm 2025-11-21"_s);
        QCOMPARE(json.value("configured"_L1).toBool(), true);
        QCOMPARE(json.value("listedAt"_L1).toString(), u"2026-11-23T09:30:00Z"_s);
    }
};

QTEST_GUILESS_MAIN(TestModelIndex)
#include "tst_modelindex.moc"
