#include "core/catalog/modelindexservice.h"

#include "core/catalog/modeldiscovery.h"
#include "core/catalog/pricelayer.h"
#include "core/config/workspacestore.h"
#include "core/pricing/priceoverride.h"
#include "core/secrets/credentialresolver.h"
#include "core/secrets/keychain.h"

#include <QLoggingCategory>
#include <QThread>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

Q_LOGGING_CATEGORY(lcModelIndexService, "switchyard.catalog.modelindexservice")

// Models do not change which list a provider answers with.
Providers::ProviderProfile listIdentity(Providers::ProviderProfile profile)
{
    profile.models.clear();
    return profile;
}

} // namespace

// Written by the worker thread, read once it has finished.
struct ModelIndexService::LoadedCatalog
{
    Pricing::PriceCatalog catalog;
    QStringList problems;
};

ModelIndexService::ModelIndexService(Config::WorkspaceStore *store, const QString &keychainService,
    const QString &dataDir, const QString &cacheDirectory, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_keychainService(keychainService)
    , m_dataDir(dataDir)
    , m_discovery(new ModelDiscovery(this))
{
    m_discovery->setCacheDirectory(cacheDirectory);
    connect(m_store, &Config::WorkspaceStore::changed, this, &ModelIndexService::handleWorkspaceChanged);
}

ModelIndexService::~ModelIndexService()
{
    // The bundled catalog takes a moment to parse; its thread must not outlive the service.
    if (m_catalogThread != nullptr) {
        m_catalogThread->wait();
    }
}

void ModelIndexService::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    m_problems += m_discovery->loadCache();
    if (!m_problems.isEmpty()) {
        emit problemsChanged();
    }
    // Connected after loading the cache: its lists are not answers to fetches.
    connect(m_discovery, &ModelDiscovery::modelsUpdated, this, &ModelIndexService::handleUpdated);
    connect(m_discovery, &ModelDiscovery::discoveryFailed, this, &ModelIndexService::handleFailed);

    m_loadedCatalog = std::make_shared<LoadedCatalog>();
    m_catalogThread = QThread::create([loaded = m_loadedCatalog, dataDir = m_dataDir] {
        loaded->catalog = PriceLayer::bundledWithLayer(dataDir, &loaded->problems);
    });
    m_catalogThread->setParent(this);
    connect(m_catalogThread, &QThread::finished, this, &ModelIndexService::handleCatalogLoaded);
    m_catalogThread->start();

    for (const Providers::ProviderProfile &profile : m_store->workspace().providers) {
        if (hasCurrentList(profile)) {
            m_fetchedProfiles.insert(profile.id, listIdentity(profile));
        } else {
            fetch(profile);
        }
    }
}

void ModelIndexService::refresh()
{
    if (!m_started || isRefreshing()) {
        return;
    }
    for (const Providers::ProviderProfile &profile : m_store->workspace().providers) {
        fetch(profile);
    }
}

QList<std::pair<QString, QString>> ModelIndexService::failures() const
{
    QList<std::pair<QString, QString>> failures;
    for (const Providers::ProviderProfile &profile : m_store->workspace().providers) {
        if (const auto it = m_failures.constFind(profile.id); it != m_failures.cend()) {
            failures.append({profile.id, it.value()});
        }
    }
    return failures;
}

QDateTime ModelIndexService::listedAt(const QString &providerId) const
{
    const Providers::ProviderProfile *profile = m_store->workspace().provider(providerId);
    if (profile == nullptr || !hasCurrentList(*profile)) {
        return {};
    }
    return m_discovery->models(providerId)->fetchedAt;
}

void ModelIndexService::fetch(const Providers::ProviderProfile &profile)
{
    const bool wasRefreshing = isRefreshing();
    m_pending.insert(profile.id);
    m_fetchedProfiles.insert(profile.id, listIdentity(profile));
    const quint64 generation = ++m_fetchGeneration[profile.id];
    // A keychain of its own per lookup: the resolver counts every answer of its keychain as its
    // own, and each problem line then belongs to this provider.
    auto *keychain = new Secrets::Keychain(m_keychainService, this);
    auto *resolver = new Secrets::CredentialResolver(keychain, keychain);
    connect(resolver, &Secrets::CredentialResolver::resolved, this,
        [this, profile, keychain, generation](const QHash<QString, QString> &secrets, const QStringList &problems) {
            keychain->deleteLater();
            if (m_fetchGeneration.value(profile.id) == generation) {
                m_discovery->fetch(profile, secrets.value(profile.id), problems.value(0));
            }
        });
    resolver->resolve({profile});
    if (!wasRefreshing) {
        emit refreshingChanged(true);
    }
}

void ModelIndexService::handleCatalogLoaded()
{
    m_catalog = std::move(m_loadedCatalog->catalog);
    m_catalog.setOverrides(Pricing::PriceOverride::listFromJson(m_store->workspace().priceOverrides));
    if (!m_loadedCatalog->problems.isEmpty()) {
        m_problems += m_loadedCatalog->problems;
        emit problemsChanged();
    }
    m_loadedCatalog.reset();
    m_catalogThread->deleteLater();
    m_catalogThread = nullptr;
    m_catalogLoaded = true;
    qCDebug(lcModelIndexService) << "price catalog read," << m_catalog.size() << "entries";
    rebuild();
}

void ModelIndexService::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    m_catalog.setOverrides(Pricing::PriceOverride::listFromJson(workspace.priceOverrides));
    QSet<QString> ids;
    for (const Providers::ProviderProfile &profile : workspace.providers) {
        ids.insert(profile.id);
        if (m_started && m_fetchedProfiles.value(profile.id) != listIdentity(profile)) {
            fetch(profile);
        }
    }
    // A removed provider's fetch still running is forgotten: it no longer holds up the refresh.
    const bool wasRefreshing = isRefreshing();
    const qsizetype failures = m_failures.size();
    m_pending.removeIf([&ids](const QString &id) { return !ids.contains(id); });
    m_failures.removeIf([&ids](QHash<QString, QString>::iterator it) { return !ids.contains(it.key()); });
    m_fetchedProfiles.removeIf(
        [&ids](QHash<QString, Providers::ProviderProfile>::iterator it) { return !ids.contains(it.key()); });
    if (m_failures.size() != failures) {
        emit failuresChanged();
    }
    if (wasRefreshing && !isRefreshing()) {
        emit refreshingChanged(false);
    }
    rebuild();
}

void ModelIndexService::handleUpdated(const QString &providerId)
{
    if (m_failures.remove(providerId)) {
        emit failuresChanged();
    }
    rebuild();
    finishFetch(providerId);
}

void ModelIndexService::handleFailed(const QString &providerId, const QString &message)
{
    qCDebug(lcModelIndexService) << "list of" << providerId << "not fetched";
    m_failures.insert(providerId, message);
    emit failuresChanged();
    finishFetch(providerId);
}

void ModelIndexService::finishFetch(const QString &providerId)
{
    if (m_pending.remove(providerId) && m_pending.isEmpty()) {
        emit refreshingChanged(false);
    }
}

bool ModelIndexService::hasCurrentList(const Providers::ProviderProfile &profile) const
{
    const auto list = m_discovery->models(profile.id);
    return list
        && list->baseUrl.adjusted(QUrl::StripTrailingSlash) == profile.baseUrl.adjusted(QUrl::StripTrailingSlash);
}

void ModelIndexService::rebuild()
{
    if (!m_catalogLoaded) {
        return;
    }
    m_index = ModelIndex::build(m_store->workspace().providers, m_discovery->allModels(), m_catalog);
    emit indexChanged();
}

} // namespace Switchyard::Catalog
