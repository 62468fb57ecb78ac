#pragma once

#include "ui/models/keyedtablemodel.h"
#include "ui/models/localkeyrow.h"

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ui {

// The workspace's local API keys (name, hint, creation time, budget, limits), following
// WorkspaceStore::changed.
class LocalKeysModel final : public KeyedTableModel<LocalKeyRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalKeysModel)

public:
    enum class Column {
        Name,
        Hint,
        Created,
        Budget,
        Limits,
        Count,
    };

    explicit LocalKeysModel(Config::WorkspaceStore *store, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString keyOf(const LocalKeyRow &row) const override { return row.key.name; }
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    QString budgetText(const LocalKeyRow &row) const;
    QString limitsText(const LocalKeyRow &row) const;
};

} // namespace Switchyard::Ui
