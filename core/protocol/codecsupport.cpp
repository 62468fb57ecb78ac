#include "core/protocol/codecsupport.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

QString joinPath(const QString &prefix, QLatin1StringView key)
{
    if (prefix.isEmpty()) {
        return QString(key);
    }
    return prefix + u'.' + key;
}

QString indexPath(const QString &prefix, qsizetype index)
{
    return u"%1[%2]"_s.arg(prefix).arg(index);
}

Status fieldFailure(const QString &path, const QString &problem)
{
    return Status::failure(CodecTr::tr("%1: %2").arg(path, problem));
}

Result<QJsonObject> parseJsonObject(QByteArrayView json, JsonDocumentKind kind)
{
    QJsonParseError parseError;
    // The parser only reads the bytes during the call, so they need not be copied.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), json.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        QString message;
        switch (kind) {
        case JsonDocumentKind::Request:
            message = CodecTr::tr("The request body is not valid JSON: %1 at byte %2.");
            break;
        case JsonDocumentKind::Response:
            message = CodecTr::tr("The response body is not valid JSON: %1 at byte %2.");
            break;
        case JsonDocumentKind::StreamEvent:
            message = CodecTr::tr("The stream event is not valid JSON: %1 at byte %2.");
            break;
        }
        return Result<QJsonObject>::failure(message.arg(parseError.errorString()).arg(parseError.offset));
    }
    if (!doc.isObject()) {
        switch (kind) {
        case JsonDocumentKind::Request:
            return Result<QJsonObject>::failure(CodecTr::tr("The request body must be a JSON object."));
        case JsonDocumentKind::Response:
            return Result<QJsonObject>::failure(CodecTr::tr("The response body must be a JSON object."));
        case JsonDocumentKind::StreamEvent:
            return Result<QJsonObject>::failure(CodecTr::tr("The stream event must be a JSON object."));
        }
    }
    return doc.object();
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonValue stringOrNull(const QString &value)
{
    return value.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

std::optional<DataUrl> parseDataUrl(const QString &url)
{
    if (!url.startsWith("data:"_L1)) {
        return std::nullopt;
    }
    const qsizetype comma = url.indexOf(u',');
    if (comma < 0) {
        return std::nullopt;
    }
    const QStringView header = QStringView(url).sliced(5, comma - 5);
    if (!header.endsWith(";base64"_L1)) {
        return std::nullopt;
    }
    // Parameters such as ";charset=utf-8" may sit between the type and ";base64".
    const QStringView mime = header.first(header.size() - 7).split(u';').first();
    if (mime.isEmpty()) {
        return std::nullopt;
    }
    return DataUrl {mime.toString(), url.sliced(comma + 1)};
}

QString makeDataUrl(const QString &mimeType, const QString &base64Data)
{
    return u"data:"_s + mimeType + u";base64,"_s + base64Data;
}

} // namespace Switchyard::Protocol
