#pragma once

#include "core/catalog/modelindex.h"
#include "core/pricing/pricecatalog.h"
#include "core/providers/providerprofile.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <utility>

class QThread;

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Catalog {

class ModelDiscovery;

// Keeps a ModelIndex of the workspace's providers current for the desktop's models explorer:
// the price catalog (bundled, the user price layer, the workspace's overrides) is read on a
// worker thread, the cached live lists at start, and each provider's live list is fetched with
// its own key. A provider whose list cannot be fetched keeps its previous list and its failure
// is reported until a fetch succeeds; the other providers are not held up by it.
class ModelIndexService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelIndexService)

public:
    // Keys are read from the keychain under keychainService; dataDir holds the user price layer
    // (PriceLayer::filePathIn); cacheDirectory the live lists (empty: memory only).
    ModelIndexService(Config::WorkspaceStore *store, const QString &keychainService, const QString &dataDir,
        const QString &cacheDirectory, QObject *parent = nullptr);
    ~ModelIndexService() override;

    // Reads the cached lists, starts reading the price catalog and fetches the lists of the
    // providers that have none for their current base URL. Only the first call does anything.
    void start();
    bool isStarted() const { return m_started; }
    // Fetches every provider's list again; ignored before start() and while a refresh runs.
    void refresh();
    bool isRefreshing() const { return !m_pending.isEmpty(); }
    // Until the price catalog is read the index is empty: prices are not shown as unknown when
    // they are only not read yet.
    bool isCatalogLoaded() const { return m_catalogLoaded; }

    const ModelIndex &index() const { return m_index; }
    // The providers whose last fetch failed, in workspace order, each with a translated message
    // naming the provider, what went wrong and what to do.
    QList<std::pair<QString, QString>> failures() const;
    // When the live list the index shows for the provider was fetched; invalid when it shows none.
    QDateTime listedAt(const QString &providerId) const;
    // What could not be read: the price catalog, the price layer, cached lists.
    QStringList problems() const { return m_problems; }

signals:
    void indexChanged();
    void failuresChanged();
    void refreshingChanged(bool refreshing);
    void problemsChanged();

private:
    struct LoadedCatalog;

    void fetch(const Providers::ProviderProfile &profile);
    void handleCatalogLoaded();
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    void handleUpdated(const QString &providerId);
    void handleFailed(const QString &providerId, const QString &message);
    void finishFetch(const QString &providerId);
    bool hasCurrentList(const Providers::ProviderProfile &profile) const;
    void rebuild();

    Config::WorkspaceStore *m_store = nullptr;
    QString m_keychainService;
    QString m_dataDir;
    ModelDiscovery *m_discovery = nullptr;
    QThread *m_catalogThread = nullptr;
    std::shared_ptr<LoadedCatalog> m_loadedCatalog;
    Pricing::PriceCatalog m_catalog;
    bool m_catalogLoaded = false;
    bool m_started = false;
    ModelIndex m_index;
    QSet<QString> m_pending;
    QHash<QString, quint64> m_fetchGeneration; // by provider: only the newest key lookup fetches
    // The profile each provider's list was last asked for (models left out: they do not change
    // the list), so that a changed URL, key or header fetches it again.
    QHash<QString, Providers::ProviderProfile> m_fetchedProfiles;
    QHash<QString, QString> m_failures;
    QStringList m_problems;
};

} // namespace Switchyard::Catalog
