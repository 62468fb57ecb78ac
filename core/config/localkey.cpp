#include "core/config/localkey.h"

#include "core/config/configtr.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Switchyard::Config {

namespace {

constexpr QLatin1StringView KeyPrefix = "sy-"_L1;
constexpr int RandomChars = 40; // 40 * log2(62) ≈ 238 bits
constexpr int HintRandomChars = 4;
constexpr QLatin1StringView Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"_L1;

} // namespace

QString LocalKey::workbenchName()
{
    return u"workbench"_s;
}

QString LocalKey::nameProblem(const QString &name, const QList<LocalKey> &existing)
{
    if (name.trimmed().isEmpty()) {
        return Tr::tr("Enter a name for the key.");
    }
    if (name == workbenchName()) {
        return Tr::tr("The name \"%1\" is reserved for the requests of Switchyard's own window; choose another name.")
            .arg(name);
    }
    for (const LocalKey &key : existing) {
        if (key.name == name) {
            return Tr::tr("A local key named \"%1\" already exists; revoke it first or choose another name.").arg(name);
        }
    }
    return {};
}

std::pair<LocalKey, QString> LocalKey::generate(const QString &name)
{
    QString key = KeyPrefix;
    key.reserve(KeyPrefix.size() + RandomChars);
    QRandomGenerator *random = QRandomGenerator::system();
    for (int i = 0; i < RandomChars; ++i) {
        key.append(Base62.at(random->bounded(int(Base62.size()))));
    }

    LocalKey record;
    record.name = name;
    record.sha256Hex = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex();
    record.hint = key.left(KeyPrefix.size() + HintRandomChars) + u'…';
    const QDateTime now = QDateTime::currentDateTimeUtc();
    record.createdAt = now.addMSecs(-now.time().msec());
    return {record, key};
}

bool LocalKey::matches(QByteArrayView presentedKey) const
{
    const QByteArray stored = QByteArray::fromHex(sha256Hex);
    const QByteArray presented = QCryptographicHash::hash(presentedKey, QCryptographicHash::Sha256);
    if (stored.size() != presented.size()) {
        return false; // a malformed record; its length says nothing about the presented key
    }
    // No early exit, so the time taken does not reveal how many leading bytes matched.
    unsigned char difference = 0;
    for (qsizetype i = 0; i < presented.size(); ++i) {
        difference |= static_cast<unsigned char>(stored.at(i) ^ presented.at(i));
    }
    return difference == 0;
}

} // namespace Switchyard::Config
