#pragma once

#include "core/workbench/chattarget.h"
#include "ui/models/keyedtablemodel.h"

#include <QSet>
#include <QStringList>

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ui {

// What the Playground can send to (Workbench::ChatTarget::listFrom), following the workspace. In
// checkable mode a person ticks up to maxChecked() of them; ticks survive workspace changes for
// the targets that remain.
class ChatTargetsModel final : public KeyedTableModel<Workbench::ChatTarget>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatTargetsModel)

public:
    enum Role {
        KindRole = Qt::UserRole, // Workbench::ChatTarget::Kind as int
        NameRole, // the target's name, as sent in `model`
    };

    ChatTargetsModel(Config::WorkspaceStore *store, bool checkable, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row of the target called `name`, or -1.
    int rowOf(const QString &name) const;
    // Lists a "provider/model" the workspace does not name (one picked in the Models explorer)
    // after the workspace's targets, for as long as the model lives; returns its row.
    int addModelTarget(const QString &name);
    int maxChecked() const { return m_maxChecked; }
    void setMaxChecked(int count) { m_maxChecked = count; }
    // Ticks the named targets that exist (up to maxChecked()), unticking the rest.
    void setCheckedNames(const QStringList &names);
    // The ticked targets, in list order.
    QStringList checkedNames() const;

signals:
    void checkedChanged();

private:
    QString keyOf(const Workbench::ChatTarget &target) const override { return target.name; }
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    void updateRows();

    QList<Workbench::ChatTarget> m_workspaceTargets;
    QStringList m_addedTargets;
    bool m_checkable = false;
    int m_maxChecked = 6;
    QSet<QString> m_checked;
};

} // namespace Switchyard::Ui
