#pragma once

#include "core/model/money.h"

#include <QMetaType>
#include <QString>

namespace Switchyard::Ledger {

enum class Grouping {
    Provider,
    Model,
    Route,
    Key,
};

// Totals of the ledger records sharing one provider, model, route or key. Counts are of
// upstream attempts; cost leaves out the unpriced ones, which are counted separately (their
// number and their prompt + completion tokens, which budgets charge at the unpriced rate).
struct SpendRow
{
    QString group; // empty route = direct requests, empty key = requests without a gateway key
    qint64 requests = 0;
    qint64 failed = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 reasoningTokens = 0;
    Money cost;
    qint64 unpricedRequests = 0;
    double avgLatencyMs = 0;
    qint64 unpricedTokens = 0; // prompt + completion tokens of the unpriced requests

    friend bool operator==(const SpendRow &, const SpendRow &) = default;
};

} // namespace Switchyard::Ledger

Q_DECLARE_METATYPE(Switchyard::Ledger::SpendRow)
