#include "ui/models/usagerecordcolumns.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

QString UsageRecordColumns::header(Column column)
{
    switch (column) {
    case Column::Time:
        return tr("Time");
    case Column::Key:
        return tr("Key");
    case Column::Route:
        return tr("Route");
    case Column::Target:
        return tr("Target");
    case Column::Status:
        return tr("Status");
    case Column::Attempt:
        return tr("Attempt");
    case Column::Latency:
        return tr("Latency (ms)");
    case Column::TimeToFirstToken:
        return tr("TTFT (ms)");
    case Column::TokensIn:
        return tr("Tokens In");
    case Column::TokensOut:
        return tr("Tokens Out");
    case Column::Cost:
        return tr("Cost");
    case Column::Error:
        return tr("Error");
    case Column::Count:
        break;
    }
    return {};
}

QString UsageRecordColumns::displayText(const Ledger::UsageRecord &record, Column column, TimeFormat timeFormat)
{
    const QLocale locale;
    const QString none = u"–"_s;
    switch (column) {
    case Column::Time:
        return timeFormat == TimeFormat::TimeOfDay
            ? locale.toString(record.time.toLocalTime().time(), u"HH:mm:ss"_s)
            : locale.toString(record.time.toLocalTime(), u"yyyy-MM-dd HH:mm:ss"_s);
    case Column::Key:
        return record.keyName.isEmpty() ? none : record.keyName;
    case Column::Route:
        return record.route.isEmpty() ? none : record.route;
    case Column::Target:
        return record.provider + u'/' + record.model;
    case Column::Status:
        return record.status > 0 ? QString::number(record.status) : none;
    case Column::Attempt:
        return QString::number(record.attempt);
    case Column::Latency:
        return locale.toString(record.latencyMs);
    case Column::TimeToFirstToken:
        return record.ttftMs >= 0 ? locale.toString(record.ttftMs) : none;
    case Column::TokensIn:
        return record.usage.isReported ? locale.toString(record.usage.promptTokens) : none;
    case Column::TokensOut:
        return record.usage.isReported ? locale.toString(record.usage.completionTokens) : none;
    case Column::Cost: {
        const auto cost = record.effectiveCost();
        return cost ? cost->toString() : tr("unknown");
    }
    case Column::Error:
        return record.errorClass;
    case Column::Count:
        break;
    }
    return {};
}

QVariant UsageRecordColumns::alignment(Column column)
{
    switch (column) {
    case Column::Status:
    case Column::Attempt:
    case Column::Latency:
    case Column::TimeToFirstToken:
    case Column::TokensIn:
    case Column::TokensOut:
    case Column::Cost:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

} // namespace Switchyard::Ui
