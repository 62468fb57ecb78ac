#include "app/modelscommand.h"

#include "app/apppaths.h"
#include "app/console.h"
#include "app/pricescommand.h"
#include "core/catalog/modeldiscovery.h"
#include "core/catalog/modelindex.h"
#include "core/config/workspacestore.h"
#include "core/secrets/credentialresolver.h"
#include "core/secrets/keychain.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

namespace {

QString price(const std::optional<double> &perMillion)
{
    return perMillion ? QString::number(*perMillion, 'g', 10) : u"-"_s;
}

QString tokens(qint64 count)
{
    return count > 0 ? QString::number(count) : u"-"_s;
}

// Columns padded to their widest cell; numeric columns aligned right.
QString formatTable(const QList<QStringList> &rows, const QList<bool> &alignRight)
{
    QList<qsizetype> widths(alignRight.size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype column = 0; column < row.size(); ++column) {
            widths[column] = std::max(widths[column], row.at(column).size());
        }
    }
    QString text;
    for (const QStringList &row : rows) {
        QStringList cells;
        for (qsizetype column = 0; column < row.size(); ++column) {
            cells.append(alignRight.at(column) ? row.at(column).rightJustified(widths.at(column))
                                               : row.at(column).leftJustified(widths.at(column)));
        }
        text += cells.join(u"  "_s).trimmed() + u'\n';
    }
    return text;
}

} // namespace

ModelsCommand::ModelsCommand(QObject *parent)
    : QObject(parent)
{
}

ModelsCommand::~ModelsCommand() = default;

bool ModelsCommand::start(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Lists the models of the configured providers: fetched live from each provider, merged with the "
           "workspace's model lists and the price catalog."));
    parser.addHelpOption();
    const QCommandLineOption providerOption(
        u"provider"_s, tr("Only this provider (its id in the workspace)."), tr("ID"));
    const QCommandLineOption jsonOption(u"json"_s, tr("Print JSON instead of a table."));
    const QCommandLineOption configOption(u"config"_s, tr("Workspace file to use."), tr("FILE"));
    const QCommandLineOption dataDirOption(u"data-dir"_s, tr("Folder of the refreshed prices."), tr("DIR"));
    parser.addOptions({providerOption, jsonOption, configOption, dataDirOption});
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
    if (!parser.positionalArguments().isEmpty()) {
        Console::err(tr("Usage: switchyard models [--provider ID] [--json] [--config FILE] [--data-dir DIR]"));
        return false;
    }
    m_json = parser.isSet(jsonOption);
    AppPaths paths = AppPaths::defaults();
    if (parser.isSet(configOption)) {
        paths.workspaceFile = parser.value(configOption);
    }
    if (parser.isSet(dataDirOption)) {
        paths.dataDir = parser.value(dataDirOption);
    }

    Config::WorkspaceStore store(paths.workspaceFile);
    if (Status loaded = store.load(); !loaded) {
        Console::err(loaded.errorMessage());
        return false;
    }
    const Config::Workspace &workspace = store.workspace();
    m_providers = workspace.providers;
    if (parser.isSet(providerOption)) {
        const QString id = parser.value(providerOption);
        const Providers::ProviderProfile *profile = workspace.provider(id);
        if (profile == nullptr) {
            Console::err(tr("The workspace %1 has no provider “%2”.").arg(paths.workspaceFile, id));
            return false;
        }
        m_providers = {*profile};
    }
    if (m_providers.isEmpty()) {
        Console::err(tr("No providers are configured yet: add one in the Switchyard window or in the workspace file "
                        "%1.")
                         .arg(paths.workspaceFile));
        return false;
    }

    QStringList problems;
    m_catalog = PricesCommand::effectiveCatalog(paths.dataDir, workspace, &problems);
    m_discovery = new Catalog::ModelDiscovery(this);
    m_discovery->setCacheDirectory(Catalog::ModelDiscovery::defaultCacheDirectory());
    problems += m_discovery->loadCache();
    for (const QString &problem : std::as_const(problems)) {
        Console::err(problem);
    }
    // Connected after loading the cache, whose lists are not answers to this run's fetches.
    connect(m_discovery, &Catalog::ModelDiscovery::modelsUpdated, this, &ModelsCommand::handleDone);
    connect(m_discovery, &Catalog::ModelDiscovery::discoveryFailed, this, &ModelsCommand::handleFailed);

    for (const Providers::ProviderProfile &profile : std::as_const(m_providers)) {
        m_pending.insert(profile.id);
        // One resolver per provider, each with its own keychain, so that every problem line
        // belongs to a known provider.
        auto *resolver = new Secrets::CredentialResolver(new Secrets::Keychain(u"switchyard"_s, this), this);
        connect(resolver, &Secrets::CredentialResolver::resolved, this,
            [this, profile](const QHash<QString, QString> &secrets, const QStringList &resolveProblems) {
                m_discovery->fetch(profile, secrets.value(profile.id), resolveProblems.value(0));
            });
        resolver->resolve({profile});
    }
    return true;
}

