#pragma once

#include "core/model/result.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace Switchyard::Workbench {

// An image from a file, ready to go into a user message as an OpenAI image part with a data: URL.
struct ImageAttachment
{
    // Larger images would rarely pass the gateway's body limit once base64-encoded.
    static constexpr qint64 MaxFileBytes = 5 * 1024 * 1024;

    QString fileName; // without the folder, for showing
    QString mimeType; // e.g. "image/png"
    QString dataUrl; // data:image/png;base64,…

    // Reads the file (call it off the GUI thread). Fails for a file that is not a PNG, JPEG, GIF or
    // WebP image, or is larger than MaxFileBytes.
    static Result<ImageAttachment> load(const QString &path);
    // {"type":"image_url","image_url":{"url":dataUrl}}
    QJsonObject toContentPart() const;

    friend bool operator==(const ImageAttachment &, const ImageAttachment &) = default;
};

} // namespace Switchyard::Workbench

Q_DECLARE_METATYPE(Switchyard::Workbench::ImageAttachment)
