#include "ui/models/rehearsalscenariomodel.h"

#include <QSet>

#include <cmath>

namespace Switchyard::Ui {

namespace {
constexpr int MaxStatus = 599;
constexpr qint64 MaxMs = 86'400'000;

void collectTargets(
    const Config::Workspace &workspace, const Routing::Route &route, QSet<QString> *visiting, QStringList *out)
{
    visiting->insert(route.name);
    for (const Routing::RouteTarget &target : route.targets) {
        if (!target.isNested()) {
            if (!out->contains(target.toString())) {
                out->append(target.toString());
            }
        } else if (const Routing::Route *nested = workspace.route(target.route);
                   nested != nullptr && !visiting->contains(nested->name)) {
            collectTargets(workspace, *nested, visiting, out);
        }
    }
    visiting->remove(route.name);
}
} // namespace

RehearsalScenarioModel::RehearsalScenarioModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QStringList RehearsalScenarioModel::targetsOf(const Config::Workspace &workspace, const QString &routeName)
{
    QStringList targets;
    if (const Routing::Route *route = workspace.route(routeName)) {
        QSet<QString> visiting;
        collectTargets(workspace, *route, &visiting, &targets);
    }
    return targets;
}

void RehearsalScenarioModel::setTargets(const QStringList &targets)
{
    if (targets == this->targets()) {
        return;
    }
    QList<Row> next;
    for (const QString &target : targets) {
        Row row {target, {}};
        for (const Row &existing : std::as_const(m_rows)) {
            if (existing.target == target) {
                row.behaviour = existing.behaviour;
            }
        }
        next.append(row);
    }
    beginResetModel();
    m_rows = next;
    endResetModel();
}

QStringList RehearsalScenarioModel::targets() const
{
    QStringList targets;
    for (const Row &row : m_rows) {
        targets.append(row.target);
    }
    return targets;
}

void RehearsalScenarioModel::setBehaviour(int row, const Routing::TargetBehaviour &behaviour)
{
    m_rows[row].behaviour = behaviour;
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void RehearsalScenarioModel::resetBehaviours()
{
    for (int row = 0; row < rowCount(); ++row) {
        setBehaviour(row, {});
    }
}

void RehearsalScenarioModel::fillScenario(Routing::RehearsalScenario *scenario) const
{
    for (const Row &row : m_rows) {
        scenario->targets.insert(row.target, row.behaviour);
    }
}

int RehearsalScenarioModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RehearsalScenarioModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RehearsalScenarioModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row &row = m_rows.at(index.row());
    const Routing::TargetBehaviour &behaviour = row.behaviour;
    const auto column = Column(index.column());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (column) {
        case Column::Target:
            return row.target;
        case Column::FailureRate:
            return role == Qt::EditRole ? QVariant(int(std::lround(behaviour.failureRate * 100)))
                                        : QVariant(tr("%1 %").arg(std::lround(behaviour.failureRate * 100)));
        case Column::Status:
            return behaviour.failureStatus;
        case Column::Latency:
            return behaviour.latencyMs;
        case Column::Ttft:
            return behaviour.ttftMs;
        case Column::OverBudget:
        case Column::Count:
            break;
        }
    }
    if (role == Qt::CheckStateRole && column == Column::OverBudget) {
        return behaviour.overBudget ? Qt::Checked : Qt::Unchecked;
    }
    if (role == Qt::TextAlignmentRole && column != Column::Target && column != Column::OverBudget) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

bool RehearsalScenarioModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return false;
    }
    Routing::TargetBehaviour behaviour = m_rows.at(index.row()).behaviour;
    const auto column = Column(index.column());
    if (column == Column::OverBudget && role == Qt::CheckStateRole) {
        behaviour.overBudget = Qt::CheckState(value.toInt()) == Qt::Checked;
        setBehaviour(index.row(), behaviour);
        return true;
    }
    if (role != Qt::EditRole) {
        return false;
    }
    bool ok = false;
    const qint64 number = value.toLongLong(&ok);
    if (!ok || number < 0) {
        return false;
    }
    switch (column) {
    case Column::FailureRate:
        if (number > 100) {
            return false;
        }
        behaviour.failureRate = double(number) / 100;
        break;
    case Column::Status:
        if (number > MaxStatus) {
            return false;
        }
        behaviour.failureStatus = int(number);
        break;
    case Column::Latency:
        if (number > MaxMs) {
            return false;
        }
        behaviour.latencyMs = number;
        break;
    case Column::Ttft:
        if (number > MaxMs) {
            return false;
        }
        behaviour.ttftMs = number;
        break;
    case Column::Target:
    case Column::OverBudget:
    case Column::Count:
        return false;
    }
    setBehaviour(index.row(), behaviour);
    return true;
}

Qt::ItemFlags RehearsalScenarioModel::flags(const QModelIndex &index) const
{
    // Views ask about the invalid index (the root); that is no mistake.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid)) {
        return Qt::NoItemFlags;
    }
    switch (Column(index.column())) {
    case Column::Target:
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    case Column::OverBudget:
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
    default:
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
    }
}

QVariant RehearsalScenarioModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Column::FailureRate:
            return tr("Share of attempts that fail, in percent.");
        case Column::Status:
            return tr("HTTP status of a failure; 0 for a refused connection.");
        case Column::Latency:
            return tr("Time of a successful answer, in milliseconds.");
        case Column::Ttft:
            return tr("Time to the first token, in milliseconds.");
        case Column::OverBudget:
            return tr("The provider's budget is used up: the target is skipped.");
        case Column::Target:
        case Column::Count:
            break;
        }
        return {};
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case Column::Target:
        return tr("Target");
    case Column::FailureRate:
        return tr("Fails");
    case Column::Status:
        return tr("Status");
    case Column::Latency:
        return tr("Latency");
    case Column::Ttft:
        return tr("TTFT");
    case Column::OverBudget:
        return tr("Over budget");
    case Column::Count:
        break;
    }
    return {};
}

} // namespace Switchyard::Ui
