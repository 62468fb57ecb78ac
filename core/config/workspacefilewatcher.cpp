#include "core/config/workspacefilewatcher.h"

#include "core/config/configtr.h"
#include "core/config/workspacestore.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>

namespace Switchyard::Config {

WorkspaceFileWatcher::WorkspaceFileWatcher(WorkspaceStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_watcher(new QFileSystemWatcher(this))
{
    // The folder is watched too: an atomic save replaces the file, and a file that does not
    // exist yet can only be noticed through its folder (created here if need be, as the first
    // save would).
    const QString folder = QFileInfo(store->filePath()).absolutePath();
    QDir().mkpath(folder);
    m_watcher->addPath(folder);
    if (QFileInfo::exists(store->filePath())) {
        m_watcher->addPath(store->filePath());
    }
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &WorkspaceFileWatcher::handleFileChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &WorkspaceFileWatcher::handleFileChanged);
}

void WorkspaceFileWatcher::handleFileChanged()
{
    const QString path = m_store->filePath();
    if (!QFileInfo::exists(path)) {
        return; // between an atomic save's remove and rename, or not created yet
    }
    if (!m_watcher->files().contains(path)) {
        m_watcher->addPath(path);
    }
    if (Status reloaded = m_store->reload(); !reloaded) {
        emit reloadFailed(Tr::tr("The workspace file changed but cannot be used; the previous workspace stays in "
                                 "effect: %1")
                              .arg(reloaded.errorMessage()));
    }
}

} // namespace Switchyard::Config
