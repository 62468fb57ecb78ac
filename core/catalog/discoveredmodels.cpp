#include "core/catalog/discoveredmodels.h"

#include "core/catalog/catalogtr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

QByteArray DiscoveredModels::toJson() const
{
    QJsonArray list;
    for (const ModelInfo &model : models) {
        list.append(model.toJson());
    }
    const QJsonObject root {
        {u"providerId"_s, providerId},
        {u"baseUrl"_s, baseUrl.toString()},
        {u"fetchedAt"_s, fetchedAt.toUTC().toString(Qt::ISODateWithMs)},
        {u"models"_s, list},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<DiscoveredModels> DiscoveredModels::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return Result<DiscoveredModels>::failure(Tr::tr("The cached model list is not a JSON object."));
    }
    const QJsonObject root = document.object();
    DiscoveredModels result;
    result.providerId = root.value("providerId"_L1).toString();
    result.baseUrl = QUrl(root.value("baseUrl"_L1).toString());
    result.fetchedAt = QDateTime::fromString(root.value("fetchedAt"_L1).toString(), Qt::ISODateWithMs);
    if (result.providerId.isEmpty() || !result.fetchedAt.isValid() || !root.value("models"_L1).isArray()) {
        return Result<DiscoveredModels>::failure(
            Tr::tr("The cached model list lacks “providerId”, “fetchedAt” or “models”."));
    }
    for (const QJsonValue &value : root.value("models"_L1).toArray()) {
        auto model = ModelInfo::fromJson(value.toObject());
        if (!model) {
            return Failure {model.errorMessage()};
        }
        result.models.append(std::move(model).value());
    }
    return result;
}

} // namespace Switchyard::Catalog
