#include "ui/models/providersmodel.h"

#include "core/config/workspacestore.h"
#include "core/providers/providerpresets.h"

namespace Switchyard::Ui {

ProvidersModel::ProvidersModel(Config::WorkspaceStore *store, QObject *parent)
    : KeyedTableModel(parent)
{
    connect(store, &Config::WorkspaceStore::changed, this, &ProvidersModel::handleWorkspaceChanged);
    handleWorkspaceChanged(store->workspace());
}

int ProvidersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ProvidersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Providers::ProviderProfile &provider = row(index.row());
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Column::Id:
            return provider.id;
        case Column::Preset: {
            if (!provider.displayName.isEmpty()) {
                return provider.displayName;
            }
            const auto preset = Providers::ProviderPresets::find(provider.preset);
            return preset ? preset->displayName : provider.preset;
        }
        case Column::BaseUrl:
            return provider.baseUrl.toString();
        case Column::Credential:
            return provider.credentialRef.isEmpty() ? tr("none") : provider.credentialRef;
        case Column::Models:
            return int(provider.models.size());
        case Column::Count:
            break;
        }
    }
    if (role == Qt::ToolTipRole && column == Column::Models && !provider.models.isEmpty()) {
        return provider.models.join(u'\n');
    }
    if (role == Qt::TextAlignmentRole && column == Column::Models) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant ProvidersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Id:
        return tr("Id");
    case Column::Preset:
        return tr("Provider");
    case Column::BaseUrl:
        return tr("Base URL");
    case Column::Credential:
        return tr("Credential");
    case Column::Models:
        return tr("Models");
    case Column::Count:
        break;
    }
    return {};
}

void ProvidersModel::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    setRows(workspace.providers);
}

} // namespace Switchyard::Ui
