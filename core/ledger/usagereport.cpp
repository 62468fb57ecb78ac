#include "core/ledger/usagereport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Switchyard::Ledger {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ledger)
};

// Machine-readable name of a grouping: the CSV header and JSON key, and what --by accepts.
QString groupingName(Grouping by)
{
    switch (by) {
    case Grouping::Provider:
        return u"provider"_s;
    case Grouping::Model:
        return u"model"_s;
    case Grouping::Route:
        return u"route"_s;
    case Grouping::Key:
        break;
    }
    return u"key"_s;
}

QString groupHeading(Grouping by)
{
    switch (by) {
    case Grouping::Provider:
        return Tr::tr("Provider");
    case Grouping::Model:
        return Tr::tr("Model");
    case Grouping::Route:
        return Tr::tr("Route");
    case Grouping::Key:
        break;
    }
    return Tr::tr("Key");
}

QString groupLabel(const QString &group, Grouping by)
{
    if (!group.isEmpty()) {
        return group;
    }
    switch (by) {
    case Grouping::Route:
        return Tr::tr("(direct)");
    case Grouping::Key:
        return Tr::tr("(no key)");
    case Grouping::Provider:
    case Grouping::Model:
        break;
    }
    return Tr::tr("(none)");
}

// "12.345678901": every nano-dollar, no binary floating point on the way.
QString exactUsd(Money money)
{
    const qint64 nano = money.nanoUsd();
    const quint64 magnitude = nano < 0 ? 0 - quint64(nano) : quint64(nano);
    QString text = QString::number(magnitude / 1'000'000'000) + u'.'
        + QString::number(magnitude % 1'000'000'000).rightJustified(9, u'0');
    return nano < 0 ? u'-' + text : text;
}

QString csvField(const QString &field)
{
    if (!field.contains(u',') && !field.contains(u'"') && !field.contains(u'\n') && !field.contains(u'\r')) {
        return field;
    }
    QString quoted = field;
    quoted.replace(u'"', "\"\""_L1);
    return u'"' + quoted + u'"';
}

SpendRow totalOf(const QList<SpendRow> &rows)
{
    SpendRow total;
    double latencySum = 0;
    for (const SpendRow &row : rows) {
        total.requests += row.requests;
        total.failed += row.failed;
        total.promptTokens += row.promptTokens;
        total.completionTokens += row.completionTokens;
        total.cachedTokens += row.cachedTokens;
        total.reasoningTokens += row.reasoningTokens;
        total.cost += row.cost;
        total.unpricedRequests += row.unpricedRequests;
        latencySum += row.avgLatencyMs * row.requests;
    }
    total.avgLatencyMs = total.requests > 0 ? latencySum / total.requests : 0;
    return total;
}

QStringList tableCells(const QString &label, const SpendRow &row)
{
    return {label, QString::number(row.requests), QString::number(row.failed), QString::number(row.promptTokens),
        QString::number(row.completionTokens), QString::number(row.cachedTokens), QString::number(row.reasoningTokens),
        // A cost of nothing but unpriced requests is unknown, not $0.
        row.requests > 0 && row.unpricedRequests == row.requests ? Tr::tr("unknown") : row.cost.toString(6),
        QString::number(row.unpricedRequests), QString::number(row.avgLatencyMs, 'f', 0)};
}

QString formatTable(const QList<SpendRow> &rows, Grouping by)
{
    if (rows.isEmpty()) {
        return Tr::tr("No usage recorded in this period.") + u'\n';
    }
    QList<QStringList> lines;
    lines.append({groupHeading(by), Tr::tr("Requests"), Tr::tr("Failed"), Tr::tr("Prompt"), Tr::tr("Completion"),
        Tr::tr("Cached"), Tr::tr("Reasoning"), Tr::tr("Cost"), Tr::tr("Unpriced"), Tr::tr("Avg ms")});
    for (const SpendRow &row : rows) {
        lines.append(tableCells(groupLabel(row.group, by), row));
    }
    lines.append(tableCells(Tr::tr("Total"), totalOf(rows)));

    QList<qsizetype> widths(lines.first().size(), 0);
    for (const QStringList &cells : std::as_const(lines)) {
        for (qsizetype column = 0; column < cells.size(); ++column) {
            widths[column] = qMax(widths[column], cells[column].size());
        }
    }
    qsizetype lineWidth = 2 * (widths.size() - 1);
    for (const qsizetype width : std::as_const(widths)) {
        lineWidth += width;
    }

    QString text;
    for (qsizetype line = 0; line < lines.size(); ++line) {
        if (line == lines.size() - 1) {
            text += QString(lineWidth, u'-') + u'\n';
        }
        const QStringList &cells = lines[line];
        // The group column reads left to right, the figures line up on their last digit.
        QStringList padded {cells.first().leftJustified(widths.first())};
        for (qsizetype column = 1; column < cells.size(); ++column) {
            padded.append(cells[column].rightJustified(widths[column]));
        }
        text += padded.join("  "_L1) + u'\n';
    }
    return text;
}

QString formatCsv(const QList<SpendRow> &rows, Grouping by)
{
    QString text = groupingName(by)
        + ",requests,failed,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,cost_usd,"
          "unpriced_requests,avg_latency_ms\r\n"_L1;
    for (const SpendRow &row : rows) {
        const QStringList cells {csvField(row.group), QString::number(row.requests), QString::number(row.failed),
            QString::number(row.promptTokens), QString::number(row.completionTokens), QString::number(row.cachedTokens),
            QString::number(row.reasoningTokens), exactUsd(row.cost), QString::number(row.unpricedRequests),
            QString::number(row.avgLatencyMs, 'f', 1)};
        text += cells.join(u',') + "\r\n"_L1;
    }
    return text;
}

QString formatJson(const QList<SpendRow> &rows, Grouping by)
{
    QJsonArray array;
    for (const SpendRow &row : rows) {
        array.append(QJsonObject {
            {groupingName(by), row.group},
            {u"requests"_s, row.requests},
            {u"failed"_s, row.failed},
            {u"promptTokens"_s, row.promptTokens},
            {u"completionTokens"_s, row.completionTokens},
            {u"cachedTokens"_s, row.cachedTokens},
            {u"reasoningTokens"_s, row.reasoningTokens},
            {u"costUsd"_s, row.cost.usd()},
            {u"costNanoUsd"_s, row.cost.nanoUsd()},
            {u"unpricedRequests"_s, row.unpricedRequests},
            {u"avgLatencyMs"_s, std::round(row.avgLatencyMs * 10) / 10},
        });
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
}

} // namespace

Result<UsageReport::Format> UsageReport::parseFormat(const QString &text)
{
    const QString name = text.trimmed().toLower();
    if (name == "table"_L1) {
        return Format::Table;
    }
    if (name == "csv"_L1) {
        return Format::Csv;
    }
    if (name == "json"_L1) {
        return Format::Json;
    }
    return Result<Format>::failure(Tr::tr("Unknown report format “%1”: use table, csv or json.").arg(text));
}

Result<Grouping> UsageReport::parseGrouping(const QString &text)
{
    const QString name = text.trimmed().toLower();
    for (const Grouping by : {Grouping::Provider, Grouping::Model, Grouping::Route, Grouping::Key}) {
        if (name == groupingName(by)) {
            return by;
        }
    }
    return Result<Grouping>::failure(Tr::tr("Unknown grouping “%1”: use provider, model, route or key.").arg(text));
}

Result<QDateTime> UsageReport::parseSince(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.size() == 10) {
        const QDate date = QDate::fromString(trimmed, Qt::ISODate);
        if (date.isValid()) {
            return QDateTime(date, QTime(0, 0));
        }
    }
    if (trimmed.contains(u'T')) {
        const QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
        if (time.isValid()) {
            return time;
        }
    }
    return Result<QDateTime>::failure(Tr::tr("“%1” is not a date: use YYYY-MM-DD (from local midnight) or an ISO 8601 "
                                             "date-time such as 2025-11-21T14:30:00Z.")
                                          .arg(text));
}

QString UsageReport::format(const QList<SpendRow> &rows, Grouping by, Format format)
{
    switch (format) {
    case Format::Table:
        return formatTable(rows, by);
    case Format::Csv:
        return formatCsv(rows, by);
    case Format::Json:
        break;
    }
    return formatJson(rows, by);
}

} // namespace Switchyard::Ledger
