#include "app/pricescommand.h"

#include "app/apppaths.h"
#include "app/console.h"
#include "core/catalog/pricelayer.h"
#include "core/catalog/pricerefresh.h"
#include "core/config/workspacestore.h"
#include "core/pricing/priceoverride.h"
#include "core/providers/providerpresets.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

namespace {

// Each price source laid over the previous one, as the gateway combines them.
struct PriceStages
{
    Pricing::PriceCatalog bundled;
    Catalog::PriceLayer refreshed;
    Pricing::PriceCatalog layered; // bundled + refreshed
    Pricing::PriceCatalog effective; // layered + workspace overrides
};

PriceStages loadStages(const QString &dataDir, const Config::Workspace &workspace, QStringList *problems)
{
    PriceStages stages;
    auto bundled = Pricing::PriceCatalog::loadBundled();
    if (bundled) {
        stages.bundled = std::move(bundled).value();
    } else {
        problems->append(bundled.errorMessage());
    }
    auto layer = Catalog::PriceLayer::load(Catalog::PriceLayer::filePathIn(dataDir));
    if (layer) {
        stages.refreshed = std::move(layer).value();
    } else {
        problems->append(layer.errorMessage());
    }
    stages.layered = stages.bundled;
    stages.refreshed.applyTo(stages.layered);
    stages.effective = stages.layered;
    stages.effective.setOverrides(Pricing::PriceOverride::listFromJson(workspace.priceOverrides, problems));
    return stages;
}

// USD per million tokens, rounded to a millionth of a dollar so that 2.5e-06 per token reads 2.5.
QString perMillion(const std::optional<double> &perToken)
{
    return perToken ? QString::number(std::round(*perToken * 1e12) / 1e6, 'g', 10) : PricesCommand::tr("unknown");
}

QString tokens(qint64 count)
{
    return count > 0 ? QString::number(count) : PricesCommand::tr("unknown");
}

} // namespace

PricesCommand::PricesCommand(QObject *parent)
    : QObject(parent)
{
}

Pricing::PriceCatalog PricesCommand::effectiveCatalog(
    const QString &dataDir, const Config::Workspace &workspace, QStringList *problems)
{
    return loadStages(dataDir, workspace, problems).effective;
}

bool PricesCommand::start(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Model prices: the bundled catalog, prices refreshed from OpenRouter, and the workspace's overrides.\n\n"
           "  prices refresh [--source-url URL]   fetch current prices from OpenRouter's public model list\n"
           "  prices show MODEL [--provider ID]   every known price of a model, its source and date"));
    parser.addHelpOption();
    const QCommandLineOption sourceUrlOption(u"source-url"_s,
        tr("Where to fetch prices from (default %1).").arg(Catalog::PriceRefresh::defaultSourceUrl().toString()),
        tr("URL"));
    const QCommandLineOption providerOption(u"provider"_s,
        tr("Look the model up as this provider does (a workspace provider id or a preset id)."), tr("ID"));
    const QCommandLineOption configOption(u"config"_s, tr("Workspace file to use."), tr("FILE"));
    const QCommandLineOption dataDirOption(
        u"data-dir"_s, tr("Folder of the refreshed prices and the ledger."), tr("DIR"));
    parser.addOptions({sourceUrlOption, providerOption, configOption, dataDirOption});
    parser.addPositionalArgument(u"action"_s, tr("refresh or show"));
    if (!parser.parse(arguments)) {
        Console::err(parser.errorText());
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        Console::out(parser.helpText());
        QMetaObject::invokeMethod(
            this, [this] { finish(0); }, Qt::QueuedConnection);
        return true;
    }
    AppPaths paths = AppPaths::defaults();
    if (parser.isSet(configOption)) {
        paths.workspaceFile = parser.value(configOption);
    }
    if (parser.isSet(dataDirOption)) {
        paths.dataDir = parser.value(dataDirOption);
    }
    const QStringList words = parser.positionalArguments();
    if (words.size() == 1 && words.at(0) == u"refresh"_s) {
        return refresh(parser.value(sourceUrlOption), paths.dataDir);
    }
    if (words.size() == 2 && words.at(0) == u"show"_s) {
        const int exitCode = show(words.at(1), parser.value(providerOption), paths.workspaceFile, paths.dataDir);
        QMetaObject::invokeMethod(
            this, [this, exitCode] { finish(exitCode); }, Qt::QueuedConnection);
        return true;
    }
    Console::err(tr("Usage: switchyard prices refresh [--source-url URL] | switchyard prices show MODEL "
                    "[--provider ID]"));
    return false;
}

