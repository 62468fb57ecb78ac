#include "core/ledger/ledgerreader.h"

#include "core/ledger/ledgerschema.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Ledger {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ledger)
};

QAtomicInteger<quint64> nextConnection;

QLatin1StringView groupColumn(Grouping by)
{
    switch (by) {
    case Grouping::Provider:
        return "provider"_L1;
    case Grouping::Model:
        return "model"_L1;
    case Grouping::Route:
        return "route"_L1;
    case Grouping::Key:
        break;
    }
    return "key_name"_L1;
}

template <typename T> Result<T> queryFailure(const QString &path, const QSqlQuery &query)
{
    return Result<T>::failure(Tr::tr("Could not read the usage ledger %1 (%2).").arg(path, query.lastError().text()));
}

} // namespace

Result<LedgerReader> LedgerReader::open(const QString &databasePath)
{
    if (!QFileInfo(databasePath).isFile()) {
        return Result<LedgerReader>::failure(
            Tr::tr("There is no usage ledger at %1: it is created when the gateway first runs. Check the path.")
                .arg(databasePath));
    }
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s)) {
        return Result<LedgerReader>::failure(
            Tr::tr("Qt's SQLite driver (QSQLITE) is not installed, so the usage ledger cannot be opened: install "
                   "the libqt6sql6-sqlite package."));
    }
    LedgerReader reader(u"switchyard.ledger.reader.%1"_s.arg(nextConnection.fetchAndAddRelaxed(1)), databasePath);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, reader.m_connectionName);
    db.setDatabaseName(databasePath);
    db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=1000"_s);
    if (!db.open()) {
        return Result<LedgerReader>::failure(
            Tr::tr("Could not open the usage ledger %1 (%2): check that the file is readable.")
                .arg(databasePath, db.lastError().text()));
    }
    const auto version = LedgerSchema::readVersion(db);
    if (!version) {
        return Failure {version.errorMessage()};
    }
    if (version.value() == 0) {
        return Result<LedgerReader>::failure(
            Tr::tr("%1 is not a Switchyard usage ledger (it has no ledger tables). Check the path.").arg(databasePath));
    }
    if (version.value() < LedgerSchema::currentVersion()) {
        return Result<LedgerReader>::failure(
            Tr::tr("The usage ledger %1 uses an older schema (version %2): start the gateway once to upgrade it.")
                .arg(databasePath)
                .arg(version.value()));
    }
    return reader;
}

LedgerReader::LedgerReader(QString connectionName, QString databasePath)
    : m_connectionName(std::move(connectionName))
    , m_databasePath(std::move(databasePath))
{
}

LedgerReader::LedgerReader(LedgerReader &&other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, QString()))
    , m_databasePath(std::move(other.m_databasePath))
{
}

LedgerReader &LedgerReader::operator=(LedgerReader &&other) noexcept
{
    std::swap(m_connectionName, other.m_connectionName);
    std::swap(m_databasePath, other.m_databasePath);
    return *this;
}

LedgerReader::~LedgerReader()
{
    if (!m_connectionName.isEmpty()) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

Result<QList<UsageRecord>> LedgerReader::recent(int limit, qint64 beforeId) const
{
    return records({}, limit, beforeId);
}

namespace {

// The usage_records columns in the order readRecord() reads them.
constexpr auto recordColumns
    = "id, time_ms, request_id, key_name, route, provider, model, status, attempt, stream, latency_ms, ttft_ms,"
      " usage_reported, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens,"
      " cost_nano_usd, price_source, error_class, trace, reported_cost_nano_usd"_L1;

UsageRecord readRecord(const QSqlQuery &query)
{
    UsageRecord record;
    record.id = query.value(0).toLongLong();
    record.time = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
    record.requestId = query.value(2).toString();
    record.keyName = query.value(3).toString();
    record.route = query.value(4).toString();
    record.provider = query.value(5).toString();
    record.model = query.value(6).toString();
    record.status = query.value(7).toInt();
    record.attempt = query.value(8).toInt();
    record.stream = query.value(9).toBool();
    record.latencyMs = query.value(10).toLongLong();
    record.ttftMs = query.isNull(11) ? -1 : query.value(11).toLongLong();
    record.usage.isReported = query.value(12).toBool();
    record.usage.promptTokens = query.value(13).toLongLong();
    record.usage.completionTokens = query.value(14).toLongLong();
    record.usage.cachedTokens = query.value(15).toLongLong();
    record.usage.cacheWriteTokens = query.value(16).toLongLong();
    record.usage.reasoningTokens = query.value(17).toLongLong();
    if (!query.isNull(18)) {
        record.cost = Money::fromNanoUsd(query.value(18).toLongLong());
    }
    record.priceSource = query.value(19).toString();
    record.errorClass = query.value(20).toString();
    record.trace = query.value(21).toString().toUtf8();
    if (!query.isNull(22)) {
        record.usage.reportedCost = Money::fromNanoUsd(query.value(22).toLongLong());
    }
    return record;
}

// SQLite's LIKE folds ASCII letters only; RecordFilter::matches() folds the same way so live
// records and queried ones agree.
QString asciiLower(const QString &text)
{
    QString folded = text;
    for (QChar &c : folded) {
        if (c >= u'A' && c <= u'Z') {
            c = QChar(c.unicode() + (u'a' - u'A'));
        }
    }
    return folded;
}

QString likePattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == u'\\' || c == u'%' || c == u'_') {
            escaped.append(u'\\');
        }
        escaped.append(c);
    }
    return u'%' + escaped + u'%';
}

} // namespace

