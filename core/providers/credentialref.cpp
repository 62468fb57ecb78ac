#include "core/providers/credentialref.h"

#include "core/providers/providerstr.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Switchyard::Providers {

namespace {

constexpr QLatin1StringView KeychainPrefix = "keychain:"_L1;
constexpr QLatin1StringView EnvPrefix = "env:"_L1;

} // namespace

Result<CredentialRef> CredentialRef::parse(const QString &text)
{
    if (text.isEmpty()) {
        return CredentialRef {};
    }
    if (text.startsWith(KeychainPrefix)) {
        const QString name = text.mid(KeychainPrefix.size());
        static const QRegularExpression pattern(u"\\A[A-Za-z0-9._-]{1,64}\\z"_s);
        if (name.isEmpty()) {
            return Result<CredentialRef>::failure(
                Tr::tr("\"%1\" names no keychain secret: write keychain:NAME, e.g. keychain:openai").arg(text));
        }
        if (!pattern.match(name).hasMatch()) {
            return Result<CredentialRef>::failure(
                Tr::tr("\"%1\" is not a valid keychain secret name: use 1 to 64 letters, digits, '.', '_' or '-'")
                    .arg(name));
        }
        return CredentialRef {Kind::Keychain, name};
    }
    if (text.startsWith(EnvPrefix)) {
        const QString name = text.mid(EnvPrefix.size());
        static const QRegularExpression pattern(u"\\A[A-Za-z_][A-Za-z0-9_]*\\z"_s);
        if (name.isEmpty()) {
            return Result<CredentialRef>::failure(
                Tr::tr("\"%1\" names no environment variable: write env:VARIABLE, e.g. env:OPENAI_API_KEY").arg(text));
        }
        if (!pattern.match(name).hasMatch()) {
            return Result<CredentialRef>::failure(
                Tr::tr("\"%1\" is not a valid environment variable name: start with a letter or '_' and use only "
                       "letters, digits and '_'")
                    .arg(name));
        }
        return CredentialRef {Kind::Env, name};
    }
    return Result<CredentialRef>::failure(
        Tr::tr("\"%1\" is not a credential reference: write keychain:NAME or env:VARIABLE, or leave it empty for a "
               "server that needs no key")
            .arg(text));
}

QString CredentialRef::toString() const
{
    switch (kind) {
    case Kind::None:
        return QString();
    case Kind::Keychain:
        return KeychainPrefix + name;
    case Kind::Env:
        return EnvPrefix + name;
    }
    return QString();
}

} // namespace Switchyard::Providers
