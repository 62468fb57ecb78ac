#pragma once

#include <QDeadlineTimer>
#include <QtGlobal>

namespace Switchyard::Routing {

// Monotonic milliseconds for the router's time-based decisions; tests inject a scripted one.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
};

// The steady system clock: never jumps with wall-clock changes.
class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDeadlineTimer::current(Qt::PreciseTimer).deadline(); }
};

} // namespace Switchyard::Routing
