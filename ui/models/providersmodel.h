#pragma once

#include "core/providers/providerprofile.h"
#include "ui/models/keyedtablemodel.h"

namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ui {

// The workspace's providers, following WorkspaceStore::changed. Secrets are never part of it:
// the credential column shows the reference ("keychain:openai", "env:OPENAI_API_KEY").
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
        Count,
    };

    explicit ProvidersModel(Config::WorkspaceStore *store, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString keyOf(const Providers::ProviderProfile &provider) const override { return provider.id; }
    void handleWorkspaceChanged(const Config::Workspace &workspace);
};

} // namespace Switchyard::Ui
