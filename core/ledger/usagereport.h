#pragma once

#include "core/ledger/spendrow.h"
#include "core/model/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Switchyard::Ledger {

// Text forms of a spend report, for `switchyard usage`.
class UsageReport
{
public:
    enum class Format {
        Table,
        Csv,
        Json,
    };

    // "table", "csv" or "json".
    static Result<Format> parseFormat(const QString &text);
    // "provider", "model", "route" or "key".
    static Result<Grouping> parseGrouping(const QString &text);
    // YYYY-MM-DD (local midnight) or an ISO 8601 date-time ("2025-11-21T14:30:00Z"; local time without offset).
    static Result<QDateTime> parseSince(const QString &text);

    // Table: aligned columns and a total line. Csv: RFC 4180 with a header line and exact
    // dollar amounts. Json: an array of objects, one per row.
    static QString format(const QList<SpendRow> &rows, Grouping by, Format format);
};

} // namespace Switchyard::Ledger
