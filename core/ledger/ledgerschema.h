#pragma once

#include "core/model/result.h"

#include <QSqlDatabase>
#include <QString>

namespace Switchyard::Ledger {

// The ledger's SQLite schema and its versioned migrations, kept in PRAGMA user_version.
class LedgerSchema
{
public:
    // The version this build creates and understands.
    static int currentVersion();

    // The database's schema version (0 for a new, empty file). Fails, without writing anything,
    // when the file is not readable as SQLite or comes from a newer Switchyard.
    static Result<int> readVersion(const QSqlDatabase &database);

    // Brings the database up to currentVersion(), one transaction per migration.
    static Status migrate(const QSqlDatabase &database);
};

} // namespace Switchyard::Ledger
