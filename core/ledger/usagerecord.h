#pragma once

#include "core/ledger/capturedbodies.h"
#include "core/model/money.h"
#include "core/model/usage.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>

namespace Switchyard::Ledger {

// One upstream attempt as the ledger keeps it. A request that falls over to another target
// leaves one record per attempt, all with the same requestId.
struct UsageRecord
{
    qint64 id = 0; // 0 until stored
    QDateTime time; // UTC, millisecond precision; stamped by Ledger::append() when invalid
    QString requestId;
    QString keyName;
    QString route; // empty for a direct provider/model request
    QString provider;
    QString model;
    int status = 0; // upstream HTTP status, 0 when no response arrived
    int attempt = 1; // 1-based within the request
    bool stream = false;
    qint64 latencyMs = 0;
    qint64 ttftMs = -1; // -1 = no first token
    Usage usage;
    std::optional<Money> cost; // computed from the price catalog; nullopt = price unknown, never the same as $0
    QString priceSource;
    // Empty on success; otherwise "connect", "timeout", "http_429", "http_5xx", "http_4xx",
    // "truncated", "client_closed" or "invalid_response".
    QString errorClass;
    // The request's routing decision trace (compact JSON), on the record of its last attempt.
    QByteArray trace;
    // With body capture on, on the record of its last attempt; shared so that records stay cheap
    // to pass around.
    std::shared_ptr<const CapturedBodies> bodies;

    bool isFailure() const { return !errorClass.isEmpty(); }
    // The provider's own figure when it reported one (it knows discounts and fees the catalog
    // does not), otherwise the computed cost.
    std::optional<Money> effectiveCost() const { return usage.reportedCost ? usage.reportedCost : cost; }
    friend bool operator==(const UsageRecord &, const UsageRecord &) = default;
};

} // namespace Switchyard::Ledger

Q_DECLARE_METATYPE(Switchyard::Ledger::UsageRecord)
