#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Switchyard::Ledger {

// One change of a route target's circuit breaker as the ledger keeps it, so the history of a
// target's outages outlives the gateway process.
struct BreakerEvent
{
    qint64 id = 0; // 0 until stored
    QDateTime time; // UTC, millisecond precision; stamped by Ledger::appendBreakerEvent() when invalid
    QString provider;
    QString model;
    QString fromState; // "closed", "open" or "half_open"
    QString toState;
    QString reason; // for a person, e.g. "5 failures within 60 s"; in the language of the recording process

    friend bool operator==(const BreakerEvent &, const BreakerEvent &) = default;
};

} // namespace Switchyard::Ledger

Q_DECLARE_METATYPE(Switchyard::Ledger::BreakerEvent)
