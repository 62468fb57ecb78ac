#include "core/ledger/ledgerschema.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <iterator>

using namespace Qt::StringLiterals;

namespace Switchyard::Ledger {

namespace {

Q_LOGGING_CATEGORY(lcLedgerSchema, "switchyard.ledger.ledgerschema")

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ledger)
};

struct Migration
{
    int version;
    QList<QLatin1StringView> statements;
};

// Append only: a released migration never changes, a schema change is a new entry.
const Migration migrations[] = {
    {1,
        {
            "CREATE TABLE usage_records ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " time_ms INTEGER NOT NULL," // milliseconds since the epoch, UTC
            " request_id TEXT NOT NULL,"
            " key_name TEXT NOT NULL,"
            " route TEXT NOT NULL,"
            " provider TEXT NOT NULL,"
            " model TEXT NOT NULL,"
            " status INTEGER NOT NULL,"
            " attempt INTEGER NOT NULL,"
            " stream INTEGER NOT NULL,"
            " latency_ms INTEGER NOT NULL,"
            " ttft_ms INTEGER," // NULL = no first token
            " usage_reported INTEGER NOT NULL,"
            " prompt_tokens INTEGER NOT NULL,"
            " completion_tokens INTEGER NOT NULL,"
            " cached_tokens INTEGER NOT NULL,"
            " cache_write_tokens INTEGER NOT NULL,"
            " reasoning_tokens INTEGER NOT NULL,"
            " cost_nano_usd INTEGER," // NULL = price unknown
            " price_source TEXT NOT NULL,"
            " error_class TEXT NOT NULL)"_L1,
            "CREATE INDEX usage_records_time ON usage_records (time_ms)"_L1,
            "CREATE INDEX usage_records_provider ON usage_records (provider, time_ms)"_L1,
            "CREATE INDEX usage_records_model ON usage_records (model, time_ms)"_L1,
            "CREATE INDEX usage_records_route ON usage_records (route, time_ms)"_L1,
            "CREATE INDEX usage_records_key_name ON usage_records (key_name, time_ms)"_L1,
        }},
    {2,
        {
            // The routing decision trace of the request, as compact JSON ("" before version 2).
            "ALTER TABLE usage_records ADD COLUMN trace TEXT NOT NULL DEFAULT ''"_L1,
        }},
    {3,
        {
            // Circuit breaker state changes of the router's targets.
            "CREATE TABLE breaker_events ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " time_ms INTEGER NOT NULL," // milliseconds since the epoch, UTC
            " provider TEXT NOT NULL,"
            " model TEXT NOT NULL,"
            " from_state TEXT NOT NULL," // "closed", "open" or "half_open"
            " to_state TEXT NOT NULL,"
            " reason TEXT NOT NULL)"_L1,
            "CREATE INDEX breaker_events_time ON breaker_events (time_ms)"_L1,
        }},
    {4,
        {
            // What the provider said the attempt cost (OpenRouter's usage.cost); NULL = not reported.
            "ALTER TABLE usage_records ADD COLUMN reported_cost_nano_usd INTEGER"_L1,
            // Request and response bodies, written only while body capture is switched on.
            "CREATE TABLE request_bodies ("
            " request_id TEXT PRIMARY KEY,"
            " request BLOB NOT NULL,"
            " response BLOB NOT NULL,"
            " truncated INTEGER NOT NULL)"_L1,
        }},
};

} // namespace

int LedgerSchema::currentVersion()
{
    return std::size(migrations);
}

Result<int> LedgerSchema::readVersion(const QSqlDatabase &database)
{
    QSqlQuery query(database);
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next()) {
        return Result<int>::failure(Tr::tr("The usage ledger %1 cannot be read as an SQLite database (%2). Move "
                                           "the file aside to start a new ledger.")
                                        .arg(database.databaseName(), query.lastError().text()));
    }
    const int version = query.value(0).toInt();
    if (version > currentVersion()) {
        return Result<int>::failure(
            Tr::tr("The usage ledger %1 was written by a newer Switchyard (schema version %2; this version "
                   "understands up to %3). Update Switchyard or use another ledger file; this one was left unchanged.")
                .arg(database.databaseName())
                .arg(version)
                .arg(currentVersion()));
    }
    return version;
}

Status LedgerSchema::migrate(const QSqlDatabase &database)
{
    const auto version = readVersion(database);
    if (!version) {
        return Failure {version.errorMessage()};
    }
    QSqlDatabase db = database;
    for (const Migration &migration : migrations) {
        if (migration.version <= version.value()) {
            continue;
        }
        db.transaction();
        QSqlQuery query(db);
        QString error;
        for (const QLatin1StringView statement : migration.statements) {
            if (!query.exec(statement)) {
                error = query.lastError().text();
                break;
            }
        }
        // user_version lives in the database header, so it commits or rolls back with the migration.
        if (error.isEmpty() && !query.exec(u"PRAGMA user_version = %1"_s.arg(migration.version))) {
            error = query.lastError().text();
        }
        if (error.isEmpty() && !db.commit()) {
            error = db.lastError().text();
        }
        if (!error.isEmpty()) {
            db.rollback();
            return Status::failure(
                Tr::tr("Could not upgrade the usage ledger %1 to schema version %2 (%3). Check that the disk is "
                       "writable and not full; the ledger was left at version %4.")
                    .arg(db.databaseName())
                    .arg(migration.version)
                    .arg(error)
                    .arg(migration.version - 1));
        }
        qCInfo(lcLedgerSchema) << "ledger" << db.databaseName() << "migrated to schema version" << migration.version;
    }
    return success();
}

} // namespace Switchyard::Ledger
