#pragma once

#include "core/model/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QString>

#include <optional>

// Helpers shared by the Anthropic and Gemini codecs: field paths for failure messages, JSON
// document parsing with whole-sentence messages, and data: URLs.
namespace Switchyard::Protocol {

struct CodecTr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Protocol)
};

enum class JsonDocumentKind {
    Request,
    Response,
    StreamEvent,
};

// `prefix.key`, or just `key` at the top level.
QString joinPath(const QString &prefix, QLatin1StringView key);
// `prefix[index]`.
QString indexPath(const QString &prefix, qsizetype index);
// "path: problem", e.g. `messages[2].role: must be a string`.
Status fieldFailure(const QString &path, const QString &problem);

template <typename T> Result<T> failureAs(const Status &status)
{
    return Result<T>::failure(status.errorMessage());
}

inline bool isAbsent(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

Result<QJsonObject> parseJsonObject(QByteArrayView json, JsonDocumentKind kind);
QByteArray compactJson(const QJsonObject &object);
QJsonValue stringOrNull(const QString &value);

// `data:<mime>;base64,<payload>`; the payload is kept encoded.
struct DataUrl
{
    QString mimeType;
    QString base64Data;
};
std::optional<DataUrl> parseDataUrl(const QString &url);
QString makeDataUrl(const QString &mimeType, const QString &base64Data);

} // namespace Switchyard::Protocol
