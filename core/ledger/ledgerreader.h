#pragma once

#include "core/ledger/breakerevent.h"
#include "core/ledger/providerhealth.h"
#include "core/ledger/spendrow.h"
#include "core/ledger/usagerecord.h"
#include "core/model/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchyard::Ledger {

// Read-only queries on a ledger file, on a connection of its own. A connection belongs to the
// thread that opened it: open and use a reader on one thread (a worker or the CLI's main thread).
// It sees what a running Ledger has committed, without blocking it.
class LedgerReader
{
public:
    // Fails when the file does not exist, is not a ledger, or needs a newer or older Switchyard.
    static Result<LedgerReader> open(const QString &databasePath);

    LedgerReader(LedgerReader &&other) noexcept;
    LedgerReader &operator=(LedgerReader &&other) noexcept;
    ~LedgerReader();
    Q_DISABLE_COPY(LedgerReader)

    QString databasePath() const { return m_databasePath; }

    // Which records records() returns; every field left at its default matches everything.
    struct RecordFilter
    {
        enum class Outcome {
            Any,
            Succeeded,
            Failed, // any error class
        };

        // Found ASCII-case-insensitively in the route, the key name, "provider/model" or the request id.
        QString text;
        Outcome outcome = Outcome::Any;
        std::optional<QString> provider; // exact; nullopt = any
        std::optional<QString> route; // exact; "" = direct provider/model requests
        std::optional<QString> keyName; // exact; "" = requests without a gateway key
        QString requestId; // exact, when not empty
        QDateTime since; // records at or after; invalid = all time

        // The same test the query applies, for records that arrive after it ran.
        bool matches(const UsageRecord &record) const;
        friend bool operator==(const RecordFilter &, const RecordFilter &) = default;
    };

    // The records matching filter, newest first; beforeId > 0 continues a page below that record id.
    Result<QList<UsageRecord>> records(const RecordFilter &filter, int limit, qint64 beforeId = 0) const;

    // Newest first; beforeId > 0 continues a page below that record id.
    Result<QList<UsageRecord>> recent(int limit, qint64 beforeId = 0) const;
    // One row per provider/model/route/key with records at or after since (all time when since is
    // invalid), sorted by cost, most expensive first.
    Result<QList<SpendRow>> spend(Grouping by, const QDateTime &since) const;
    // Circuit breaker changes at or after since (all time when since is invalid), newest first,
    // at most limit of them.
    Result<QList<BreakerEvent>> breakerEvents(const QDateTime &since, int limit) const;
    // The bodies captured for a request; nullopt when none were (capture was off).
    Result<std::optional<CapturedBodies>> capturedBodies(const QString &requestId) const;
    // One entry per id in providers, in that order (zeros for a provider without records): the
    // last success of all time, and attempts, failures and median latency at or after since.
    Result<QList<ProviderHealth>> providerHealth(const QStringList &providers, const QDateTime &since) const;

private:
    LedgerReader(QString connectionName, QString databasePath);

    QString m_connectionName; // empty once moved from
    QString m_databasePath;
};

} // namespace Switchyard::Ledger

Q_DECLARE_METATYPE(Switchyard::Ledger::LedgerReader::RecordFilter)
