#pragma once

#include <QObject>
#include <QString>

namespace Switchyard::Secrets {

// Asynchronous access to the OS keychain (Secret Service/KWallet on Linux) through QtKeychain.
// Each call starts one job; QtKeychain runs jobs one at a time, in the order they were started,
// so answers for one name arrive in request order. Errors are empty on success, otherwise a
// translated message saying what to do. Secrets are never logged.
class Keychain final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Keychain)

public:
    // Tests pass their own service name so they never touch the user's entries.
    explicit Keychain(const QString &serviceName = QStringLiteral("switchyard"), QObject *parent = nullptr);

    QString serviceName() const;

    void read(const QString &name);
    void write(const QString &name, const QString &secret);
    void remove(const QString &name);

signals:
    void readFinished(const QString &name, const QString &secret, const QString &error);
    void writeFinished(const QString &name, const QString &error);
    void removeFinished(const QString &name, const QString &error);

private:
    QString m_serviceName;
};

} // namespace Switchyard::Secrets
