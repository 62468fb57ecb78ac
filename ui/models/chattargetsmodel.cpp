#include "ui/models/chattargetsmodel.h"

#include "core/config/workspacestore.h"

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

using Workbench::ChatTarget;

ChatTargetsModel::ChatTargetsModel(Config::WorkspaceStore *store, bool checkable, QObject *parent)
    : KeyedTableModel(parent)
    , m_checkable(checkable)
{
    connect(store, &Config::WorkspaceStore::changed, this, &ChatTargetsModel::handleWorkspaceChanged);
    handleWorkspaceChanged(store->workspace());
}

int ChatTargetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1;
}

QVariant ChatTargetsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const ChatTarget &target = row(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return target.kind == ChatTarget::Kind::Route ? tr("%1 (route)").arg(target.name) : target.name;
    case Qt::ToolTipRole:
        return target.kind == ChatTarget::Kind::Route
            ? tr("Route \"%1\": the gateway picks among its targets and falls back as the route says.").arg(target.name)
            : tr("Model %1, called directly.").arg(target.name);
    case Qt::CheckStateRole:
        if (m_checkable) {
            return m_checked.contains(target.name) ? Qt::Checked : Qt::Unchecked;
        }
        return {};
    case KindRole:
        return int(target.kind);
    case NameRole:
        return target.name;
    default:
        return {};
    }
}

bool ChatTargetsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!m_checkable || role != Qt::CheckStateRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return false;
    }
    const QString name = row(index.row()).name;
    const bool check = value.value<Qt::CheckState>() == Qt::Checked;
    if (check == m_checked.contains(name)) {
        return true;
    }
    if (check && int(m_checked.size()) >= m_maxChecked) {
        return false;
    }
    if (check) {
        m_checked.insert(name);
    } else {
        m_checked.remove(name);
    }
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit checkedChanged();
    return true;
}

Qt::ItemFlags ChatTargetsModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = KeyedTableModel::flags(index);
    if (m_checkable && index.isValid()) {
        flags |= Qt::ItemIsUserCheckable;
    }
    return flags;
}

QHash<int, QByteArray> ChatTargetsModel::roleNames() const
{
    QHash<int, QByteArray> names = KeyedTableModel::roleNames();
    names.insert(KindRole, "kind"_ba);
    names.insert(NameRole, "name"_ba);
    return names;
}

int ChatTargetsModel::rowOf(const QString &name) const
{
    for (int i = 0; i < rowCount(); ++i) {
        if (row(i).name == name) {
            return i;
        }
    }
    return -1;
}

int ChatTargetsModel::addModelTarget(const QString &name)
{
    if (const int existing = rowOf(name); existing >= 0) {
        return existing;
    }
    m_addedTargets.append(name);
    updateRows();
    return rowOf(name);
}

void ChatTargetsModel::setCheckedNames(const QStringList &names)
{
    QSet<QString> checked;
    for (const QString &name : names) {
        if (rowOf(name) >= 0 && int(checked.size()) < m_maxChecked) {
            checked.insert(name);
        }
    }
    if (checked == m_checked) {
        return;
    }
    m_checked = checked;
    if (rowCount() > 0) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), {Qt::CheckStateRole});
    }
    emit checkedChanged();
}

QStringList ChatTargetsModel::checkedNames() const
{
    QStringList names;
    for (const ChatTarget &target : rows()) {
        if (m_checked.contains(target.name)) {
            names.append(target.name);
        }
    }
    return names;
}

void ChatTargetsModel::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    m_workspaceTargets = ChatTarget::listFrom(workspace);
    updateRows();
    const qsizetype before = m_checked.size();
    m_checked.removeIf([this](const QString &name) { return rowOf(name) < 0; });
    if (m_checked.size() != before) {
        emit checkedChanged();
    }
}

void ChatTargetsModel::updateRows()
{
    QList<ChatTarget> targets = m_workspaceTargets;
    for (const QString &name : std::as_const(m_addedTargets)) {
        if (!targets.contains(ChatTarget {ChatTarget::Kind::Model, name})) {
            targets.append({ChatTarget::Kind::Model, name});
        }
    }
    setRows(targets);
}

} // namespace Switchyard::Ui
