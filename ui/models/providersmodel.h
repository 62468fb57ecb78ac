#pragma once

#include "core/ledger/providerhealth.h"
#include "core/providers/providerprofile.h"
#include "ui/models/keyedtablemodel.h"

#include <QHash>

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ui {

// The workspace's providers, following WorkspaceStore::changed, with their health from the
// ledger as last set. Secrets are never part of it: the credential column shows the reference
// ("keychain:openai", "env:OPENAI_API_KEY").
class ProvidersModel final : public KeyedTableModel<Providers::ProviderProfile>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProvidersModel)

public:
    enum class Column {
        Id,
        Preset,
        BaseUrl,
        Credential,
        Models,
        LastSuccess,
        ErrorRate,
        MedianLatency,
        Count,
    };

    // The window that error rate and median latency cover.
    static constexpr int HealthWindowHours = 24;

    explicit ProvidersModel(Config::WorkspaceStore *store, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces the health shown; providers missing from `health` show no figures.
    void setHealth(const QList<Ledger::ProviderHealth> &health);

private:
    QString keyOf(const Providers::ProviderProfile &provider) const override { return provider.id; }
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    QVariant healthData(const Ledger::ProviderHealth &health, Column column, int role) const;

    QHash<QString, Ledger::ProviderHealth> m_health;
};

} // namespace Switchyard::Ui
