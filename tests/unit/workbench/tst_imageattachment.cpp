#include "core/workbench/imageattachment.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Workbench::ImageAttachment;

namespace {
// The PNG signature and the start of an IHDR chunk: enough for content sniffing.
const QByteArray PngBytes = QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000");
} // namespace

class TestImageAttachment : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void imageBecomesADataUrlPart()
    {
        // The name says JPEG; the content decides.
        const QString path = write(u"holiday.jpg"_s, PngBytes);
        const auto attachment = ImageAttachment::load(path);
        QVERIFY2(attachment, qPrintable(attachment.errorMessage()));
        QCOMPARE(attachment->fileName, u"holiday.jpg"_s);
        QCOMPARE(attachment->mimeType, u"image/png"_s);
        QCOMPARE(attachment->dataUrl, u"data:image/png;base64,"_s + QString::fromLatin1(PngBytes.toBase64()));
        const QJsonObject part = attachment->toContentPart();
        QCOMPARE(part.value(u"type"_s).toString(), u"image_url"_s);
        QCOMPARE(part.value(u"image_url"_s).toObject().value(u"url"_s).toString(), attachment->dataUrl);
    }

    void refusesWhatIsNotAnAcceptedImage_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("text") << u"notes.png"_s << "just some text\n"_ba << u"not a PNG, JPEG, GIF or WebP"_s;
        QTest::newRow("too large") << u"huge.png"_s << PngBytes + QByteArray(ImageAttachment::MaxFileBytes, '\0')
                                   << u"at most 5 MB"_s;
    }

    void refusesWhatIsNotAnAcceptedImage()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const auto attachment = ImageAttachment::load(write(name, content));
        QVERIFY(!attachment);
        QVERIFY2(attachment.errorMessage().contains(reason), qPrintable(attachment.errorMessage()));
        QVERIFY(attachment.errorMessage().contains(name));
    }

    void missingFileSaysSo()
    {
        const auto attachment = ImageAttachment::load(m_dir.filePath(u"gone.png"_s));
        QVERIFY(!attachment);
        QVERIFY(attachment.errorMessage().contains(u"gone.png"_s));
    }

private:
    QString write(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
            qWarning("cannot write the test file");
        }
        return file.fileName();
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestImageAttachment)
#include "tst_imageattachment.moc"
