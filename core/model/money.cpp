#include "core/model/money.h"

#include <cmath>

namespace Switchyard {

Money Money::fromUsd(double usd)
{
    return Money(qint64(std::llround(usd * 1e9)));
}

QString Money::toString(int decimals) const
{
    return QStringLiteral("$") + QString::number(usd(), 'f', decimals);
}

} // namespace Switchyard
