#pragma once

#include <QObject>

class QFileSystemWatcher;

namespace Switchyard::Config {

class WorkspaceStore;

// Reloads the workspace when its file changes on disk (e.g. "switchyard keys local create"
// while the gateway or the window runs), so edits apply without a restart.
class WorkspaceFileWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkspaceFileWatcher)

public:
    explicit WorkspaceFileWatcher(WorkspaceStore *store, QObject *parent = nullptr);

signals:
    // The file changed but could not be used; the previous workspace stays in effect.
    void reloadFailed(const QString &message);

private:
    void handleFileChanged();

    WorkspaceStore *m_store = nullptr;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace Switchyard::Config
