#include "core/gateway/gatewaymetrics.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {

// A label value with Prometheus escaping (backslash, quote, newline).
QByteArray escaped(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

} // namespace

QByteArray GatewayMetrics::label(const char *name, const QString &value)
{
    return QByteArray(name) + "=\"" + escaped(value) + '"';
}

QByteArray GatewayMetrics::labels(std::initializer_list<QByteArray> parts)
{
    QByteArray out = "{";
    bool first = true;
    for (const QByteArray &part : parts) {
        if (!first) {
            out += ',';
        }
        out += part;
        first = false;
    }
    return out + '}';
}

namespace {

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

// Sorted so the output is stable between scrapes.
template <typename Map> QList<QByteArray> sortedKeys(const Map &map)
{
    QList<QByteArray> keys = map.keys();
    std::sort(keys.begin(), keys.end());
    return keys;
}

void header(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP "_ba + name + ' ' + help + "\n# TYPE "_ba + name + ' ' + type + '\n';
}

} // namespace

void GatewayMetrics::Histogram::observe(double seconds)
{
    for (size_t i = 0; i < BucketBounds.size(); ++i) {
        if (seconds <= BucketBounds[i]) {
            ++buckets[i];
        }
    }
    ++count;
    sum += seconds;
}

const QByteArray &GatewayMetrics::requestLabels(const QString &route, int status)
{
    auto it = m_requestLabels.find({route, status});
    if (it == m_requestLabels.end()) {
        if (m_requestLabels.size() >= MaxCachedLabels) {
            m_requestLabels.clear();
        }
        it = m_requestLabels.insert(
            {route, status}, labels({label("route", route), label("status", QString::number(status))}));
    }
    return *it;
}

const GatewayMetrics::AttemptLabels &GatewayMetrics::attemptLabels(const Ledger::UsageRecord &record)
{
    const AttemptKind kind {record.route, record.provider, record.model, record.errorClass, record.keyName};
    auto it = m_attemptLabels.find(kind);
    if (it != m_attemptLabels.end()) {
        return *it;
    }
    if (m_attemptLabels.size() >= MaxCachedLabels) {
        m_attemptLabels.clear();
    }
    const QString target = record.provider + u'/' + record.model;
    const QString outcome = record.errorClass.isEmpty() ? u"ok"_s : record.errorClass;
    AttemptLabels formatted;
    formatted.attempts = labels({label("route", record.route), label("target", target), label("outcome", outcome)});
    formatted.errors = labels({label("target", target), label("class", record.errorClass)});
    formatted.target = labels({label("target", target)});
    formatted.promptTokens = labels({label("target", target), label("kind", u"prompt"_s)});
    formatted.completionTokens = labels({label("target", target), label("kind", u"completion"_s)});
    formatted.cost
        = labels({label("provider", record.provider), label("route", record.route), label("key", record.keyName)});
    return *m_attemptLabels.insert(kind, formatted);
}

void GatewayMetrics::requestFinished(const QString &route, int status)
{
    ++m_requests[requestLabels(route, status)];
}

void GatewayMetrics::attemptRecorded(const Ledger::UsageRecord &record)
{
    const AttemptLabels &keys = attemptLabels(record);
    ++m_attempts[keys.attempts];
    if (!record.errorClass.isEmpty()) {
        ++m_errors[keys.errors];
    }
    m_latency[keys.target].observe(double(record.latencyMs) / 1000.0);
    if (record.ttftMs >= 0) {
        m_ttft[keys.target].observe(double(record.ttftMs) / 1000.0);
    }
    if (record.usage.isReported) {
        m_tokens[keys.promptTokens] += quint64(record.usage.promptTokens);
        m_tokens[keys.completionTokens] += quint64(record.usage.completionTokens);
    }
    if (const auto cost = record.effectiveCost()) {
        m_costNanoUsd[keys.cost] += cost->nanoUsd();
    }
}

QByteArray GatewayMetrics::render(int callsInFlight) const
{
    QByteArray out;
    out.reserve(4096);
    header(out, "switchyard_requests_total", "counter", "Client requests answered, by route and HTTP status.");
    for (const QByteArray &key : sortedKeys(m_requests)) {
        out += "switchyard_requests_total" + key + ' ' + QByteArray::number(m_requests.value(key)) + '\n';
    }
    header(out, "switchyard_attempts_total", "counter", "Upstream attempts, by route, target and outcome.");
    for (const QByteArray &key : sortedKeys(m_attempts)) {
        out += "switchyard_attempts_total" + key + ' ' + QByteArray::number(m_attempts.value(key)) + '\n';
    }
    header(out, "switchyard_errors_total", "counter", "Failed upstream attempts, by target and error class.");
    for (const QByteArray &key : sortedKeys(m_errors)) {
        out += "switchyard_errors_total" + key + ' ' + QByteArray::number(m_errors.value(key)) + '\n';
    }
    header(out, "switchyard_tokens_total", "counter", "Tokens reported by providers, by target and kind.");
    for (const QByteArray &key : sortedKeys(m_tokens)) {
        out += "switchyard_tokens_total" + key + ' ' + QByteArray::number(m_tokens.value(key)) + '\n';
    }
    header(out, "switchyard_cost_usd_total", "counter", "Priced spend in US dollars, by provider, route and key.");
    for (const QByteArray &key : sortedKeys(m_costNanoUsd)) {
        out += "switchyard_cost_usd_total" + key + ' ' + number(double(m_costNanoUsd.value(key)) / 1e9) + '\n';
    }
    const auto renderHistograms = [&out](const char *name, const char *help, const QHash<QByteArray, Histogram> &map) {
        header(out, name, "histogram", help);
        for (const QByteArray &key : sortedKeys(map)) {
            const Histogram &histogram = map.value(key);
            const QByteArray inner = key.mid(1, key.size() - 2); // labels without braces
            for (size_t i = 0; i < BucketBounds.size(); ++i) {
                out += name + "_bucket{"_ba + inner + ",le=\"" + number(BucketBounds[i]) + "\"} "
                    + QByteArray::number(histogram.buckets[i]) + '\n';
            }
            out += name + "_bucket{"_ba + inner + ",le=\"+Inf\"} " + QByteArray::number(histogram.count) + '\n';
            out += name + "_sum"_ba + key + ' ' + number(histogram.sum) + '\n';
            out += name + "_count"_ba + key + ' ' + QByteArray::number(histogram.count) + '\n';
        }
    };
    renderHistograms("switchyard_attempt_latency_seconds", "Upstream attempt latency, by target.", m_latency);
    renderHistograms("switchyard_time_to_first_token_seconds", "Time to the first token, by target.", m_ttft);
    header(out, "switchyard_calls_in_flight", "gauge", "Client requests being answered now.");
    out += "switchyard_calls_in_flight " + QByteArray::number(callsInFlight) + '\n';
    for (const Gauge &gauge : m_gauges) {
        header(out, gauge.name.constData(), "gauge", gauge.help.constData());
        for (const GaugeSample &sample : gauge.sample()) {
            out += gauge.name + sample.labels + ' ' + number(sample.value) + '\n';
        }
    }
    return out;
}

} // namespace Switchyard::Gateway
