#pragma once

#include "core/routing/clock.h"
#include "core/routing/randomsource.h"

#include <QList>

namespace RoutingTest {

// A clock that moves only when the test says so.
class ScriptedClock final : public Switchyard::Routing::Clock
{
public:
    qint64 nowMs() const override { return m_nowMs; }
    void advance(qint64 ms) { m_nowMs += ms; }

private:
    qint64 m_nowMs = 1'000'000;
};

// Returns the given values in order; past the end it returns 0 and remembers the overrun,
// so a test notices a draw it did not expect.
class ScriptedRandom final : public Switchyard::Routing::RandomSource
{
public:
    explicit ScriptedRandom(QList<double> values = {})
        : m_values(std::move(values))
    {
    }
    double uniform() override
    {
        ++m_consumed;
        return m_consumed <= m_values.size() ? m_values.at(m_consumed - 1) : 0.0;
    }
    qsizetype consumed() const { return m_consumed; }

private:
    QList<double> m_values;
    qsizetype m_consumed = 0;
};

} // namespace RoutingTest
