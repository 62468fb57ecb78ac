#pragma once

#include "core/catalog/connectionreport.h"
#include "core/providers/providerprofile.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>

namespace Switchyard::Secrets {
class CredentialResolver;
}

namespace Switchyard::Catalog {

class ModelDiscovery;

// Checks that a provider answers with its key: fetches its model list (ModelDiscovery, kept in
// memory only, so a profile being edited never replaces the cached list of a saved one) and
// reports the time taken and the number of models, or why it failed. One test at a time; a new
// start() abandons the one running.
class ConnectionTest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTest)

public:
    // keychain: references are read from the keychain service keychainService, through a
    // Keychain of the test's own.
    explicit ConnectionTest(const QString &keychainService, QObject *parent = nullptr);

    // 15 s unless set.
    void setTimeout(std::chrono::milliseconds timeout);

    // Resolves the profile's credentialRef, then fetches the list.
    void start(const Providers::ProviderProfile &profile);
    // With apiKey as given, e.g. a key typed but not stored yet.
    void start(const Providers::ProviderProfile &profile, const QString &apiKey);
    // No finished() for the test running, if any.
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    // Always after start() has returned.
    void finished(const Switchyard::Catalog::ConnectionReport &report);

private:
    void handleResolved(const QHash<QString, QString> &secretByProviderId, const QStringList &problems);
    void fetch(const QString &apiKey, const QString &missingKeyReason = {});
    void handleModelsUpdated(const QString &providerId);
    void handleFailed(const QString &providerId, const QString &message, ModelDiscovery::FailureKind kind);
    void finish(ConnectionReport report);

    ModelDiscovery *m_discovery = nullptr;
    Secrets::CredentialResolver *m_resolver = nullptr;
    Providers::ProviderProfile m_profile;
    QElapsedTimer m_elapsed;
    bool m_running = false;
    bool m_resolving = false;
};

} // namespace Switchyard::Catalog
