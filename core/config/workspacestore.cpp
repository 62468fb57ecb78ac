#include "core/config/workspacestore.h"

#include "core/config/workspacecodec.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Switchyard::Config {

namespace {

Q_LOGGING_CATEGORY(lcStore, "switchyard.config.workspacestore")

} // namespace

WorkspaceStore::WorkspaceStore(QString filePath, QObject *parent)
    : QObject(parent)
    , m_filePath(std::move(filePath))
{
}

QString WorkspaceStore::defaultFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + "/switchyard/workspace.json"_L1;
}

QString WorkspaceStore::filePath() const
{
    return m_filePath;
}

Result<Workspace> WorkspaceStore::readFile() const
{
    QFile file(m_filePath);
    if (!file.exists()) {
        return Workspace {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return Result<Workspace>::failure(
            tr("Could not read the workspace file %1: %2").arg(m_filePath, file.errorString()));
    }
    const QByteArray json = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        return Result<Workspace>::failure(
            tr("Could not read the workspace file %1: %2").arg(m_filePath, file.errorString()));
    }
    Result<Workspace> workspace = WorkspaceCodec::fromJson(json);
    if (!workspace) {
        return Result<Workspace>::failure(
            tr("The workspace file %1 was not loaded: %2").arg(m_filePath, workspace.errorMessage()));
    }
    return workspace;
}

Status WorkspaceStore::load()
{
    return read(EmitChanged::Always);
}

Status WorkspaceStore::reload()
{
    return read(EmitChanged::IfDifferent);
}

Status WorkspaceStore::read(EmitChanged when)
{
    Result<Workspace> workspace = readFile();
    if (!workspace) {
        m_readOnly = true;
        m_loadError = workspace.errorMessage();
        qCWarning(lcStore) << "workspace is read-only:" << m_loadError;
        return Status::failure(m_loadError);
    }
    m_readOnly = false;
    m_loadError.clear();
    if (when == EmitChanged::IfDifferent && workspace.value() == m_workspace) {
        return success();
    }
    m_workspace = std::move(workspace).value();
    emit changed(m_workspace);
    return success();
}

Status WorkspaceStore::save(const Workspace &workspace)
{
    if (m_readOnly) {
        return Status::failure(tr("Switchyard did not save the workspace, so as not to overwrite %1, which it could "
                                  "not load (%2). Fix or move that file, then reload.")
                                   .arg(m_filePath, m_loadError));
    }
    const QByteArray json = WorkspaceCodec::toJson(workspace);
    Result<Workspace> normalised = WorkspaceCodec::fromJson(json);
    if (!normalised) {
        return Status::failure(tr("The workspace was not saved: %1").arg(normalised.errorMessage()));
    }

    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath())) {
        return Status::failure(tr("Could not save the workspace file %1: the folder %2 cannot be created.")
                                   .arg(m_filePath, info.absolutePath()));
    }
    const bool isNew = !info.exists();
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        return Status::failure(tr("Could not save the workspace file %1: %2").arg(m_filePath, file.errorString()));
    }
    if (isNew) {
        // It lists local key digests and keychain entry names: nobody else needs to read it.
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    if (file.write(json) != json.size() || !file.commit()) {
        return Status::failure(tr("Could not save the workspace file %1: %2").arg(m_filePath, file.errorString()));
    }

    m_workspace = std::move(normalised).value();
    emit changed(m_workspace);
    return success();
}

const Workspace &WorkspaceStore::workspace() const
{
    return m_workspace;
}

bool WorkspaceStore::isReadOnly() const
{
    return m_readOnly;
}

} // namespace Switchyard::Config
