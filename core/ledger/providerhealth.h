#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace Switchyard::Ledger {

// How one provider's upstream attempts went: its last success ever and, over a recent window,
// how many attempts failed and how long the successful ones took. Attempts the client ended
// ("client_closed") say nothing about the provider and are left out.
struct ProviderHealth
{
    QString provider;
    QDateTime lastSuccess; // UTC; invalid when no attempt ever succeeded
    qint64 attempts = 0; // in the window
    qint64 failures = 0; // in the window
    qint64 medianLatencyMs = -1; // of the window's successful attempts; -1 when there were none

    // failures / attempts; 0 without attempts.
    double errorRate() const { return attempts > 0 ? double(failures) / double(attempts) : 0.0; }

    friend bool operator==(const ProviderHealth &, const ProviderHealth &) = default;
};

} // namespace Switchyard::Ledger

Q_DECLARE_METATYPE(Switchyard::Ledger::ProviderHealth)
