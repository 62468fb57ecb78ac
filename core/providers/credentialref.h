#pragma once

#include "core/model/result.h"

#include <QMetaType>
#include <QString>

namespace Switchyard::Providers {

// Where a provider's API key comes from: the OS keychain, an environment variable, or nowhere
// (keyless local servers). The workspace file stores only this reference, never the key.
struct CredentialRef
{
    enum class Kind {
        None,
        Keychain,
        Env,
    };

    Kind kind = Kind::None;
    QString name; // keychain entry [A-Za-z0-9._-]{1,64} or environment variable [A-Za-z_][A-Za-z0-9_]*

    // "" -> None, "keychain:NAME", "env:VAR"; the failure message says what is wrong.
    static Result<CredentialRef> parse(const QString &text);
    QString toString() const;

    friend bool operator==(const CredentialRef &, const CredentialRef &) = default;
};

} // namespace Switchyard::Providers

Q_DECLARE_METATYPE(Switchyard::Providers::CredentialRef)
