#include "ui/models/localkeysmodel.h"

#include "core/config/workspacestore.h"

#include <QLocale>

namespace Switchyard::Ui {

LocalKeysModel::LocalKeysModel(Config::WorkspaceStore *store, QObject *parent)
    : KeyedTableModel(parent)
{
    connect(store, &Config::WorkspaceStore::changed, this, &LocalKeysModel::handleWorkspaceChanged);
    handleWorkspaceChanged(store->workspace());
}

int LocalKeysModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant LocalKeysModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Config::LocalKey &key = row(index.row());
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Column::Name:
            return key.name;
        case Column::Hint:
            return key.hint;
        case Column::Created:
            return QLocale().toString(key.createdAt.toLocalTime(), QLocale::ShortFormat);
        case Column::Count:
            break;
        }
    }
    if (role == Qt::ToolTipRole && column == Column::Created) {
        return key.createdAt.toString(Qt::ISODate);
    }
    return {};
}

QVariant LocalKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Name:
        return tr("Name");
    case Column::Hint:
        return tr("Key Starts With");
    case Column::Created:
        return tr("Created");
    case Column::Count:
        break;
    }
    return {};
}

void LocalKeysModel::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    setRows(workspace.localKeys);
}

} // namespace Switchyard::Ui
