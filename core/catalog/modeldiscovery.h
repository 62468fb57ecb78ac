#pragma once

#include "core/catalog/discoveredmodels.h"
#include "core/providers/providerprofile.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <map>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace Switchyard::Catalog {

// Fetches providers' live model lists on demand (GET {base}/models with the provider's own auth,
// following Anthropic's and Gemini's pages) and keeps the last list of each provider, in memory
// and, when given a cache directory, as <dir>/<provider id>.json so that the next start opens
// with it. Never blocks: every answer arrives as a signal.
class ModelDiscovery final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelDiscovery)

public:
    // <generic cache dir>/switchyard/models, e.g. ~/.cache/switchyard/models
    static QString defaultCacheDirectory();

    // Why a fetch failed, for callers that react differently to each (the message says it too).
    enum class FailureKind {
        NoKey, // the preset needs a key and none was given, or the server asked for one
        KeyRejected, // 401/403 (Gemini: 400 API_KEY_INVALID) with a key
        Unreachable, // refused, unknown host, reset…
        Timeout, // no complete list within the timeout
        Tls, // the TLS handshake failed
        HttpError, // another HTTP status (404, 429, 5xx…)
        InvalidAnswer, // 2xx without a model list, or endless pages
    };
    Q_ENUM(FailureKind)

    explicit ModelDiscovery(QObject *parent = nullptr);
    ~ModelDiscovery() override;

    // Empty (the default) keeps the lists in memory only.
    void setCacheDirectory(const QString &directory) { m_cacheDirectory = directory; }
    QString cacheDirectory() const { return m_cacheDirectory; }
    // Reads the cached lists (small files, read at once) without replacing a list fetched since,
    // and emits modelsUpdated() for each. Returns one translated line per file that could not be
    // read; such a file is skipped and replaced by the next fetch.
    QStringList loadCache();

    // For a whole list, all pages together; 30 s unless set.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Fetches the list of `profile` with its API key (empty for keyless servers), sent the way its
    // preset's wire format expects: "Authorization: Bearer", "x-api-key" with "anthropic-version",
    // or "x-goog-api-key"; the profile's extra headers follow. A fetch still running for the same
    // provider is abandoned without a signal. Answers with modelsUpdated() or discoveryFailed(),
    // always after returning. `missingKeyReason` (e.g. the credential resolver's problem) is the
    // failure's message when the preset needs a key and `apiKey` is empty.
    void fetch(const Providers::ProviderProfile &profile, const QString &apiKey, const QString &missingKeyReason = {});
    bool isFetching(const QString &providerId) const;

    // The last list fetched or loaded; a failed fetch keeps the previous one.
    std::optional<DiscoveredModels> models(const QString &providerId) const;
    QHash<QString, DiscoveredModels> allModels() const { return m_lists; }

signals:
    void modelsUpdated(const QString &providerId);
    // A translated message naming the provider, what went wrong and what to do.
    void discoveryFailed(
        const QString &providerId, const QString &message, Switchyard::Catalog::ModelDiscovery::FailureKind kind);

private:
    struct Fetch;

    void requestPage(Fetch *fetch, const QString &cursor);
    void handleReply(const QString &providerId, quint64 generation);
    void handleTimeout(const QString &providerId, quint64 generation);
    void fail(const QString &providerId, FailureKind kind, const QString &message);
    void store(DiscoveredModels list);
    QString cacheFilePath(const QString &providerId) const;

    QNetworkAccessManager *m_network = nullptr;
    QString m_cacheDirectory;
    std::chrono::milliseconds m_timeout {30'000};
    quint64 m_nextGeneration = 1;
    std::map<QString, std::unique_ptr<Fetch>> m_fetches;
    QHash<QString, DiscoveredModels> m_lists;
};

} // namespace Switchyard::Catalog