bool PricesCommand::refresh(const QString &sourceUrl, const QString &dataDir)
{
    m_refresh = new Catalog::PriceRefresh(Catalog::PriceLayer::filePathIn(dataDir), this);
    if (!sourceUrl.isEmpty()) {
        const QUrl url(sourceUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
            Console::err(tr("--source-url expects an http or https URL (got “%1”).").arg(sourceUrl));
            return false;
        }
        m_refresh->setSourceUrl(url);
    }
    connect(m_refresh, &Catalog::PriceRefresh::finished, this, [this](int count) {
        Console::out(
            tr("Saved the prices from %1 to %2 (models priced: %3).")
                .arg(m_refresh->sourceUrl().toDisplayString(), m_refresh->layerFilePath(), QString::number(count)));
        finish(0);
    });
    connect(m_refresh, &Catalog::PriceRefresh::failed, this, [this](const QString &message) {
        Console::err(message);
        finish(1);
    });
    Console::out(tr("Fetching prices from %1 ...").arg(m_refresh->sourceUrl().toDisplayString()));
    m_refresh->start();
    return true;
}

int PricesCommand::show(
    const QString &model, const QString &providerId, const QString &configFile, const QString &dataDir)
{
    Config::WorkspaceStore store(configFile);
    if (Status loaded = store.load(); !loaded) {
        Console::err(loaded.errorMessage());
        return 1;
    }
    const Config::Workspace &workspace = store.workspace();
    QString pricingPrefix;
    if (!providerId.isEmpty()) {
        const Providers::ProviderProfile *profile = workspace.provider(providerId);
        const auto preset = Providers::ProviderPresets::find(profile != nullptr ? profile->preset : providerId);
        if (!preset) {
            Console::err(tr("Unknown provider “%1”: give the id of a provider in the workspace or a preset such as "
                            "openai, anthropic, gemini, groq or openrouter.")
                             .arg(providerId));
            return 2;
        }
        pricingPrefix = preset->pricingPrefix;
    }

    QStringList problems;
    const PriceStages stages = loadStages(dataDir, workspace, &problems);
    for (const QString &problem : std::as_const(problems)) {
        Console::err(problem);
    }

    // In precedence order, so the first one is in effect.
    QList<Pricing::ModelPrice> prices;
    if (auto price = stages.effective.find(pricingPrefix, model); price && price->source == u"workspace override"_s) {
        prices.append(*price);
    }
    if (auto price = stages.layered.find(pricingPrefix, model);
        price && !stages.refreshed.isEmpty() && price->source == stages.refreshed.sourceLabel()) {
        prices.append(*price);
    }
    if (auto price = stages.bundled.find(pricingPrefix, model)) {
        prices.append(*price);
    }
    if (prices.isEmpty()) {
        Console::err(tr("No price is known for %1. Add a price override to the workspace, or run “switchyard prices "
                        "refresh” for models newer than the bundled catalog.")
                         .arg(model));
        return 1;
    }

    Console::out(tr("Prices of %1 in US dollars per million tokens; * marks the one in effect:").arg(model));
    for (qsizetype i = 0; i < prices.size(); ++i) {
        const Pricing::ModelPrice &price = prices.at(i);
        //: %1 is "*" for the price in effect, %2 where the price comes from with its date.
        Console::out(tr("%1 %2: input %3, cached input %4, output %5; context window %6, max output %7")
                         .arg(i == 0 ? u"*"_s : u" "_s, price.source, perMillion(price.inputPerToken),
                             perMillion(price.cachedInputPerToken), perMillion(price.outputPerToken),
                             tokens(price.maxInputTokens), tokens(price.maxOutputTokens)));
    }
    if (!stages.refreshed.isEmpty()) {
        Console::out(tr("Refreshed prices come from %1, fetched %2.")
                         .arg(stages.refreshed.sourceUrl().toDisplayString(),
                             stages.refreshed.fetchedAt().toUTC().toString(Qt::ISODate)));
    }
    return 0;
}

void PricesCommand::finish(int exitCode)
{
    QCoreApplication::exit(exitCode);
}

} // namespace Switchyard::App
