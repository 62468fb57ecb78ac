#include "app/rehearsecommand.h"

#include "app/apppaths.h"
#include "app/console.h"
#include "core/catalog/pricelayer.h"
#include "core/config/workspacestore.h"
#include "core/gateway/routerehearsal.h"
#include "core/pricing/pricecatalog.h"
#include "core/routing/rehearsal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::App::RehearseCommand)
};
} // namespace

int RehearseCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Runs a route against a scripted scenario (failure rates, latencies, budgets per target) without "
               "sending anything, and reports which targets served, the attempts, latency and cost."));
    parser.addHelpOption();
    const QCommandLineOption scenarioOption(u"scenario"_s, Tr::tr("Scenario file (JSON)."), Tr::tr("FILE"));
    const QCommandLineOption configOption(u"config"_s, Tr::tr("Workspace file to use."), Tr::tr("FILE"));
    const QCommandLineOption formatOption(
        u"format"_s, Tr::tr("text or json (default text)."), Tr::tr("FORMAT"), u"text"_s);
    parser.addOptions({scenarioOption, configOption, formatOption});
    parser.addPositionalArgument(u"route"_s, Tr::tr("The route to rehearse."));
    if (!parser.parse(arguments)) {
        Console::err(parser.errorText());
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        Console::out(parser.helpText());
        return 0;
    }
    if (parser.positionalArguments().size() != 1 || !parser.isSet(scenarioOption)) {
        Console::err(Tr::tr("Usage: switchyard rehearse ROUTE --scenario FILE [--format text|json]"));
        return 2;
    }
    const QString format = parser.value(formatOption);
    if (format != u"text"_s && format != u"json"_s) {
        Console::err(Tr::tr("--format must be text or json (got \"%1\").").arg(format));
        return 2;
    }
    QFile file(parser.value(scenarioOption));
    if (!file.open(QIODevice::ReadOnly)) {
        Console::err(Tr::tr("Cannot read the scenario %1: %2").arg(file.fileName(), file.errorString()));
        return 1;
    }
    const auto scenario = Routing::RehearsalScenario::fromJson(file.readAll());
    if (!scenario) {
        Console::err(Tr::tr("The scenario %1 cannot be used: %2").arg(file.fileName(), scenario.errorMessage()));
        return 1;
    }
    Config::WorkspaceStore store(
        parser.isSet(configOption) ? parser.value(configOption) : AppPaths::defaults().workspaceFile);
    if (Status loaded = store.load(); !loaded) {
        Console::err(loaded.errorMessage());
        return 1;
    }
    QStringList priceProblems;
    const Pricing::PriceCatalog catalog
        = Catalog::PriceLayer::bundledWithLayer(AppPaths::defaults().dataDir, &priceProblems);
    for (const QString &problem : std::as_const(priceProblems)) {
        Console::err(Tr::tr("Some costs will show as unknown: %1").arg(problem));
    }
    const auto report = Gateway::RouteRehearsal::rehearse(
        store.workspace(), catalog, parser.positionalArguments().first(), scenario.value());
    if (!report) {
        Console::err(report.errorMessage());
        return 1;
    }
    QTextStream out(stdout);
    if (format == u"json"_s) {
        out << QJsonDocument(report->toJson()).toJson(QJsonDocument::Indented);
    } else {
        out << report->toText();
    }
    return 0;
}

} // namespace Switchyard::App
