#include "core/catalog/modelinfo.h"

#include "core/catalog/catalogtr.h"

#include <QJsonArray>
#include <QJsonValue>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

const std::array<std::pair<Capability, QLatin1StringView>, 5> capabilityTable = {{
    {Capability::Chat, "chat"_L1},
    {Capability::Tools, "tools"_L1},
    {Capability::Vision, "vision"_L1},
    {Capability::Reasoning, "reasoning"_L1},
    {Capability::Embeddings, "embeddings"_L1},
}};

const std::array<std::pair<QLatin1StringView, std::optional<double> ModelInfo::*>, 4> priceFields = {{
    {"inputPerToken"_L1, &ModelInfo::inputPerToken},
    {"outputPerToken"_L1, &ModelInfo::outputPerToken},
    {"cachedInputPerToken"_L1, &ModelInfo::cachedInputPerToken},
    {"cacheWritePerToken"_L1, &ModelInfo::cacheWritePerToken},
}};

} // namespace

QJsonObject ModelInfo::toJson() const
{
    QJsonObject object {{u"id"_s, id}};
    if (!displayName.isEmpty()) {
        object.insert(u"displayName"_s, displayName);
    }
    if (contextWindow > 0) {
        object.insert(u"contextWindow"_s, contextWindow);
    }
    if (maxOutputTokens > 0) {
        object.insert(u"maxOutputTokens"_s, maxOutputTokens);
    }
    if (capabilities) {
        object.insert(u"capabilities"_s, QJsonArray::fromStringList(capabilityNames(capabilities)));
    }
    for (const auto &[field, member] : priceFields) {
        if (const std::optional<double> &price = this->*member) {
            object.insert(field, *price);
        }
    }
    return object;
}

Result<ModelInfo> ModelInfo::fromJson(const QJsonObject &object)
{
    ModelInfo info;
    info.id = object.value("id"_L1).toString();
    if (info.id.isEmpty()) {
        return Result<ModelInfo>::failure(Tr::tr("A cached model has no “id”."));
    }
    info.displayName = object.value("displayName"_L1).toString();
    info.contextWindow = qint64(object.value("contextWindow"_L1).toDouble());
    info.maxOutputTokens = qint64(object.value("maxOutputTokens"_L1).toDouble());
    QStringList names;
    for (const QJsonValue &name : object.value("capabilities"_L1).toArray()) {
        names.append(name.toString());
    }
    info.capabilities = capabilitiesFromNames(names);
    for (const auto &[field, member] : priceFields) {
        const QJsonValue value = object.value(field);
        if (value.isDouble()) {
            info.*member = value.toDouble();
        }
    }
    return info;
}

QStringList ModelInfo::capabilityNames(Capabilities capabilities)
{
    QStringList names;
    for (const auto &[capability, name] : capabilityTable) {
        if (capabilities.testFlag(capability)) {
            names.append(name);
        }
    }
    return names;
}

Capabilities ModelInfo::capabilitiesFromNames(const QStringList &names)
{
    Capabilities capabilities;
    for (const auto &[capability, name] : capabilityTable) {
        if (names.contains(name)) {
            capabilities |= capability;
        }
    }
    return capabilities;
}

} // namespace Switchyard::Catalog
