#include "ui/models/localkeysmodel.h"

#include "core/config/workspacestore.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

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
    const LocalKeyRow &keyRow = row(index.row());
    const Config::LocalKey &key = keyRow.key;
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Column::Name:
            return key.name;
        case Column::Hint:
            return key.hint;
        case Column::Created:
            return QLocale().toString(key.createdAt.toLocalTime(), QLocale::ShortFormat);
        case Column::Budget:
            return budgetText(keyRow);
        case Column::Limits:
            return limitsText(keyRow);
        case Column::Count:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case Column::Created:
            return key.createdAt.toString(Qt::ISODate);
        // Both may be longer than their column.
        case Column::Budget:
            return budgetText(keyRow);
        case Column::Limits:
            return limitsText(keyRow);
        default:
            break;
        }
    }
    return {};
}

QString LocalKeysModel::budgetText(const LocalKeyRow &row) const
{
    if (row.budgets.isEmpty()) {
        return tr("none");
    }
    const QLocale locale;
    QStringList parts;
    for (const Routing::Budget &budget : row.budgets) {
        // Budgets are in US dollars whatever the locale's currency.
        const QString amount = u'$' + locale.toString(budget.limit.usd(), 'f', 2);
        switch (budget.window) {
        case Routing::Budget::Window::Day:
            parts.append(tr("%1/day").arg(amount));
            break;
        case Routing::Budget::Window::Week:
            parts.append(tr("%1/week").arg(amount));
            break;
        case Routing::Budget::Window::Month:
            parts.append(tr("%1/month").arg(amount));
            break;
        }
    }
    return parts.join(u", "_s);
}

QString LocalKeysModel::limitsText(const LocalKeyRow &row) const
{
    const QLocale locale;
    QStringList parts;
    if (row.limit.requestsPerMinute > 0) {
        parts.append(tr("%1 requests/min").arg(locale.toString(row.limit.requestsPerMinute)));
    }
    if (row.limit.tokensPerMinute > 0) {
        parts.append(tr("%1 tokens/min").arg(locale.toString(row.limit.tokensPerMinute)));
    }
    return parts.isEmpty() ? tr("none") : parts.join(u", "_s);
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
    case Column::Budget:
        return tr("Budget");
    case Column::Limits:
        return tr("Limits");
    case Column::Count:
        break;
    }
    return {};
}

void LocalKeysModel::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    QList<LocalKeyRow> rows;
    rows.reserve(workspace.localKeys.size());
    for (const Config::LocalKey &key : workspace.localKeys) {
        LocalKeyRow keyRow;
        keyRow.key = key;
        for (const Routing::Budget &budget : workspace.budgets) {
            if (budget.scope == Routing::Budget::Scope::Key && budget.name == key.name) {
                keyRow.budgets.append(budget);
            }
        }
        std::sort(keyRow.budgets.begin(), keyRow.budgets.end(),
            [](const Routing::Budget &a, const Routing::Budget &b) { return a.window < b.window; });
        for (const Routing::RateLimit &limit : workspace.limits) {
            if (limit.scope == Routing::RateLimit::Scope::Key && limit.name == key.name) {
                keyRow.limit = limit;
            }
        }
        rows.append(std::move(keyRow));
    }
    setRows(rows);
}

} // namespace Switchyard::Ui