bool LedgerReader::RecordFilter::matches(const UsageRecord &record) const
{
    if (since.isValid() && record.time < since) {
        return false;
    }
    if ((outcome == Outcome::Succeeded && record.isFailure()) || (outcome == Outcome::Failed && !record.isFailure())) {
        return false;
    }
    if ((provider && *provider != record.provider) || (route && *route != record.route)
        || (keyName && *keyName != record.keyName) || (!requestId.isEmpty() && requestId != record.requestId)) {
        return false;
    }
    if (text.isEmpty()) {
        return true;
    }
    const QString needle = asciiLower(text);
    const QString target = record.provider + u'/' + record.model;
    return asciiLower(record.route).contains(needle) || asciiLower(record.keyName).contains(needle)
        || asciiLower(target).contains(needle) || asciiLower(record.requestId).contains(needle);
}

Result<QList<UsageRecord>> LedgerReader::records(const RecordFilter &filter, int limit, qint64 beforeId) const
{
    QString where = u"id < ?"_s;
    QVariantList values {beforeId > 0 ? beforeId : std::numeric_limits<qint64>::max()};
    if (filter.since.isValid()) {
        where += u" AND time_ms >= ?"_s;
        values.append(filter.since.toMSecsSinceEpoch());
    }
    if (filter.outcome != RecordFilter::Outcome::Any) {
        where += filter.outcome == RecordFilter::Outcome::Failed ? u" AND error_class <> ''"_s
                                                                 : u" AND error_class = ''"_s;
    }
    const std::pair<QLatin1StringView, const std::optional<QString> &> exact[]
        = {{"provider"_L1, filter.provider}, {"route"_L1, filter.route}, {"key_name"_L1, filter.keyName}};
    for (const auto &[column, value] : exact) {
        if (value) {
            // The unary + keeps SQLite off the (column, time_ms) index: walking ids newest first
            // stops after one page, where the index would sort every match below the cursor.
            where += u" AND +"_s + column + u" = ?"_s;
            values.append(value->isNull() ? u""_s : *value);
        }
    }
    if (!filter.requestId.isEmpty()) {
        where += u" AND request_id = ?"_s;
        values.append(filter.requestId);
    }
    if (!filter.text.isEmpty()) {
        where += u" AND (route LIKE ? ESCAPE '\\' OR key_name LIKE ? ESCAPE '\\'"
                 " OR provider || '/' || model LIKE ? ESCAPE '\\' OR request_id LIKE ? ESCAPE '\\')"_s;
        values.append(QVariantList(4, likePattern(filter.text)));
    }
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM usage_records WHERE %2 ORDER BY id DESC LIMIT ?"_s.arg(recordColumns, where));
    values.append(qMax(0, limit));
    for (const QVariant &value : std::as_const(values)) {
        query.addBindValue(value);
    }
    if (!query.exec()) {
        return queryFailure<QList<UsageRecord>>(m_databasePath, query);
    }
    QList<UsageRecord> records;
    while (query.next()) {
        records.append(readRecord(query));
    }
    return records;
}

Result<QList<SpendRow>> LedgerReader::spend(Grouping by, const QDateTime &since) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    // Spend counts what the provider reported where it did, as UsageRecord::effectiveCost() does.
    query.prepare(u"SELECT %1, COUNT(*), SUM(error_class <> ''), SUM(prompt_tokens), SUM(completion_tokens),"
                  " SUM(cached_tokens), SUM(reasoning_tokens), COALESCE(SUM(%2), 0) AS cost,"
                  " SUM(%2 IS NULL), AVG(latency_ms),"
                  " SUM(CASE WHEN %2 IS NULL THEN prompt_tokens + completion_tokens ELSE 0 END)"
                  " FROM usage_records WHERE time_ms >= ? GROUP BY %1"
                  " ORDER BY cost DESC, COUNT(*) DESC, %1 ASC"_s.arg(
                      groupColumn(by), "COALESCE(reported_cost_nano_usd, cost_nano_usd)"_L1));
    query.addBindValue(since.isValid() ? since.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min());
    if (!query.exec()) {
        return queryFailure<QList<SpendRow>>(m_databasePath, query);
    }
    QList<SpendRow> rows;
    while (query.next()) {
        SpendRow row;
        row.group = query.value(0).toString();
        row.requests = query.value(1).toLongLong();
        row.failed = query.value(2).toLongLong();
        row.promptTokens = query.value(3).toLongLong();
        row.completionTokens = query.value(4).toLongLong();
        row.cachedTokens = query.value(5).toLongLong();
        row.reasoningTokens = query.value(6).toLongLong();
        row.cost = Money::fromNanoUsd(query.value(7).toLongLong());
        row.unpricedRequests = query.value(8).toLongLong();
        row.avgLatencyMs = query.value(9).toDouble();
        row.unpricedTokens = query.value(10).toLongLong();
        rows.append(std::move(row));
    }
    return rows;
}

