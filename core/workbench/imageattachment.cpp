#include "core/workbench/imageattachment.h"

#include "core/workbench/workbenchtr.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Switchyard::Workbench {

Result<ImageAttachment> ImageAttachment::load(const QString &path)
{
    const QString shownPath = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Result<ImageAttachment>::failure(Tr::tr("%1 cannot be read: %2").arg(shownPath, file.errorString()));
    }
    if (file.size() > MaxFileBytes) {
        return Result<ImageAttachment>::failure(Tr::tr("%1 is %2 MB; attach images of at most %3 MB.")
                                                    .arg(shownPath)
                                                    .arg(double(file.size()) / (1024 * 1024), 0, 'f', 1)
                                                    .arg(MaxFileBytes / (1024 * 1024)));
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        return Result<ImageAttachment>::failure(Tr::tr("%1 cannot be read: %2").arg(shownPath, file.errorString()));
    }
    // Judged by content, not by the file name: the provider decodes what is sent, not what it is called.
    static const QStringList accepted {u"image/png"_s, u"image/jpeg"_s, u"image/gif"_s, u"image/webp"_s};
    const QString mimeType = QMimeDatabase().mimeTypeForData(bytes).name();
    if (!accepted.contains(mimeType)) {
        return Result<ImageAttachment>::failure(
            Tr::tr("%1 is not a PNG, JPEG, GIF or WebP image; models accept only those.").arg(shownPath));
    }
    ImageAttachment attachment;
    attachment.fileName = QFileInfo(path).fileName();
    attachment.mimeType = mimeType;
    attachment.dataUrl = u"data:"_s + mimeType + u";base64,"_s + QString::fromLatin1(bytes.toBase64());
    return attachment;
}

QJsonObject ImageAttachment::toContentPart() const
{
    return {{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject {{u"url"_s, dataUrl}}}};
}

} // namespace Switchyard::Workbench
