#pragma once

#include "core/ledger/usagerecord.h"

#include <QCoreApplication>
#include <QString>
#include <QVariant>

namespace Switchyard::Ui {

// The columns every table of ledger records shows (the Gateway page's live feed, the Logs page),
// with one header and one text per column, so both read the same.
class UsageRecordColumns
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ui::UsageRecordColumns)

public:
    enum class Column {
        Time,
        Key,
        Route,
        Target,
        Status,
        Attempt,
        Latency,
        TimeToFirstToken,
        TokensIn,
        TokensOut,
        Cost,
        Error,
        Count,
    };
    enum class TimeFormat {
        TimeOfDay, // a live feed of today's requests
        DateAndTime, // a log reaching back days
    };

    static QString header(Column column);
    // "–" where a value does not exist (no status, no first token, usage not reported); an unknown
    // price reads "unknown", never $0.
    static QString displayText(const Ledger::UsageRecord &record, Column column, TimeFormat timeFormat);
    // Numbers are right-aligned.
    static QVariant alignment(Column column);
};

} // namespace Switchyard::Ui
