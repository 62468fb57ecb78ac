#pragma once

#include <QByteArray>

namespace Switchyard::Ledger {

// What a client sent and received through the gateway, kept only while body capture is switched
// on. Each side is cut at `limitBytes`; a stream's response is its event frames as sent.
struct CapturedBodies
{
    static constexpr qsizetype limitBytes = 256 * 1024;

    QByteArray request;
    QByteArray response;
    bool truncated = false; // a side was longer than limitBytes

    // Appends to `side` up to the limit, noting what did not fit.
    void append(QByteArray &side, QByteArrayView bytes)
    {
        const qsizetype room = limitBytes - side.size();
        if (bytes.size() > room) {
            truncated = true;
        }
        if (room > 0) {
            side.append(bytes.first(qMin(room, bytes.size())));
        }
    }

    friend bool operator==(const CapturedBodies &, const CapturedBodies &) = default;
};

} // namespace Switchyard::Ledger
