#include "core/catalog/connectiontest.h"

#include "core/catalog/modeldiscovery.h"
#include "core/secrets/credentialresolver.h"
#include "core/secrets/keychain.h"

#include <QLoggingCategory>

using namespace std::chrono_literals;

namespace Switchyard::Catalog {

namespace {

Q_LOGGING_CATEGORY(lcConnectionTest, "switchyard.catalog.connectiontest")

} // namespace

ConnectionTest::ConnectionTest(const QString &keychainService, QObject *parent)
    : QObject(parent)
    , m_discovery(new ModelDiscovery(this))
    , m_resolver(new Secrets::CredentialResolver(new Secrets::Keychain(keychainService, this), this))
{
    m_discovery->setTimeout(15s);
    connect(m_resolver, &Secrets::CredentialResolver::resolved, this, &ConnectionTest::handleResolved);
    connect(m_discovery, &ModelDiscovery::modelsUpdated, this, &ConnectionTest::handleModelsUpdated);
    connect(m_discovery, &ModelDiscovery::discoveryFailed, this, &ConnectionTest::handleFailed);
}

void ConnectionTest::setTimeout(std::chrono::milliseconds timeout)
{
    m_discovery->setTimeout(timeout);
}

void ConnectionTest::start(const Providers::ProviderProfile &profile)
{
    m_profile = profile;
    m_running = true;
    m_resolving = true;
    // Resolves asynchronously even for env: and empty references, so finished() comes after return.
    m_resolver->resolve({profile});
}

void ConnectionTest::start(const Providers::ProviderProfile &profile, const QString &apiKey)
{
    m_profile = profile;
    m_running = true;
    m_resolving = false;
    fetch(apiKey);
}

void ConnectionTest::cancel()
{
    m_running = false;
    m_resolving = false;
}

void ConnectionTest::handleResolved(const QHash<QString, QString> &secretByProviderId, const QStringList &problems)
{
    if (!m_running || !m_resolving) {
        return;
    }
    m_resolving = false;
    fetch(secretByProviderId.value(m_profile.id), problems.value(0));
}

void ConnectionTest::fetch(const QString &apiKey, const QString &missingKeyReason)
{
    qCDebug(lcConnectionTest) << "testing" << m_profile.id << m_profile.baseUrl.toDisplayString();
    m_elapsed.start();
    m_discovery->fetch(m_profile, apiKey, missingKeyReason);
}

void ConnectionTest::handleModelsUpdated(const QString &providerId)
{
    if (!m_running || m_resolving || providerId != m_profile.id) {
        return;
    }
    ConnectionReport report;
    report.providerId = providerId;
    report.succeeded = true;
    report.latencyMs = m_elapsed.elapsed();
    const auto list = m_discovery->models(providerId);
    report.modelCount = list ? int(list->models.size()) : 0;
    finish(std::move(report));
}

void ConnectionTest::handleFailed(const QString &providerId, const QString &message, ModelDiscovery::FailureKind kind)
{
    if (!m_running || m_resolving || providerId != m_profile.id) {
        return;
    }
    ConnectionReport report;
    report.providerId = providerId;
    report.failure = kind;
    // A missing key is found before anything is sent.
    report.latencyMs = m_elapsed.isValid() && kind != ModelDiscovery::FailureKind::NoKey ? m_elapsed.elapsed() : -1;
    report.message = message;
    finish(std::move(report));
}

void ConnectionTest::finish(ConnectionReport report)
{
    m_running = false;
    m_elapsed.invalidate();
    emit finished(report);
}

} // namespace Switchyard::Catalog
