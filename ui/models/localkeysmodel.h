#pragma once

#include "core/config/localkey.h"
#include "ui/models/keyedtablemodel.h"

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ui {

// The workspace's local API keys (name, hint, creation time), following WorkspaceStore::changed.
class LocalKeysModel final : public KeyedTableModel<Config::LocalKey>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalKeysModel)

public:
    enum class Column {
        Name,
        Hint,
        Created,
        Count,
    };

    explicit LocalKeysModel(Config::WorkspaceStore *store, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString keyOf(const Config::LocalKey &key) const override { return key.name; }
    void handleWorkspaceChanged(const Config::Workspace &workspace);
};

} // namespace Switchyard::Ui
