#pragma once

#include "core/model/money.h"
#include "core/model/usage.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace Switchyard::Workbench {

// How one request from the window went: who answered, how fast, how many tokens, at what cost.
struct ExchangeResult
{
    enum class Outcome {
        Completed,
        Failed,
        Cancelled, // stopped by the person; what arrived until then is kept
    };

    Outcome outcome = Outcome::Failed;
    QString target; // what was asked for: a route name or provider/model
    QString servedTarget; // "provider/model" of the last attempt (x-switchyard-target); empty when none was made
    QString route; // the route the gateway resolved (x-switchyard-route); empty for provider/model
    int attempts = 0; // upstream attempts, fallbacks and retries included
    int httpStatus = 0; // the gateway's status; 0 when it did not answer
    QString requestId; // the gateway's x-request-id, as kept in the ledger
    qint64 ttftMs = -1; // request sent -> first answer text; -1 when none arrived
    qint64 totalMs = -1; // request sent -> end of the answer
    Usage usage;
    std::optional<Money> cost; // nullopt when the price or the usage is unknown, never $0 for unknown
    QString finishReason;
    QString errorMessage; // Failed: why, in the gateway's words where it gave any

    bool isCompleted() const { return outcome == Outcome::Completed; }
    // Completion tokens per second after the first token; nullopt without usage or timing.
    std::optional<double> tokensPerSecond() const;

    friend bool operator==(const ExchangeResult &, const ExchangeResult &) = default;
};

} // namespace Switchyard::Workbench

Q_DECLARE_METATYPE(Switchyard::Workbench::ExchangeResult)
