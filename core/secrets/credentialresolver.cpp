#include "core/secrets/credentialresolver.h"

#include "core/providers/credentialref.h"
#include "core/providers/providerpresets.h"
#include "core/secrets/keychain.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Secrets {

namespace {

Q_LOGGING_CATEGORY(lcResolver, "switchyard.secrets.credentialresolver")

} // namespace

CredentialResolver::CredentialResolver(Keychain *keychain, QObject *parent)
    : QObject(parent)
    , m_keychain(keychain)
{
    connect(m_keychain, &Keychain::readFinished, this, &CredentialResolver::handleReadFinished);
}

void CredentialResolver::resolve(const QList<Providers::ProviderProfile> &providers)
{
    ++m_generation;
    m_waiting.clear();
    m_indexByProvider.clear();
    m_secrets.clear();
    m_problems.clear();

    for (qsizetype i = 0; i < providers.size(); ++i) {
        const Providers::ProviderProfile &provider = providers.at(i);
        m_indexByProvider.insert(provider.id, i);
        const Result<Providers::CredentialRef> ref = Providers::CredentialRef::parse(provider.credentialRef);
        if (!ref) {
            m_problems.insert(i, tr("Provider %1: %2").arg(provider.id, ref.errorMessage()));
            continue;
        }
        switch (ref->kind) {
        case Providers::CredentialRef::Kind::None: {
            const auto preset = Providers::ProviderPresets::find(provider.preset);
            if (preset && preset->requiresKey) {
                m_problems.insert(i,
                    tr("Provider %1 needs an API key but has no credential reference. Set it to "
                       "keychain:NAME or env:VARIABLE.")
                        .arg(provider.id));
            }
            break;
        }
        case Providers::CredentialRef::Kind::Env: {
            const QString value = qEnvironmentVariable(qPrintable(ref->name));
            if (value.isEmpty()) {
                m_problems.insert(i,
                    tr("Provider %1: the environment variable %2 is not set. Set it before starting "
                       "Switchyard, or keep the key in the keychain instead.")
                        .arg(provider.id, ref->name));
            } else {
                m_secrets.insert(provider.id, value);
            }
            break;
        }
        case Providers::CredentialRef::Kind::Keychain:
            m_waiting[ref->name].append(provider.id);
            break;
        }
    }

    if (m_waiting.isEmpty()) {
        // Emit later, like the keychain path, so callers may connect after calling.
        QMetaObject::invokeMethod(
            this,
            [this, generation = m_generation] {
                if (generation == m_generation) {
                    emitResolved();
                }
            },
            Qt::QueuedConnection);
        return;
    }
    // Record each read before starting it: a job that fails at once may answer inside read().
    const QStringList names = m_waiting.keys();
    for (const QString &name : names) {
        m_readsInFlight[name].append(m_generation);
    }
    for (const QString &name : names) {
        m_keychain->read(name);
    }
}

void CredentialResolver::handleReadFinished(const QString &name, const QString &secret, const QString &error)
{
    const auto inFlight = m_readsInFlight.find(name);
    if (inFlight == m_readsInFlight.end()) {
        return; // a read somebody else started on the same Keychain
    }
    const quint64 generation = inFlight->takeFirst();
    if (inFlight->isEmpty()) {
        m_readsInFlight.erase(inFlight);
    }
    if (generation != m_generation || !m_waiting.contains(name)) {
        return; // superseded by a newer resolve()
    }

    const QStringList providerIds = m_waiting.take(name);
    for (const QString &id : providerIds) {
        if (!error.isEmpty()) {
            m_problems.insert(m_indexByProvider.value(id), tr("Provider %1: %2").arg(id, error));
        } else if (secret.isEmpty()) {
            m_problems.insert(m_indexByProvider.value(id),
                tr("Provider %1: the keychain secret %2 is empty. Store the key with: switchyard keys "
                   "set %2")
                    .arg(id, name));
        } else {
            m_secrets.insert(id, secret);
        }
    }
    if (m_waiting.isEmpty()) {
        emitResolved();
    }
}

void CredentialResolver::emitResolved()
{
    qCDebug(lcResolver) << "resolved" << m_secrets.size() << "keys," << m_problems.size() << "problems";
    const QHash<QString, QString> secrets = std::exchange(m_secrets, {});
    const QStringList problems = m_problems.values();
    m_problems.clear();
    emit resolved(secrets, problems);
}

} // namespace Switchyard::Secrets