Result<QList<BreakerEvent>> LedgerReader::breakerEvents(const QDateTime &since, int limit) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(u"SELECT id, time_ms, provider, model, from_state, to_state, reason FROM breaker_events"
                  " WHERE time_ms >= ? ORDER BY time_ms DESC, id DESC LIMIT ?"_s);
    query.addBindValue(since.isValid() ? since.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min());
    query.addBindValue(qMax(0, limit));
    if (!query.exec()) {
        return queryFailure<QList<BreakerEvent>>(m_databasePath, query);
    }
    QList<BreakerEvent> events;
    while (query.next()) {
        BreakerEvent event;
        event.id = query.value(0).toLongLong();
        event.time = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
        event.provider = query.value(2).toString();
        event.model = query.value(3).toString();
        event.fromState = query.value(4).toString();
        event.toState = query.value(5).toString();
        event.reason = query.value(6).toString();
        events.append(std::move(event));
    }
    return events;
}

Result<std::optional<CapturedBodies>> LedgerReader::capturedBodies(const QString &requestId) const
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.setForwardOnly(true);
    query.prepare(u"SELECT request, response, truncated FROM request_bodies WHERE request_id = ?"_s);
    query.addBindValue(requestId);
    if (!query.exec()) {
        return queryFailure<std::optional<CapturedBodies>>(m_databasePath, query);
    }
    if (!query.next()) {
        return std::optional<CapturedBodies>();
    }
    CapturedBodies bodies;
    bodies.request = query.value(0).toByteArray();
    bodies.response = query.value(1).toByteArray();
    bodies.truncated = query.value(2).toBool();
    return std::optional<CapturedBodies>(std::move(bodies));
}

Result<QList<ProviderHealth>> LedgerReader::providerHealth(const QStringList &providers, const QDateTime &since) const
{
    // Per provider, so that every query walks the (provider, time_ms) index instead of the table.
    const QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery lastSuccess(db);
    lastSuccess.setForwardOnly(true);
    lastSuccess.prepare(u"SELECT time_ms FROM usage_records WHERE provider = ? AND error_class = ''"
                        " ORDER BY time_ms DESC LIMIT 1"_s);
    QSqlQuery counts(db);
    counts.setForwardOnly(true);
    counts.prepare(u"SELECT COUNT(*), COALESCE(SUM(error_class <> ''), 0) FROM usage_records"
                   " WHERE provider = ? AND time_ms >= ? AND error_class <> 'client_closed'"_s);
    QSqlQuery middle(db);
    middle.setForwardOnly(true);
    middle.prepare(u"SELECT latency_ms FROM usage_records WHERE provider = ? AND time_ms >= ? AND error_class = ''"
                   " ORDER BY latency_ms LIMIT ? OFFSET ?"_s);
    const qint64 sinceMs = since.isValid() ? since.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();

    QList<ProviderHealth> result;
    result.reserve(providers.size());
    for (const QString &provider : providers) {
        ProviderHealth health;
        health.provider = provider;
        lastSuccess.addBindValue(provider);
        if (!lastSuccess.exec()) {
            return queryFailure<QList<ProviderHealth>>(m_databasePath, lastSuccess);
        }
        if (lastSuccess.next()) {
            health.lastSuccess = QDateTime::fromMSecsSinceEpoch(lastSuccess.value(0).toLongLong(), Qt::UTC);
        }
        lastSuccess.finish();

        counts.addBindValue(provider);
        counts.addBindValue(sinceMs);
        if (!counts.exec() || !counts.next()) {
            return queryFailure<QList<ProviderHealth>>(m_databasePath, counts);
        }
        health.attempts = counts.value(0).toLongLong();
        health.failures = counts.value(1).toLongLong();
        counts.finish();

        const qint64 successes = health.attempts - health.failures;
        if (successes > 0) {
            // The middle value, or the two middle ones of an even count.
            middle.addBindValue(provider);
            middle.addBindValue(sinceMs);
            middle.addBindValue(successes % 2 == 0 ? 2 : 1);
            middle.addBindValue((successes - 1) / 2);
            if (!middle.exec()) {
                return queryFailure<QList<ProviderHealth>>(m_databasePath, middle);
            }
            qint64 sum = 0;
            int values = 0;
            while (middle.next()) {
                sum += middle.value(0).toLongLong();
                ++values;
            }
            middle.finish();
            health.medianLatencyMs = values > 0 ? sum / values : -1;
        }
        result.append(std::move(health));
    }
    return result;
}

} // namespace Switchyard::Ledger
