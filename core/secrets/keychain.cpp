#include "core/secrets/keychain.h"

#include <qt6keychain/keychain.h>

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace Switchyard::Secrets {

namespace {

Q_LOGGING_CATEGORY(lcKeychain, "switchyard.secrets.keychain")

enum class Operation {
    Read,
    Write,
    Remove,
};

// Maps a finished job's error to a message a person can act on, with the backend's own text
// appended for diagnosis. Empty on success.
QString errorMessage(Operation operation, const QKeychain::Job &job, const QString &name)
{
    const QString detail = job.errorString();
    QString message;
    switch (job.error()) {
    case QKeychain::NoError:
        return QString();
    case QKeychain::EntryNotFound:
        // Complete on its own: the backend's text would only repeat "not found".
        return Keychain::tr("No secret named %1 in the keychain. Store it with: switchyard keys set %1").arg(name);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        message = Keychain::tr("The keychain is locked or refused access to the secret %1. Unlock it (for example "
                               "by logging in to your desktop session) and try again.")
                      .arg(name);
        break;
    case QKeychain::CouldNotDeleteEntry:
        message = Keychain::tr("The secret %1 could not be removed from the keychain.").arg(name);
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // Without a session bus or keyring daemon, libsecret reports OtherError with a D-Bus text.
        if (job.error() == QKeychain::NoBackendAvailable || detail.contains("D-Bus"_L1, Qt::CaseInsensitive)
            || detail.contains("DBus"_L1, Qt::CaseInsensitive)) {
            message = Keychain::tr("No keychain service (Secret Service/KWallet) is running. Start gnome-keyring or "
                                   "KWallet (a desktop session usually does), or refer to the key as env:VARIABLE "
                                   "instead of keychain:%1.")
                          .arg(name);
        } else if (operation == Operation::Read) {
            message = Keychain::tr("Reading the secret %1 from the keychain failed.").arg(name);
        } else if (operation == Operation::Write) {
            message = Keychain::tr("Storing the secret %1 in the keychain failed.").arg(name);
        } else {
            message = Keychain::tr("Removing the secret %1 from the keychain failed.").arg(name);
        }
        break;
    }
    if (detail.isEmpty()) {
        return message;
    }
    //: %1 is a complete sentence, %2 the keychain backend's own error text.
    return Keychain::tr("%1 (Details: %2)").arg(message, detail);
}

} // namespace

Keychain::Keychain(const QString &serviceName, QObject *parent)
    : QObject(parent)
    , m_serviceName(serviceName)
{
}

QString Keychain::serviceName() const
{
    return m_serviceName;
}

void Keychain::read(const QString &name)
{
    auto *job = new QKeychain::ReadPasswordJob(m_serviceName, this);
    job->setAutoDelete(true);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [this, job, name] {
        const QString error = errorMessage(Operation::Read, *job, name);
        qCDebug(lcKeychain) << "read" << name << "error code" << job->error();
        emit readFinished(name, error.isEmpty() ? job->textData() : QString(), error);
    });
    job->start();
}

void Keychain::write(const QString &name, const QString &secret)
{
    auto *job = new QKeychain::WritePasswordJob(m_serviceName, this);
    job->setAutoDelete(true);
    job->setKey(name);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, job, name] {
        qCDebug(lcKeychain) << "write" << name << "error code" << job->error();
        emit writeFinished(name, errorMessage(Operation::Write, *job, name));
    });
    job->start();
}

void Keychain::remove(const QString &name)
{
    auto *job = new QKeychain::DeletePasswordJob(m_serviceName, this);
    job->setAutoDelete(true);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [this, job, name] {
        qCDebug(lcKeychain) << "remove" << name << "error code" << job->error();
        emit removeFinished(name, errorMessage(Operation::Remove, *job, name));
    });
    job->start();
}

} // namespace Switchyard::Secrets
