#include "core/catalog/modelindexrow.h"

#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

QJsonValue optionalTokens(qint64 tokens)
{
    return tokens > 0 ? QJsonValue(tokens) : QJsonValue();
}

QJsonValue optionalPrice(const std::optional<double> &price)
{
    return price ? QJsonValue(*price) : QJsonValue();
}

} // namespace

QJsonObject ModelIndexRow::toJson() const
{
    return {
        {u"provider"_s, providerId},
        {u"model"_s, modelId},
        {u"displayName"_s, displayName.isEmpty() ? QJsonValue() : QJsonValue(displayName)},
        {u"contextWindow"_s, optionalTokens(contextWindow)},
        {u"maxOutputTokens"_s, optionalTokens(maxOutputTokens)},
        {u"inputPerMillion"_s, optionalPrice(inputPerMillion)},
        {u"cachedInputPerMillion"_s, optionalPrice(cachedInputPerMillion)},
        {u"outputPerMillion"_s, optionalPrice(outputPerMillion)},
        {u"capabilities"_s, QJsonArray::fromStringList(ModelInfo::capabilityNames(capabilities))},
        {u"priceSource"_s, priceSource.isEmpty() ? QJsonValue() : QJsonValue(priceSource)},
        {u"seenLive"_s, seenLive},
        {u"configured"_s, configured},
        {u"listedAt"_s, listedAt.isValid() ? QJsonValue(listedAt.toUTC().toString(Qt::ISODate)) : QJsonValue()},
    };
}

} // namespace Switchyard::Catalog
