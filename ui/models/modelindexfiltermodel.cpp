#include "ui/models/modelindexfiltermodel.h"

#include "ui/models/modelindexmodel.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

using Column = ModelIndexModel::Column;

QVariant sourceValue(const QAbstractItemModel *model, int row, Column column, const QModelIndex &parent)
{
    return model->index(row, int(column), parent).data(ModelIndexModel::SortRole);
}

} // namespace

ModelIndexFilterModel::ModelIndexFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ModelIndexModel::SortRole);
}

void ModelIndexFilterModel::setSearchText(const QString &text)
{
    if (text == m_searchText) {
        return;
    }
    m_searchText = text;
    invalidateRowsFilter();
}

void ModelIndexFilterModel::setProvider(const QString &providerId)
{
    if (providerId == m_provider) {
        return;
    }
    m_provider = providerId;
    invalidateRowsFilter();
}

void ModelIndexFilterModel::setCapabilities(Catalog::Capabilities capabilities)
{
    if (capabilities == m_capabilities) {
        return;
    }
    m_capabilities = capabilities;
    invalidateRowsFilter();
}

void ModelIndexFilterModel::setMaxInputPrice(std::optional<double> perMillion)
{
    if (perMillion == m_maxInputPrice) {
        return;
    }
    m_maxInputPrice = perMillion;
    invalidateRowsFilter();
}

void ModelIndexFilterModel::setMinContextWindow(qint64 tokens)
{
    if (tokens == m_minContextWindow) {
        return;
    }
    m_minContextWindow = tokens;
    invalidateRowsFilter();
}

bool ModelIndexFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    const QString provider = first.data(ModelIndexModel::ProviderRole).toString();
    if (!m_provider.isEmpty() && provider != m_provider) {
        return false;
    }
    if (!m_searchText.isEmpty()) {
        const QString model = sourceValue(sourceModel(), sourceRow, Column::Model, sourceParent).toString();
        if (!provider.contains(m_searchText, Qt::CaseInsensitive)
            && !model.contains(m_searchText, Qt::CaseInsensitive)) {
            return false;
        }
    }
    if (m_capabilities) {
        const auto stated = Catalog::Capabilities::fromInt(first.data(ModelIndexModel::CapabilitiesRole).toInt());
        if ((stated & m_capabilities) != m_capabilities) {
            return false;
        }
    }
    if (m_maxInputPrice) {
        const QVariant price = sourceValue(model, sourceRow, Column::Input, sourceParent);
        if (!price.isValid() || price.toDouble() > *m_maxInputPrice) {
            return false;
        }
    }
    if (m_minContextWindow > 0) {
        const QVariant context = sourceValue(model, sourceRow, Column::Context, sourceParent);
        if (!context.isValid() || context.toLongLong() < m_minContextWindow) {
            return false;
        }
    }
    return true;
}

bool ModelIndexFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    // A descending sort asks lessThan(right, left): unknowns are "greater" ascending and
    // "smaller" descending, so that they end up last either way.
    if (!a.isValid() || !b.isValid()) {
        if (a.isValid() == b.isValid()) {
            return false;
        }
        return a.isValid() == (sortOrder() == Qt::AscendingOrder);
    }
    if (a.typeId() == QMetaType::QString) {
        return a.toString().compare(b.toString(), Qt::CaseInsensitive) < 0;
    }
    return a.toDouble() < b.toDouble();
}

} // namespace Switchyard::Ui
