#pragma once

#include "core/model/money.h"
#include "core/model/usage.h"
#include "core/workbench/exchangeresult.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace Switchyard::Ui {

// How the window words an exchange's figures, the same in the transcript and the comparison.
class ExchangeFormat
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ui::ExchangeFormat)

public:
    ExchangeFormat() = delete;

    // "240 ms", "1.31 s"; "–" for an unknown (negative) duration.
    static QString duration(qint64 ms);
    // "1200 in · 80 out"; "–" when the usage was not reported.
    static QString tokens(const Usage &usage);
    // "61.2 tok/s"; "–" when unknown.
    static QString speed(std::optional<double> tokensPerSecond);
    // "$0.000123"; "unknown" when the price or usage is unknown.
    static QString cost(const std::optional<Money> &cost);
    // "openai/gpt-4o-mini via smart, 2 attempts"; who answered.
    static QString servedBy(const Workbench::ExchangeResult &result);
    // "TTFT 240 ms · total 1.31 s · 1200 in · 80 out tokens · 61.2 tok/s · cost $0.000123", the speed
    // left out when unknown.
    static QString figures(const Workbench::ExchangeResult &result);
};

} // namespace Switchyard::Ui
