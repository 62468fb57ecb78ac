#pragma once

#include "core/routing/circuitbreaker.h"
#include "core/routing/route.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace Switchyard::Ui {

// The words the route editor uses for the routing engine's enums, translated.
class RouteTexts
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ui::RouteTexts)

public:
    RouteTexts() = delete;

    static QList<Routing::Strategy> strategies();
    static QString strategyName(Routing::Strategy strategy);
    // How the strategy orders the targets for one request, as a sentence.
    static QString strategyExplanation(Routing::Strategy strategy);

    // Every condition, in the order a person reads them (transport first, then HTTP, then content).
    static QList<Routing::FallbackCondition> conditions();
    static QString conditionName(Routing::FallbackCondition condition);
    // "connect, timeout, 5xx" in conditions() order; "never" when empty.
    static QString conditionList(Routing::FallbackConditions conditions);

    static QString breakerStateName(Routing::BreakerState state);
};

} // namespace Switchyard::Ui
