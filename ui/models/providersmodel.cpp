#include "ui/models/providersmodel.h"

#include "core/config/workspacestore.h"
#include "core/providers/providerpresets.h"

#include <QLocale>

using namespace Qt::StringLiterals;

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
    if (column >= Column::LastSuccess) {
        const auto health = m_health.constFind(provider.id);
        return health != m_health.constEnd() ? healthData(*health, column, role) : QVariant();
    }
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
        case Column::LastSuccess:
        case Column::ErrorRate:
        case Column::MedianLatency:
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

QVariant ProvidersModel::healthData(const Ledger::ProviderHealth &health, Column column, int role) const
{
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::LastSuccess:
            return health.lastSuccess.isValid()
                ? locale.toString(health.lastSuccess.toLocalTime(), QLocale::ShortFormat)
                : tr("never");
        case Column::ErrorRate:
            return health.attempts > 0 ? locale.toString(health.errorRate() * 100.0, 'f', 0) + u'%' : u"–"_s;
        case Column::MedianLatency:
            if (health.medianLatencyMs < 0) {
                return u"–"_s;
            }
            return health.medianLatencyMs < 1000
                ? tr("%1 ms").arg(health.medianLatencyMs)
                : tr("%1 s").arg(locale.toString(double(health.medianLatencyMs) / 1000.0, 'f', 1));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (column) {
        case Column::LastSuccess:
            return health.lastSuccess.isValid() ? health.lastSuccess.toString(Qt::ISODate) : QVariant();
        case Column::ErrorRate:
            return tr("%n of %1 attempts failed in the last %2 hours", nullptr, int(health.failures))
                .arg(health.attempts)
                .arg(HealthWindowHours);
        case Column::MedianLatency:
            return tr("Median time of the successful attempts in the last %1 hours").arg(HealthWindowHours);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return column == Column::LastSuccess ? QVariant() : QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

void ProvidersModel::setHealth(const QList<Ledger::ProviderHealth> &health)
{
    m_health.clear();
    for (const Ledger::ProviderHealth &entry : health) {
        m_health.insert(entry.provider, entry);
    }
    if (rowCount() > 0) {
        emit dataChanged(index(0, int(Column::LastSuccess)), index(rowCount() - 1, int(Column::MedianLatency)));
    }
}

QVariant ProvidersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section >= int(Column::ErrorRate)
        && section < int(Column::Count)) {
        return tr("Over the last %1 hours").arg(HealthWindowHours);
    }
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
    case Column::LastSuccess:
        return tr("Last Success");
    case Column::ErrorRate:
        return tr("Errors (%1 h)").arg(HealthWindowHours);
    case Column::MedianLatency:
        return tr("Median Latency (%1 h)").arg(HealthWindowHours);
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
