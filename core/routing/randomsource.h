#pragma once

#include <QRandomGenerator>

namespace Switchyard::Routing {

// Uniform numbers in [0, 1) for weighted picks, exploration and jitter; tests inject a scripted sequence.
class RandomSource
{
public:
    virtual ~RandomSource() = default;
    virtual double uniform() = 0;
};

// QRandomGenerator::global(): seeded by the system and safe to share between threads.
class SystemRandom final : public RandomSource
{
public:
    double uniform() override { return QRandomGenerator::global()->generateDouble(); }
};

} // namespace Switchyard::Routing
