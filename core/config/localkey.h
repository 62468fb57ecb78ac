#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <utility>

namespace Switchyard::Config {

// An API key that local clients present to the gateway. Only its SHA-256 is stored.
struct LocalKey
{
    QString name;
    QByteArray sha256Hex; // 64 lowercase hex digits of SHA-256(key)
    QString hint; // start of the key for recognising it, e.g. "sy-AbC1…"
    QDateTime createdAt; // UTC, whole seconds

    // The ledger's name for the desktop window's own requests; no user key may take it.
    static QString workbenchName();

    // The record and the plaintext key ("sy-" + 40 base62 characters), which is shown once and
    // never stored.
    static std::pair<LocalKey, QString> generate(const QString &name);
    // Why a new user key cannot be called `name` (empty, taken by `existing`, reserved), or an
    // empty string when it can.
    static QString nameProblem(const QString &name, const QList<LocalKey> &existing);

    // Constant-time comparison of SHA-256(presentedKey) with sha256Hex.
    bool matches(QByteArrayView presentedKey) const;

    friend bool operator==(const LocalKey &, const LocalKey &) = default;
};

} // namespace Switchyard::Config

Q_DECLARE_METATYPE(Switchyard::Config::LocalKey)
