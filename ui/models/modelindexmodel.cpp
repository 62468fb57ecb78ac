#include "ui/models/modelindexmodel.h"

#include "core/routing/route.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

using Catalog::Capability;

constexpr std::pair<Capability, const char *> CapabilityNames[] = {
    {Capability::Chat, QT_TRANSLATE_NOOP("Switchyard::Ui::ModelIndexModel", "chat")},
    {Capability::Tools, QT_TRANSLATE_NOOP("Switchyard::Ui::ModelIndexModel", "tools")},
    {Capability::Vision, QT_TRANSLATE_NOOP("Switchyard::Ui::ModelIndexModel", "vision")},
    {Capability::Reasoning, QT_TRANSLATE_NOOP("Switchyard::Ui::ModelIndexModel", "reasoning")},
    {Capability::Embeddings, QT_TRANSLATE_NOOP("Switchyard::Ui::ModelIndexModel", "embeddings")},
};

const std::optional<double> &priceOf(const Catalog::ModelIndexRow &row, ModelIndexModel::Column column)
{
    switch (column) {
    case ModelIndexModel::Column::Input:
        return row.inputPerMillion;
    case ModelIndexModel::Column::CachedInput:
        return row.cachedInputPerMillion;
    default:
        return row.outputPerMillion;
    }
}

bool isPrice(ModelIndexModel::Column column)
{
    return column == ModelIndexModel::Column::Input || column == ModelIndexModel::Column::CachedInput
        || column == ModelIndexModel::Column::Output;
}

bool isNumeric(ModelIndexModel::Column column)
{
    return isPrice(column) || column == ModelIndexModel::Column::Context
        || column == ModelIndexModel::Column::MaxOutput;
}

} // namespace

ModelIndexModel::ModelIndexModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

int ModelIndexModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ModelIndexModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Catalog::ModelIndexRow &model = row(index.row());
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(model, column);
    case Qt::ToolTipRole:
        return toolTip(model, column);
    case Qt::TextAlignmentRole:
        return isNumeric(column) ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case SortRole:
        return sortData(model, column);
    case TargetRole:
        return Routing::RouteTarget(model.providerId, model.modelId).toString();
    case ProviderRole:
        return model.providerId;
    case CapabilitiesRole:
        return int(model.capabilities.toInt());
    default:
        return {};
    }
}

QVariant ModelIndexModel::displayData(const Catalog::ModelIndexRow &row, Column column) const
{
    switch (column) {
    case Column::Provider:
        return row.providerId;
    case Column::Model:
        return row.modelId;
    case Column::Context:
        return row.contextWindow > 0 ? tokensText(row.contextWindow) : unknownText();
    case Column::MaxOutput:
        return row.maxOutputTokens > 0 ? tokensText(row.maxOutputTokens) : unknownText();
    case Column::Input:
    case Column::CachedInput:
    case Column::Output: {
        const std::optional<double> &price = priceOf(row, column);
        return price ? priceText(*price) : unknownText();
    }
    case Column::Capabilities: {
        QStringList names;
        for (const auto &[capability, name] : CapabilityNames) {
            if (row.capabilities.testFlag(capability)) {
                names.append(tr(name));
            }
        }
        return names.isEmpty() ? unknownText() : names.join(u", "_s);
    }
    case Column::Count:
        break;
    }
    return {};
}

QVariant ModelIndexModel::sortData(const Catalog::ModelIndexRow &row, Column column) const
{
    switch (column) {
    case Column::Provider:
        return row.providerId;
    case Column::Model:
        return row.modelId;
    case Column::Context:
        return row.contextWindow > 0 ? QVariant(row.contextWindow) : QVariant();
    case Column::MaxOutput:
        return row.maxOutputTokens > 0 ? QVariant(row.maxOutputTokens) : QVariant();
    case Column::Input:
    case Column::CachedInput:
    case Column::Output: {
        const std::optional<double> &price = priceOf(row, column);
        return price ? QVariant(*price) : QVariant();
    }
    case Column::Capabilities:
        return row.capabilities ? displayData(row, column) : QVariant();
    case Column::Count:
        break;
    }
    return {};
}

QString ModelIndexModel::toolTip(const Catalog::ModelIndexRow &row, Column column) const
{
    switch (column) {
    case Column::Provider:
    case Column::Model: {
        QStringList lines;
        if (!row.displayName.isEmpty()) {
            lines.append(row.displayName);
        }
        if (row.seenLive) {
            lines.append(
                tr("Listed by %1 on %2.")
                    .arg(row.providerId, QLocale().toString(row.listedAt.toLocalTime(), QLocale::ShortFormat)));
        }
        if (row.configured) {
            lines.append(tr("Named in the provider's profile."));
        }
        return lines.join(u'\n');
    }
    case Column::Context:
    case Column::MaxOutput: {
        const qint64 tokens = column == Column::Context ? row.contextWindow : row.maxOutputTokens;
        return tokens > 0 ? tr("%1 tokens").arg(QLocale().toString(tokens))
                          : tr("Neither the provider's list nor the price catalog states this limit.");
    }
    case Column::Input:
    case Column::CachedInput:
    case Column::Output:
        return priceOf(row, column) ? tr("USD per million tokens, from %1.").arg(row.priceSource)
                                    : tr("Unknown: no price source states it. Requests are counted as unpriced.");
    case Column::Capabilities:
        return row.capabilities ? QString() : tr("Neither the provider's list nor the price catalog states them.");
    case Column::Count:
        break;
    }
    return {};
}

QVariant ModelIndexModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue((isNumeric(Column(section)) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Provider:
        return tr("Provider");
    case Column::Model:
        return tr("Model");
    case Column::Context:
        return tr("Context");
    case Column::MaxOutput:
        return tr("Max Output");
    case Column::Input:
        return tr("Input $/1M");
    case Column::CachedInput:
        return tr("Cached $/1M");
    case Column::Output:
        return tr("Output $/1M");
    case Column::Capabilities:
        return tr("Capabilities");
    case Column::Count:
        break;
    }
    return {};
}

QHash<int, QByteArray> ModelIndexModel::roleNames() const
{
    QHash<int, QByteArray> names = KeyedTableModel::roleNames();
    names.insert(SortRole, "sortValue"_ba);
    names.insert(TargetRole, "target"_ba);
    names.insert(ProviderRole, "provider"_ba);
    names.insert(CapabilitiesRole, "capabilities"_ba);
    return names;
}

QString ModelIndexModel::unknownText()
{
    return u"—"_s;
}

QString ModelIndexModel::priceText(double perMillion)
{
    if (perMillion == 0.0) {
        return tr("free");
    }
    // Cents for most prices, down to a hundredth of a cent for the cheap ones (0.075, 0.0375).
    QString digits = QLocale().toString(perMillion, 'f', 4);
    const QChar point = QLocale().decimalPoint().front();
    while (digits.endsWith(u'0') && digits.indexOf(point) < digits.size() - 3) {
        digits.chop(1);
    }
    return tr("$%1").arg(digits);
}

QString ModelIndexModel::tokensText(qint64 tokens)
{
    const QLocale locale;
    if (tokens >= 1'000'000) {
        return tr("%1M").arg(locale.toString(double(tokens) / 1e6, 'g', 3));
    }
    if (tokens >= 1'000) {
        return tr("%1K").arg(locale.toString(std::llround(double(tokens) / 1e3)));
    }
    return locale.toString(tokens);
}

QString ModelIndexModel::keyOf(const Catalog::ModelIndexRow &row) const
{
    return Routing::RouteTarget(row.providerId, row.modelId).toString();
}

} // namespace Switchyard::Ui
