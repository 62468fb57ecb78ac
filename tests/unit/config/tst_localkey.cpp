#include "core/config/localkey.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using Switchyard::Config::LocalKey;

class TestLocalKey : public QObject
{
    Q_OBJECT

private slots:
    void generatesKeyAndRecord()
    {
        const auto [record, key] = LocalKey::generate(u"laptop"_s);
        QVERIFY2(QRegularExpression(u"\\Asy-[0-9A-Za-z]{40}\\z"_s).match(key).hasMatch(), qPrintable(key));
        QCOMPARE(record.name, u"laptop"_s);
        QCOMPARE(record.sha256Hex, QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
        QVERIFY(QRegularExpression(u"\\A[0-9a-f]{64}\\z"_s).match(QString::fromLatin1(record.sha256Hex)).hasMatch());
        QCOMPARE(record.hint, key.left(7) + u'…');
        QVERIFY(record.createdAt.isValid());
        QCOMPARE(record.createdAt.timeSpec(), Qt::UTC);
        QCOMPARE(record.createdAt.time().msec(), 0);
    }

    void neverStoresThePlaintext()
    {
        const auto [record, key] = LocalKey::generate(u"ci"_s);
        QVERIFY(record.sha256Hex != key.toUtf8());
        QVERIFY(!QString::fromLatin1(record.sha256Hex).contains(key.mid(3)));
        QVERIFY(!record.hint.contains(key.mid(3, 8)));
    }

    void keysAreUnique()
    {
        const QString first = LocalKey::generate(u"a"_s).second;
        const QString second = LocalKey::generate(u"a"_s).second;
        QVERIFY(first != second);
    }

    void matchesOnlyItsKey()
    {
        const auto [record, key] = LocalKey::generate(u"laptop"_s);
        QVERIFY(record.matches(key.toUtf8()));

        QByteArray lastCharChanged = key.toUtf8();
        lastCharChanged.back() = lastCharChanged.back() == 'a' ? 'b' : 'a';
        QVERIFY(!record.matches(lastCharChanged));
        QVERIFY(!record.matches(key.toUtf8().chopped(1)));
        QVERIFY(!record.matches(QByteArray(key.toUtf8() + "x")));
        QVERIFY(!record.matches(QByteArray()));
        QVERIFY(!record.matches(record.sha256Hex));
        QVERIFY(!record.matches(LocalKey::generate(u"other"_s).second.toUtf8()));
    }

    void malformedRecordMatchesNothing()
    {
        LocalKey record;
        record.sha256Hex = "abcd";
        QVERIFY(!record.matches("sy-anything"));
        QVERIFY(!LocalKey().matches(QByteArray()));
    }

    void namesNewKeysSafely_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem"); // a part of the message; empty when the name is fine
        QTest::newRow("free") << u"scripts"_s << QString();
        QTest::newRow("empty") << QString() << u"Enter a name"_s;
        QTest::newRow("blank") << u"  "_s << u"Enter a name"_s;
        QTest::newRow("taken") << u"editor"_s << u"already exists"_s;
        // The window's own requests are recorded under this name; a user key must not share it.
        QTest::newRow("reserved") << LocalKey::workbenchName() << u"reserved"_s;
    }

    void namesNewKeysSafely()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        const QList<LocalKey> existing {LocalKey::generate(u"editor"_s).first};
        const QString found = LocalKey::nameProblem(name, existing);
        if (problem.isEmpty()) {
            QCOMPARE(found, QString());
        } else {
            QVERIFY2(found.contains(problem), qPrintable(found));
        }
    }
};

QTEST_APPLESS_MAIN(TestLocalKey)
#include "tst_localkey.moc"
