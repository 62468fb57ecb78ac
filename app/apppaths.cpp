#include "app/apppaths.h"

#include "core/config/workspacestore.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

AppPaths AppPaths::defaults()
{
    AppPaths paths;
    paths.workspaceFile = Config::WorkspaceStore::defaultFilePath();
    paths.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/switchyard"_s;
    return paths;
}

QString AppPaths::ledgerFile() const
{
    return QDir(dataDir).filePath(u"ledger.sqlite"_s);
}

} // namespace Switchyard::App
