#pragma once

#include "core/config/workspace.h"
#include "core/model/result.h"

#include <QObject>
#include <QString>

namespace Switchyard::Config {

// Owns workspace.json: loads it, validates and saves it atomically, and tells listeners when the
// workspace changed. The file is small, so reads and writes are synchronous.
class WorkspaceStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkspaceStore)

public:
    explicit WorkspaceStore(QString filePath, QObject *parent = nullptr);

    // <generic config dir>/switchyard/workspace.json, e.g. ~/.config/switchyard/workspace.json;
    // independent of QCoreApplication's names.
    static QString defaultFilePath();

    QString filePath() const;

    // A missing file gives the default (empty) workspace and writes nothing. A file that cannot
    // be read, parsed or validated fails and makes the store read-only, so it never overwrites
    // what it did not understand; workspace() then keeps its previous value. Emits changed() on
    // success.
    Status load();
    // load() for external edits: emits changed() only if the workspace differs.
    Status reload();

    // Validates, writes atomically (creating folders), then updates workspace() and emits
    // changed(). workspace() holds the normalised form that was written (see WorkspaceCodec).
    // Refused while read-only.
    Status save(const Workspace &workspace);

    const Workspace &workspace() const;
    bool isReadOnly() const;

signals:
    void changed(const Switchyard::Config::Workspace &workspace);

private:
    enum class EmitChanged {
        Always,
        IfDifferent,
    };

    Status read(EmitChanged when);
    Result<Workspace> readFile() const;

    QString m_filePath;
    Workspace m_workspace;
    bool m_readOnly = false;
    QString m_loadError; // why the store is read-only
};

} // namespace Switchyard::Config
