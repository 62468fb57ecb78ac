#pragma once

#include "core/config/localkey.h"
#include "core/routing/budget.h"

#include <QList>

namespace Switchyard::Ui {

// One local key with the budgets and rate limit the workspace sets for it.
struct LocalKeyRow
{
    Config::LocalKey key;
    QList<Routing::Budget> budgets; // day, week, month order
    Routing::RateLimit limit; // zeros when the key has none

    friend bool operator==(const LocalKeyRow &, const LocalKeyRow &) = default;
};

} // namespace Switchyard::Ui
