#include "ui/models/routetexts.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

using Routing::FallbackCondition;
using Routing::Strategy;

QList<Strategy> RouteTexts::strategies()
{
    return {Strategy::Fallback, Strategy::Weighted, Strategy::LowestLatency, Strategy::LowestCost, Strategy::LeastBusy};
}

QString RouteTexts::strategyName(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Fallback:
        return tr("Fallback");
    case Strategy::Weighted:
        return tr("Weighted");
    case Strategy::LowestLatency:
        return tr("Lowest latency");
    case Strategy::LowestCost:
        return tr("Lowest cost");
    case Strategy::LeastBusy:
        return tr("Least busy");
    }
    return {};
}

QString RouteTexts::strategyExplanation(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Fallback:
        return tr("Targets are tried in the order shown.");
    case Strategy::Weighted:
        return tr("The first target is picked at random by weight; the others follow by weight.");
    case Strategy::LowestLatency:
        return tr("Targets are tried fastest first (recent latency), with some exploration.");
    case Strategy::LowestCost:
        return tr("Targets are tried cheapest first for each request's estimated cost.");
    case Strategy::LeastBusy:
        return tr("Targets are tried with the fewest requests in flight first.");
    }
    return {};
}

QList<FallbackCondition> RouteTexts::conditions()
{
    return {FallbackCondition::Connect, FallbackCondition::Timeout, FallbackCondition::TtftTimeout,
        FallbackCondition::Http408, FallbackCondition::Http409, FallbackCondition::Http429, FallbackCondition::Http5xx,
        FallbackCondition::Auth, FallbackCondition::ContextWindow, FallbackCondition::ContentPolicy};
}

QString RouteTexts::conditionName(FallbackCondition condition)
{
    switch (condition) {
    case FallbackCondition::Connect:
        return tr("connect");
    case FallbackCondition::Timeout:
        return tr("timeout");
    case FallbackCondition::TtftTimeout:
        return tr("TTFT timeout");
    case FallbackCondition::Http408:
        return tr("408");
    case FallbackCondition::Http409:
        return tr("409");
    case FallbackCondition::Http429:
        return tr("429");
    case FallbackCondition::Http5xx:
        return tr("5xx");
    case FallbackCondition::ContextWindow:
        return tr("context window");
    case FallbackCondition::ContentPolicy:
        return tr("content policy");
    case FallbackCondition::Auth:
        return tr("auth");
    }
    return {};
}

QString RouteTexts::conditionList(Routing::FallbackConditions conditions)
{
    QStringList names;
    for (FallbackCondition condition : RouteTexts::conditions()) {
        if (conditions.testFlag(condition)) {
            names.append(conditionName(condition));
        }
    }
    return names.isEmpty() ? tr("never") : names.join(tr(", "));
}

QString RouteTexts::breakerStateName(Routing::BreakerState state)
{
    switch (state) {
    case Routing::BreakerState::Closed:
        return tr("breaker closed");
    case Routing::BreakerState::Open:
        return tr("breaker open");
    case Routing::BreakerState::HalfOpen:
        return tr("breaker half-open");
    }
    return {};
}

} // namespace Switchyard::Ui
