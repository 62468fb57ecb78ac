#pragma once

#include <QString>

namespace Switchyard::App {

// Where the command line and the window find their files unless told otherwise.
struct AppPaths
{
    QString workspaceFile; // --config
    QString dataDir;       // --data-dir: the ledger lives here

    static AppPaths defaults();
    QString ledgerFile() const;
};

} // namespace Switchyard::App