void ModelsCommand::handleDone(const QString &providerId)
{
    if (m_pending.remove(providerId) && m_pending.isEmpty()) {
        print();
    }
}

void ModelsCommand::handleFailed(const QString &providerId, const QString &message)
{
    if (!m_pending.remove(providerId)) {
        return;
    }
    m_failures.append({providerId, message});
    if (m_pending.isEmpty()) {
        print();
    }
}

void ModelsCommand::print()
{
    const auto providerIndex = [this](const QString &id) {
        return std::find_if(m_providers.cbegin(), m_providers.cend(), [&id](const auto &p) { return p.id == id; })
            - m_providers.cbegin();
    };
    std::sort(m_failures.begin(), m_failures.end(),
        [&providerIndex](const auto &a, const auto &b) { return providerIndex(a.first) < providerIndex(b.first); });
    const Catalog::ModelIndex index = Catalog::ModelIndex::build(m_providers, m_discovery->allModels(), m_catalog);

    QJsonArray failures;
    for (const auto &[providerId, message] : std::as_const(m_failures)) {
        Console::err(message);
        const auto cached = m_discovery->models(providerId);
        if (cached) {
            Console::err(tr("Provider %1: showing its model list from %2.")
                             .arg(providerId, cached->fetchedAt.toUTC().toString(Qt::ISODate)));
        }
        failures.append(QJsonObject {
            {u"provider"_s, providerId},
            {u"message"_s, message},
            {u"cachedListFrom"_s, cached ? QJsonValue(cached->fetchedAt.toUTC().toString(Qt::ISODate)) : QJsonValue()},
        });
    }

    QTextStream out(stdout);
    if (m_json) {
        QJsonArray models;
        for (const Catalog::ModelIndexRow &row : index.rows()) {
            models.append(row.toJson());
        }
        out << QJsonDocument(QJsonObject {{u"models"_s, models}, {u"failures"_s, failures}})
                   .toJson(QJsonDocument::Indented);
        finish(0);
        return;
    }
    if (index.rows().isEmpty()) {
        Console::err(tr("No models found: the providers listed none and their profiles name none."));
        finish(0);
        return;
    }
    QList<QStringList> table {{tr("Provider"), tr("Model"), tr("Context"), tr("Max Output"), tr("Input $/1M"),
        tr("Cached $/1M"), tr("Output $/1M"), tr("Capabilities"), tr("Live"), tr("Price Source")}};
    for (const Catalog::ModelIndexRow &row : index.rows()) {
        table.append({row.providerId, row.modelId, tokens(row.contextWindow), tokens(row.maxOutputTokens),
            price(row.inputPerMillion), price(row.cachedInputPerMillion), price(row.outputPerMillion),
            Catalog::ModelInfo::capabilityNames(row.capabilities).join(u','), row.seenLive ? tr("yes") : tr("no"),
            row.priceSource.isEmpty() ? tr("unknown") : row.priceSource});
    }
    out << formatTable(table, {false, false, true, true, true, true, true, false, false, false});
    finish(0);
}

void ModelsCommand::finish(int exitCode)
{
    QCoreApplication::exit(exitCode);
}

} // namespace Switchyard::App
