#include "core/pricing/priceoverride.h"

#include <QCoreApplication>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace Switchyard::Pricing {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Pricing)
};

// Reads a non-negative price; an absent optional field yields nullopt.
Result<std::optional<double>> readPrice(const QJsonObject &object, const QString &field, bool required)
{
    const QJsonValue value = object.value(field);
    if (value.isUndefined() && !required) {
        return std::optional<double>();
    }
    if (!value.isDouble() || value.toDouble() < 0) {
        return Result<std::optional<double>>::failure(
            Tr::tr("Price override for “%1”: “%2” must be a number of US dollars per million tokens, 0 or more.")
                .arg(object.value("model"_L1).toString(), field));
    }
    return std::optional<double>(value.toDouble());
}

} // namespace

QList<PriceOverride> PriceOverride::listFromJson(const QJsonArray &array, QStringList *problems)
{
    QList<PriceOverride> overrides;
    for (const QJsonValue &value : array) {
        auto priceOverride = fromJson(value.toObject());
        if (priceOverride) {
            overrides.append(priceOverride.value());
        } else if (problems != nullptr) {
            problems->append(priceOverride.errorMessage());
        }
    }
    return overrides;
}

Result<PriceOverride> PriceOverride::fromJson(const QJsonObject &object)
{
    PriceOverride result;
    result.model = object.value("model"_L1).toString().trimmed();
    if (result.model.isEmpty()) {
        return Result<PriceOverride>::failure(Tr::tr(
            "A price override has no “model”: give the model id, e.g. “gpt-4o” or “groq/llama-3.3-70b-versatile”."));
    }
    const auto input = readPrice(object, u"inputPerMillion"_s, true);
    if (!input) {
        return Failure {input.errorMessage()};
    }
    const auto output = readPrice(object, u"outputPerMillion"_s, true);
    if (!output) {
        return Failure {output.errorMessage()};
    }
    const auto cached = readPrice(object, u"cachedInputPerMillion"_s, false);
    if (!cached) {
        return Failure {cached.errorMessage()};
    }
    result.inputPerMillion = *input.value();
    result.outputPerMillion = *output.value();
    result.cachedInputPerMillion = cached.value();
    return result;
}

QJsonObject PriceOverride::toJson() const
{
    QJsonObject object {
        {u"model"_s, model},
        {u"inputPerMillion"_s, inputPerMillion},
        {u"outputPerMillion"_s, outputPerMillion},
    };
    if (cachedInputPerMillion) {
        object.insert(u"cachedInputPerMillion"_s, *cachedInputPerMillion);
    }
    return object;
}

} // namespace Switchyard::Pricing
