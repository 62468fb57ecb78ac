#pragma once

#include <QMetaType>
#include <QString>

#include <compare>

namespace Switchyard {

// An amount of US dollars held as an integer count of nano-dollars (1e-9 USD), so that
// summing many tiny per-token costs is exact and never drifts the way doubles do.
class Money
{
public:
    constexpr Money() = default;

    static constexpr Money fromNanoUsd(qint64 nanoUsd) { return Money(nanoUsd); }
    static Money fromUsd(double usd);

    constexpr qint64 nanoUsd() const { return m_nanoUsd; }
    double usd() const { return double(m_nanoUsd) / 1e9; }
    constexpr bool isZero() const { return m_nanoUsd == 0; }

    // "$0.001234" with enough decimals to show sub-cent amounts.
    QString toString(int decimals = 6) const;

    constexpr Money &operator+=(Money other)
    {
        m_nanoUsd += other.m_nanoUsd;
        return *this;
    }
    constexpr Money &operator-=(Money other)
    {
        m_nanoUsd -= other.m_nanoUsd;
        return *this;
    }
    friend constexpr Money operator+(Money a, Money b) { return Money(a.m_nanoUsd + b.m_nanoUsd); }
    friend constexpr Money operator-(Money a, Money b) { return Money(a.m_nanoUsd - b.m_nanoUsd); }
    friend constexpr auto operator<=>(Money a, Money b) = default;
    friend constexpr bool operator==(Money a, Money b) = default;

private:
    constexpr explicit Money(qint64 nanoUsd)
        : m_nanoUsd(nanoUsd)
    {
    }

    qint64 m_nanoUsd = 0;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::Money)
