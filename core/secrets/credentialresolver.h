#pragma once

#include "core/providers/providerprofile.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Switchyard::Secrets {

class Keychain;

// Turns the providers' credential references into API keys when the workspace loads or changes,
// so the gateway serves from memory and never waits on the keychain per request.
class CredentialResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialResolver)

public:
    // The keychain must outlive the resolver. Every readFinished() it emits for a name the
    // resolver is waiting on counts as an answer, so give the resolver a Keychain of its own if
    // other code reads through the same instance.
    explicit CredentialResolver(Keychain *keychain, QObject *parent = nullptr);

    // env: references are read from the process environment at once, keychain: references
    // asynchronously (one read per distinct name). A newer call supersedes one still in flight:
    // only the newest call emits resolved(), always after this function has returned.
    void resolve(const QList<Providers::ProviderProfile> &providers);

signals:
    // secretByProviderId holds only the providers whose key was found (keyless ones are absent);
    // problems has one translated line per provider whose key could not be resolved, in
    // provider order.
    void resolved(const QHash<QString, QString> &secretByProviderId, const QStringList &problems);

private:
    void handleReadFinished(const QString &name, const QString &secret, const QString &error);
    void emitResolved();

    Keychain *m_keychain = nullptr;
    quint64 m_generation = 0;
    // Per keychain name, the generation of each read not answered yet, oldest first.
    QHash<QString, QList<quint64>> m_readsInFlight;
    // Current generation: keychain name -> ids of the providers waiting for it.
    QHash<QString, QStringList> m_waiting;
    QHash<QString, qsizetype> m_indexByProvider;
    QHash<QString, QString> m_secrets;
    QMap<qsizetype, QString> m_problems; // by provider index, for a stable order
};

} // namespace Switchyard::Secrets
