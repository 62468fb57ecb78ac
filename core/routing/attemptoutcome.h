#pragma once

#include <QMetaType>
#include <QString>

namespace Switchyard::Routing {

// What one attempt against one target came to, as the gateway observed it.
struct AttemptOutcome
{
    enum class Transport {
        None, // an HTTP response arrived and was read completely
        Connect, // refused, unreachable, DNS or TLS failure
        Timeout, // the target's timeout passed before the answer was complete
        TtftTimeout, // the time-to-first-token timeout passed
        Reset, // the connection broke after it was established
        InvalidResponse, // the upstream answered with something that is not a valid response or stream
    };

    Transport transport = Transport::None;
    int httpStatus = 0; // 0: no status line was received
    QString errorType; // the provider's error "type" (or Gemini's "status"), when it sent an error body
    QString errorCode;
    QString errorMessage;
    qint64 latencyMs = -1; // time to the first token (or the whole answer when not streamed); -1: none

    bool succeeded() const { return transport == Transport::None && httpStatus >= 200 && httpStatus < 300; }

    friend bool operator==(const AttemptOutcome &, const AttemptOutcome &) = default;
};

} // namespace Switchyard::Routing

Q_DECLARE_METATYPE(Switchyard::Routing::AttemptOutcome)
