#include "core/providers/providerpresets.h"
#include "core/secrets/credentialresolver.h"
#include "core/secrets/keychain.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Secrets::CredentialResolver;
using Secrets::Keychain;

namespace {

constexpr int KeychainTimeoutMs = 15000;

using SecretMap = QHash<QString, QString>;

Providers::ProviderProfile profile(const QString &preset, const QString &id, const QString &credentialRef)
{
    auto provider = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(preset), id);
    provider.credentialRef = credentialRef;
    return provider;
}

} // namespace

// Runs against the real keychain of the session (see .ci/test for the private D-Bus +
// gnome-keyring setup), under a service name of its own so no user entry is touched.
class TestKeychain : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString id = QUuid::createUuid().toString(QUuid::Id128);
        m_keychain = std::make_unique<Keychain>(u"switchyard-test-"_s + id);
        m_envName = u"SWITCHYARD_TEST_KEY_"_s + id;

        QSignalSpy written(m_keychain.get(), &Keychain::writeFinished);
        m_keychain->write(u"probe"_s, u"probe-secret"_s);
        QVERIFY(written.wait(KeychainTimeoutMs));
        const QString error = written.at(0).at(1).toString();
        if (!error.isEmpty()) {
            if (qEnvironmentVariable("KEYCHAIN_REQUIRED") == "1"_L1) {
                QFAIL(qPrintable(u"The keychain is required (KEYCHAIN_REQUIRED=1) but unusable: "_s + error));
            }
            QSKIP(qPrintable(
                u"No usable keychain in this session (set KEYCHAIN_REQUIRED=1 to fail instead): "_s + error));
        }
        m_written.append(u"probe"_s);
    }

    void cleanupTestCase()
    {
        if (!m_keychain) {
            return;
        }
        QSignalSpy removed(m_keychain.get(), &Keychain::removeFinished);
        for (const QString &name : std::as_const(m_written)) {
            m_keychain->remove(name);
        }
        QTRY_COMPARE_WITH_TIMEOUT(removed.count(), m_written.size(), KeychainTimeoutMs);
        qunsetenv(qPrintable(m_envName));
    }

    void writeReadRemove()
    {
        QSignalSpy written(m_keychain.get(), &Keychain::writeFinished);
        QSignalSpy read(m_keychain.get(), &Keychain::readFinished);
        QSignalSpy removed(m_keychain.get(), &Keychain::removeFinished);

        m_keychain->write(u"openai"_s, u"sk-test-ünïcode-123"_s);
        QVERIFY(written.wait(KeychainTimeoutMs));
        QCOMPARE(written.at(0), (QVariantList {u"openai"_s, QString()}));

        m_keychain->read(u"openai"_s);
        QVERIFY(read.wait(KeychainTimeoutMs));
        QCOMPARE(read.at(0), (QVariantList {u"openai"_s, u"sk-test-ünïcode-123"_s, QString()}));

        m_keychain->remove(u"openai"_s);
        QVERIFY(removed.wait(KeychainTimeoutMs));
        QCOMPARE(removed.at(0), (QVariantList {u"openai"_s, QString()}));

        m_keychain->read(u"openai"_s);
        QVERIFY(read.wait(KeychainTimeoutMs));
        QCOMPARE(read.at(1),
            (QVariantList {u"openai"_s, QString(),
                u"No secret named openai in the keychain. Store it with: switchyard keys "
                "set openai"_s}));
    }

    void resolverCombinesEnvironmentAndKeychain()
    {
        storeSecret(u"shared-key"_s, u"kc-secret"_s);
        qputenv(qPrintable(m_envName), "env-secret");

        CredentialResolver resolver(m_keychain.get());
        QSignalSpy resolved(&resolver, &CredentialResolver::resolved);
        resolver.resolve({
            profile(u"openai"_s, u"from-env"_s, u"env:"_s + m_envName),
            profile(u"openrouter"_s, u"from-keychain"_s, u"keychain:shared-key"_s),
            profile(u"groq"_s, u"missing"_s, u"keychain:absent-key"_s),
            profile(u"ollama"_s, u"local"_s, QString()),
            profile(u"custom"_s, u"same-key"_s, u"keychain:shared-key"_s),
            profile(u"mistral"_s, u"unset-env"_s, u"env:SWITCHYARD_TEST_SURELY_UNSET"_s),
            profile(u"deepseek"_s, u"no-ref"_s, QString()),
        });
        QVERIFY(resolved.wait(KeychainTimeoutMs));
        QCOMPARE(resolved.count(), 1);

        const SecretMap secrets = resolved.at(0).at(0).value<SecretMap>();
        const SecretMap expectedSecrets {
            {u"from-env"_s, u"env-secret"_s},
            {u"from-keychain"_s, u"kc-secret"_s},
            {u"same-key"_s, u"kc-secret"_s},
        };
        QCOMPARE(secrets, expectedSecrets);
        const QStringList expectedProblems {
            u"Provider missing: No secret named absent-key in the keychain. Store it with: switchyard keys set "
            "absent-key"_s,
            u"Provider unset-env: the environment variable SWITCHYARD_TEST_SURELY_UNSET is not set. Set it before "
            "starting Switchyard, or keep the key in the keychain instead."_s,
            u"Provider no-ref needs an API key but has no credential reference. Set it to keychain:NAME or "
            "env:VARIABLE."_s,
        };
        QCOMPARE(resolved.at(0).at(1).toStringList(), expectedProblems);
    }

    void newerResolveSupersedesOlder()
    {
        storeSecret(u"old-key"_s, u"old-secret"_s);
        storeSecret(u"new-key"_s, u"new-secret"_s);

        CredentialResolver resolver(m_keychain.get());
        QSignalSpy resolved(&resolver, &CredentialResolver::resolved);
        resolver.resolve({profile(u"openai"_s, u"old"_s, u"keychain:old-key"_s)});
        resolver.resolve({profile(u"ollama"_s, u"keyless"_s, QString())});
        resolver.resolve({profile(u"openai"_s, u"new"_s, u"keychain:new-key"_s),
            profile(u"groq"_s, u"also-new"_s, u"keychain:old-key"_s)});
        QVERIFY(resolved.wait(KeychainTimeoutMs));

        // Keychain jobs finish in the order they started, so once this read is answered every
        // read of the superseded calls has been answered too.
        QSignalSpy read(m_keychain.get(), &Keychain::readFinished);
        m_keychain->read(u"new-key"_s);
        QVERIFY(read.wait(KeychainTimeoutMs));

        QCOMPARE(resolved.count(), 1);
        const SecretMap expected {{u"new"_s, u"new-secret"_s}, {u"also-new"_s, u"old-secret"_s}};
        QCOMPARE(resolved.at(0).at(0).value<SecretMap>(), expected);
        QCOMPARE(resolved.at(0).at(1).toStringList(), QStringList());
    }

    void resolvesWithoutKeychainReferencesAfterReturning()
    {
        CredentialResolver resolver(m_keychain.get());
        QSignalSpy resolved(&resolver, &CredentialResolver::resolved);
        resolver.resolve({profile(u"lmstudio"_s, u"local"_s, QString())});
        QCOMPARE(resolved.count(), 0);
        QVERIFY(resolved.wait(KeychainTimeoutMs));
        QCOMPARE(resolved.at(0).at(0).value<SecretMap>(), SecretMap());
        QCOMPARE(resolved.at(0).at(1).toStringList(), QStringList());
    }

private:
    void storeSecret(const QString &name, const QString &secret)
    {
        QSignalSpy written(m_keychain.get(), &Keychain::writeFinished);
        m_keychain->write(name, secret);
        QVERIFY(written.wait(KeychainTimeoutMs));
        QCOMPARE(written.at(0).at(1).toString(), QString());
        m_written.append(name);
    }

    std::unique_ptr<Keychain> m_keychain;
    QString m_envName;
    QStringList m_written;
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
