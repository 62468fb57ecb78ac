#include "core/config/workspacecodec.h"

#include "core/config/configtr.h"
#include "core/providers/credentialref.h"
#include "core/providers/providerpresets.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <tuple>

using namespace Qt::StringLiterals;

namespace Switchyard::Config {

namespace {

using Providers::ProviderProfile;
using Routing::BreakerPolicy;
using Routing::Budget;
using Routing::FallbackCondition;
using Routing::FallbackConditions;
using Routing::RateLimit;
using Routing::RetryPolicy;
using Routing::Route;
using Routing::RouteTarget;
using Routing::Strategy;

constexpr qint64 OneDayMs = 24 * 60 * 60 * 1000;

// The names the file uses for enum values, in the order error messages list them.
template <typename Enum> using Names = std::initializer_list<std::pair<Enum, QLatin1StringView>>;

constexpr Names<Strategy> StrategyNames = {
    {Strategy::Fallback, "fallback"_L1},
    {Strategy::Weighted, "weighted"_L1},
    {Strategy::LowestLatency, "lowest-latency"_L1},
    {Strategy::LowestCost, "lowest-cost"_L1},
    {Strategy::LeastBusy, "least-busy"_L1},
};

constexpr Names<FallbackCondition> ConditionNames = {
    {FallbackCondition::Connect, "connect"_L1},
    {FallbackCondition::Timeout, "timeout"_L1},
    {FallbackCondition::TtftTimeout, "ttft-timeout"_L1},
    {FallbackCondition::Http408, "http-408"_L1},
    {FallbackCondition::Http409, "http-409"_L1},
    {FallbackCondition::Http429, "http-429"_L1},
    {FallbackCondition::Http5xx, "http-5xx"_L1},
    {FallbackCondition::ContextWindow, "context-window"_L1},
    {FallbackCondition::ContentPolicy, "content-policy"_L1},
    {FallbackCondition::Auth, "auth"_L1},
};

constexpr Names<Budget::Scope> BudgetScopeNames = {
    {Budget::Scope::Key, "key"_L1},
    {Budget::Scope::Route, "route"_L1},
    {Budget::Scope::Provider, "provider"_L1},
};

constexpr Names<Budget::Window> WindowNames = {
    {Budget::Window::Day, "day"_L1},
    {Budget::Window::Week, "week"_L1},
    {Budget::Window::Month, "month"_L1},
};

constexpr Names<RateLimit::Scope> LimitScopeNames = {
    {RateLimit::Scope::Key, "key"_L1},
    {RateLimit::Scope::Target, "target"_L1},
};

template <typename Enum> QString nameOf(Names<Enum> names, Enum value)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == value) {
            return name;
        }
    }
    Q_UNREACHABLE();
}

// Request members a target's params must not override: the gateway sets them itself.
constexpr std::initializer_list<QLatin1StringView> ReservedParams = {"model"_L1, "messages"_L1, "stream"_L1};

QString indexed(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

QString member(const QString &path, QLatin1StringView key)
{
    return path.isEmpty() ? QString(key) : path + u'.' + key;
}

bool hasSpaceOrControl(const QString &text)
{
    return std::any_of(
        text.cbegin(), text.cend(), [](QChar c) { return c.isSpace() || c.category() == QChar::Other_Control; });
}

// Decodes one document, stopping at the first problem, which it keeps in error().
class Decoder
{
public:
    const QString &error() const { return m_error; }

    std::optional<Workspace> workspace(const QJsonObject &root);

private:
    bool fail(const QString &path, const QString &what)
    {
        m_error = Tr::tr("%1: %2").arg(path, what);
        return false;
    }

    bool checkKeys(const QJsonObject &object, const QString &path, std::initializer_list<QLatin1StringView> known);
    bool objectAt(const QJsonValue &value, const QString &path, QJsonObject *out);
    bool arrayAt(const QJsonValue &value, const QString &path, QJsonArray *out);
    bool stringAt(const QJsonValue &value, const QString &path, QString *out);
    bool integerAt(const QJsonValue &value, const QString &path, qint64 min, qint64 max, qint64 *out);
    bool boolAt(const QJsonValue &value, const QString &path, bool *out);
    bool numberAt(const QJsonValue &value, const QString &path, double *out);
    template <typename Enum>
    bool enumAt(const QJsonValue &value, const QString &path, Names<Enum> names, const QString &what, Enum *out);
    bool required(const QJsonObject &object, QLatin1StringView key, const QString &path);
    // Reads object[key] when present into *field, a whole number in [min, max].
    template <typename Int>
    bool optionalInteger(
        const QJsonObject &object, QLatin1StringView key, const QString &path, qint64 min, qint64 max, Int *field);

    bool provider(const QJsonObject &object, const QString &path, ProviderProfile *out);
    bool header(const QJsonValue &value, const QString &path, std::pair<QByteArray, QByteArray> *out);
    bool route(const QJsonObject &object, const QString &path, const Workspace &workspace, Route *out);
    bool target(const QJsonValue &value, const QString &path, const Workspace &workspace, RouteTarget *out);
    bool fallbackConditions(const QJsonValue &value, const QString &path, FallbackConditions *out);
    bool retryPolicy(const QJsonValue &value, const QString &path, RetryPolicy *out);
    bool breakerPolicy(const QJsonValue &value, const QString &path, BreakerPolicy *out);
    bool nestedRoutes(const Workspace &workspace);
    bool budget(const QJsonObject &object, const QString &path, const Workspace &workspace, Budget *out);
    bool limit(const QJsonObject &object, const QString &path, const Workspace &workspace, RateLimit *out);
    bool localKey(const QJsonObject &object, const QString &path, LocalKey *out);
    bool gateway(const QJsonObject &object, const QString &path, GatewaySettings *out);

    QString m_error;
};

bool Decoder::checkKeys(const QJsonObject &object, const QString &path, std::initializer_list<QLatin1StringView> known)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
            QStringList names;
            for (QLatin1StringView name : known) {
                names.append(name);
            }
            return fail(path, Tr::tr("unknown field \"%1\" (known fields: %2)").arg(it.key(), names.join(u", "_s)));
        }
    }
    return true;
}

bool Decoder::objectAt(const QJsonValue &value, const QString &path, QJsonObject *out)
{
    if (!value.isObject()) {
        return fail(path, Tr::tr("expected an object { ... }"));
    }
    *out = value.toObject();
    return true;
}

bool Decoder::arrayAt(const QJsonValue &value, const QString &path, QJsonArray *out)
{
    if (!value.isArray()) {
        return fail(path, Tr::tr("expected a list [ ... ]"));
    }
    *out = value.toArray();
    return true;
}

bool Decoder::stringAt(const QJsonValue &value, const QString &path, QString *out)
{
    if (!value.isString()) {
        return fail(path, Tr::tr("expected a string"));
    }
    *out = value.toString();
    return true;
}

bool Decoder::integerAt(const QJsonValue &value, const QString &path, qint64 min, qint64 max, qint64 *out)
{
    const double number = value.toDouble();
    if (!value.isDouble() || std::trunc(number) != number) {
        return fail(path, Tr::tr("expected a whole number"));
    }
    if (number < double(min) || number > double(max)) {
        return fail(path,
            Tr::tr("%1 is out of range (%2 to %3)")
                .arg(QString::number(number, 'g', 17), QString::number(min), QString::number(max)));
    }
    *out = qint64(number);
    return true;
}

bool Decoder::boolAt(const QJsonValue &value, const QString &path, bool *out)
{
    if (!value.isBool()) {
        return fail(path, Tr::tr("expected true or false"));
    }
    *out = value.toBool();
    return true;
}

bool Decoder::numberAt(const QJsonValue &value, const QString &path, double *out)
{
    if (!value.isDouble()) {
        return fail(path, Tr::tr("expected a number"));
    }
    *out = value.toDouble();
    return true;
}

template <typename Enum>
bool Decoder::enumAt(const QJsonValue &value, const QString &path, Names<Enum> names, const QString &what, Enum *out)
{
    QString text;
    if (!stringAt(value, path, &text)) {
        return false;
    }
    QStringList known;
    for (const auto &[candidate, name] : names) {
        if (name == text) {
            *out = candidate;
            return true;
        }
        known.append(name);
    }
    return fail(path, Tr::tr("\"%1\" is not a known %2 (use one of: %3)").arg(text, what, known.join(u", "_s)));
}

template <typename Int>
bool Decoder::optionalInteger(
    const QJsonObject &object, QLatin1StringView key, const QString &path, qint64 min, qint64 max, Int *field)
{
    if (!object.contains(key)) {
        return true;
    }
    qint64 number = 0;
    if (!integerAt(object.value(key), member(path, key), min, max, &number)) {
        return false;
    }
    *field = Int(number);
    return true;
}

bool Decoder::required(const QJsonObject &object, QLatin1StringView key, const QString &path)
{
    if (!object.contains(key)) {
        return fail(member(path, key), Tr::tr("required field is missing"));
    }
    return true;
}

bool Decoder::provider(const QJsonObject &object, const QString &path, ProviderProfile *out)
{
    if (!checkKeys(object, path,
            {"id"_L1, "preset"_L1, "displayName"_L1, "baseUrl"_L1, "credentialRef"_L1, "extraHeaders"_L1,
                "models"_L1})) {
        return false;
    }
    if (!required(object, "id"_L1, path) || !stringAt(object.value("id"_L1), member(path, "id"_L1), &out->id)) {
        return false;
    }
    if (!ProviderProfile::isValidId(out->id)) {
        return fail(member(path, "id"_L1),
            Tr::tr("\"%1\" is not a valid id: use lowercase letters, digits, '-' and "
                   "'_', starting with a letter or digit")
                .arg(out->id));
    }

    if (!required(object, "preset"_L1, path)
        || !stringAt(object.value("preset"_L1), member(path, "preset"_L1), &out->preset)) {
        return false;
    }
    if (!Providers::ProviderPresets::find(out->preset)) {
        QStringList ids;
        for (const Providers::ProviderPreset &preset : Providers::ProviderPresets::all()) {
            ids.append(preset.id);
        }
        return fail(member(path, "preset"_L1),
            Tr::tr("\"%1\" is not a known preset (use one of: %2)").arg(out->preset, ids.join(u", "_s)));
    }

    if (object.contains("displayName"_L1)
        && !stringAt(object.value("displayName"_L1), member(path, "displayName"_L1), &out->displayName)) {
        return false;
    }

    QString baseUrl;
    const QString urlPath = member(path, "baseUrl"_L1);
    if (!required(object, "baseUrl"_L1, path) || !stringAt(object.value("baseUrl"_L1), urlPath, &baseUrl)) {
        return false;
    }
    const QUrl url(baseUrl, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty()) {
        return fail(urlPath, Tr::tr("\"%1\" is not an http or https URL").arg(baseUrl));
    }
    if (url.hasQuery() || url.hasFragment()) {
        return fail(urlPath,
            Tr::tr("\"%1\" must not contain a query or fragment: requests append "
                   "\"/chat/completions\" to it")
                .arg(baseUrl));
    }
    out->baseUrl = url.adjusted(QUrl::StripTrailingSlash);

    if (object.contains("credentialRef"_L1)) {
        const QString refPath = member(path, "credentialRef"_L1);
        if (!stringAt(object.value("credentialRef"_L1), refPath, &out->credentialRef)) {
            return false;
        }
        const Result<Providers::CredentialRef> ref = Providers::CredentialRef::parse(out->credentialRef);
        if (!ref) {
            return fail(refPath, ref.errorMessage());
        }
    }

    if (object.contains("extraHeaders"_L1)) {
        const QString headersPath = member(path, "extraHeaders"_L1);
        QJsonArray headers;
        if (!arrayAt(object.value("extraHeaders"_L1), headersPath, &headers)) {
            return false;
        }
        for (qsizetype i = 0; i < headers.size(); ++i) {
            std::pair<QByteArray, QByteArray> pair;
            if (!header(headers.at(i), indexed(headersPath, i), &pair)) {
                return false;
            }
            out->extraHeaders.append(pair);
        }
    }

    if (object.contains("models"_L1)) {
        const QString modelsPath = member(path, "models"_L1);
        QJsonArray models;
        if (!arrayAt(object.value("models"_L1), modelsPath, &models)) {
            return false;
        }
        for (qsizetype i = 0; i < models.size(); ++i) {
            QString model;
            if (!stringAt(models.at(i), indexed(modelsPath, i), &model)) {
                return false;
            }
            if (model.isEmpty() || hasSpaceOrControl(model)) {
                return fail(indexed(modelsPath, i),
                    Tr::tr("\"%1\" is not a model id: it is empty or contains a space or control character")
                        .arg(model));
            }
            out->models.append(model);
        }
    }
    return true;
}

bool Decoder::header(const QJsonValue &value, const QString &path, std::pair<QByteArray, QByteArray> *out)
{
    QJsonObject object;
    if (!objectAt(value, path, &object) || !checkKeys(object, path, {"name"_L1, "value"_L1})) {
        return false;
    }
    QString name;
    QString headerValue;
    if (!required(object, "name"_L1, path) || !stringAt(object.value("name"_L1), member(path, "name"_L1), &name)
        || !required(object, "value"_L1, path)
        || !stringAt(object.value("value"_L1), member(path, "value"_L1), &headerValue)) {
        return false;
    }
    if (!Providers::ProviderProfile::isValidHeaderName(name)) {
        return fail(member(path, "name"_L1), Tr::tr("\"%1\" is not a valid HTTP header name").arg(name));
    }
    if (!Providers::ProviderProfile::isValidHeaderValue(headerValue)) {
        return fail(member(path, "value"_L1), Tr::tr("contains a line break or other control character"));
    }
    *out = {name.toLatin1(), headerValue.toUtf8()};
    return true;
}

bool Decoder::route(const QJsonObject &object, const QString &path, const Workspace &workspace, Route *out)
{
    if (!checkKeys(object, path,
            {"name"_L1, "strategy"_L1, "targets"_L1, "fallbackOn"_L1, "retry"_L1, "breaker"_L1, "deadlineMs"_L1})) {
        return false;
    }
    const QString namePath = member(path, "name"_L1);
    if (!required(object, "name"_L1, path) || !stringAt(object.value("name"_L1), namePath, &out->name)) {
        return false;
    }
    if (out->name.isEmpty()) {
        return fail(namePath, Tr::tr("must not be empty"));
    }
    if (out->name.contains(u'/')) {
        return fail(namePath, Tr::tr("\"%1\" contains '/', which is reserved for provider/model names").arg(out->name));
    }
    if (hasSpaceOrControl(out->name)) {
        return fail(namePath, Tr::tr("\"%1\" contains a space or control character").arg(out->name));
    }
    if (workspace.provider(out->name)) {
        return fail(namePath, Tr::tr("\"%1\" is also a provider id; give the route another name").arg(out->name));
    }

    if (object.contains("strategy"_L1)
        && !enumAt(object.value("strategy"_L1), member(path, "strategy"_L1), StrategyNames, Tr::tr("strategy"),
            &out->strategy)) {
        return false;
    }

    const QString targetsPath = member(path, "targets"_L1);
    QJsonArray targets;
    if (!required(object, "targets"_L1, path) || !arrayAt(object.value("targets"_L1), targetsPath, &targets)) {
        return false;
    }
    if (targets.isEmpty()) {
        return fail(targetsPath, Tr::tr("a route needs at least one target (provider/model)"));
    }
    for (qsizetype i = 0; i < targets.size(); ++i) {
        RouteTarget decoded;
        if (!target(targets.at(i), indexed(targetsPath, i), workspace, &decoded)) {
            return false;
        }
        out->targets.append(decoded);
    }

    if (object.contains("fallbackOn"_L1)
        && !fallbackConditions(object.value("fallbackOn"_L1), member(path, "fallbackOn"_L1), &out->fallbackOn)) {
        return false;
    }
    if (object.contains("retry"_L1) && !retryPolicy(object.value("retry"_L1), member(path, "retry"_L1), &out->retry)) {
        return false;
    }
    if (object.contains("breaker"_L1)
        && !breakerPolicy(object.value("breaker"_L1), member(path, "breaker"_L1), &out->breaker)) {
        return false;
    }
    return optionalInteger(object, "deadlineMs"_L1, path, 0, OneDayMs, &out->deadlineMs);
}

bool Decoder::target(const QJsonValue &value, const QString &path, const Workspace &workspace, RouteTarget *out)
{
    if (value.isString()) {
        const Result<RouteTarget> parsed = RouteTarget::parse(value.toString());
        if (!parsed) {
            return fail(path, parsed.errorMessage());
        }
        if (!workspace.provider(parsed->provider)) {
            return fail(path, Tr::tr("provider \"%1\" is not defined in providers").arg(parsed->provider));
        }
        *out = parsed.value();
        return true;
    }

    if (!value.isObject()) {
        return fail(path, Tr::tr("expected \"provider/model\" or an object { ... }"));
    }
    const QJsonObject object = value.toObject();
    if (!checkKeys(object, path,
            {"provider"_L1, "model"_L1, "route"_L1, "weight"_L1, "timeoutMs"_L1, "ttftTimeoutMs"_L1, "retries"_L1,
                "params"_L1})) {
        return false;
    }
    const bool direct = object.contains("provider"_L1) || object.contains("model"_L1);
    if (object.contains("route"_L1)) {
        if (direct) {
            return fail(path, Tr::tr("a target names either \"provider\" and \"model\", or \"route\", not both"));
        }
        const QString routePath = member(path, "route"_L1);
        if (!stringAt(object.value("route"_L1), routePath, &out->route)) {
            return false;
        }
        if (out->route.isEmpty()) {
            return fail(routePath, Tr::tr("must not be empty"));
        }
    } else {
        if (!direct) {
            return fail(path, Tr::tr("a target needs \"provider\" and \"model\", or \"route\""));
        }
        const QString providerPath = member(path, "provider"_L1);
        const QString modelPath = member(path, "model"_L1);
        if (!required(object, "provider"_L1, path)
            || !stringAt(object.value("provider"_L1), providerPath, &out->provider)
            || !required(object, "model"_L1, path) || !stringAt(object.value("model"_L1), modelPath, &out->model)) {
            return false;
        }
        if (!workspace.provider(out->provider)) {
            return fail(providerPath, Tr::tr("provider \"%1\" is not defined in providers").arg(out->provider));
        }
        if (out->model.isEmpty() || hasSpaceOrControl(out->model)) {
            return fail(modelPath,
                Tr::tr("\"%1\" is not a model id: it is empty or contains a space or control character")
                    .arg(out->model));
        }
    }

    if (!optionalInteger(object, "weight"_L1, path, 1, 1'000'000, &out->weight)
        || !optionalInteger(object, "timeoutMs"_L1, path, 0, OneDayMs, &out->timeoutMs)
        || !optionalInteger(object, "ttftTimeoutMs"_L1, path, 0, OneDayMs, &out->ttftTimeoutMs)
        || !optionalInteger(object, "retries"_L1, path, 0, 100, &out->retries)) {
        return false;
    }
    if (object.contains("params"_L1)) {
        const QString paramsPath = member(path, "params"_L1);
        if (!objectAt(object.value("params"_L1), paramsPath, &out->params)) {
            return false;
        }
        for (QLatin1StringView reserved : ReservedParams) {
            if (out->params.contains(reserved)) {
                return fail(paramsPath,
                    Tr::tr("must not set \"%1\": the gateway sets model, messages and stream itself").arg(reserved));
            }
        }
    }
    return true;
}

bool Decoder::fallbackConditions(const QJsonValue &value, const QString &path, FallbackConditions *out)
{
    QJsonArray names;
    if (!arrayAt(value, path, &names)) {
        return false;
    }
    FallbackConditions conditions;
    for (qsizetype i = 0; i < names.size(); ++i) {
        FallbackCondition condition = FallbackCondition::Connect;
        if (!enumAt(names.at(i), indexed(path, i), ConditionNames, Tr::tr("fallback condition"), &condition)) {
            return false;
        }
        if (conditions.testFlag(condition)) {
            return fail(indexed(path, i), Tr::tr("\"%1\" is listed twice").arg(names.at(i).toString()));
        }
        conditions |= condition;
    }
    *out = conditions;
    return true;
}

bool Decoder::retryPolicy(const QJsonValue &value, const QString &path, RetryPolicy *out)
{
    QJsonObject object;
    if (!objectAt(value, path, &object)
        || !checkKeys(object, path, {"maxRetries"_L1, "baseDelayMs"_L1, "maxDelayMs"_L1})
        || !optionalInteger(object, "maxRetries"_L1, path, 0, 100, &out->maxRetries)
        || !optionalInteger(object, "baseDelayMs"_L1, path, 0, OneDayMs, &out->baseDelayMs)
        || !optionalInteger(object, "maxDelayMs"_L1, path, 0, OneDayMs, &out->maxDelayMs)) {
        return false;
    }
    if (out->maxDelayMs < out->baseDelayMs) {
        return fail(member(path, "maxDelayMs"_L1),
            Tr::tr("%1 is less than baseDelayMs (%2)")
                .arg(QString::number(out->maxDelayMs), QString::number(out->baseDelayMs)));
    }
    return true;
}

bool Decoder::breakerPolicy(const QJsonValue &value, const QString &path, BreakerPolicy *out)
{
    QJsonObject object;
    return objectAt(value, path, &object)
        && checkKeys(object, path, {"failureThreshold"_L1, "windowMs"_L1, "cooldownMs"_L1})
        && optionalInteger(object, "failureThreshold"_L1, path, 0, 1'000'000, &out->failureThreshold)
        && optionalInteger(object, "windowMs"_L1, path, 1, OneDayMs, &out->windowMs)
        && optionalInteger(object, "cooldownMs"_L1, path, 1, OneDayMs, &out->cooldownMs);
}

// The chain of route names from `from` to `to` (both included) along nested targets, empty when
// there is none.
QStringList chainBetween(const Workspace &workspace, const QString &from, const QString &to, QSet<QString> *visited)
{
    if (from == to) {
        return {to};
    }
    if (visited->contains(from)) {
        return {};
    }
    visited->insert(from);
    for (const RouteTarget &target : workspace.route(from)->targets) {
        if (target.isNested()) {
            QStringList chain = chainBetween(workspace, target.route, to, visited);
            if (!chain.isEmpty()) {
                chain.prepend(from);
                return chain;
            }
        }
    }
    return {};
}

// Nested targets can name routes further down the list, so they are checked once all are read.
bool Decoder::nestedRoutes(const Workspace &workspace)
{
    for (qsizetype i = 0; i < workspace.routes.size(); ++i) {
        const Route &route = workspace.routes.at(i);
        for (qsizetype j = 0; j < route.targets.size(); ++j) {
            const RouteTarget &target = route.targets.at(j);
            if (target.isNested() && !workspace.route(target.route)) {
                return fail(member(indexed(member(indexed(u"routes"_s, i), "targets"_L1), j), "route"_L1),
                    Tr::tr("route \"%1\" is not defined in routes").arg(target.route));
            }
        }
    }
    for (qsizetype i = 0; i < workspace.routes.size(); ++i) {
        const Route &route = workspace.routes.at(i);
        for (qsizetype j = 0; j < route.targets.size(); ++j) {
            const RouteTarget &target = route.targets.at(j);
            if (!target.isNested()) {
                continue;
            }
            QSet<QString> visited;
            QStringList cycle = chainBetween(workspace, target.route, route.name, &visited);
            if (!cycle.isEmpty()) {
                cycle.prepend(route.name);
                return fail(indexed(member(indexed(u"routes"_s, i), "targets"_L1), j),
                    Tr::tr("route \"%1\" leads back to itself (%2)").arg(route.name, cycle.join(u" -> "_s)));
            }
        }
    }
    return true;
}

bool Decoder::budget(const QJsonObject &object, const QString &path, const Workspace &workspace, Budget *out)
{
    if (!checkKeys(object, path, {"scope"_L1, "name"_L1, "limitUsd"_L1, "window"_L1})
        || !required(object, "scope"_L1, path)
        || !enumAt(
            object.value("scope"_L1), member(path, "scope"_L1), BudgetScopeNames, Tr::tr("scope"), &out->scope)) {
        return false;
    }
    const QString namePath = member(path, "name"_L1);
    if (!required(object, "name"_L1, path) || !stringAt(object.value("name"_L1), namePath, &out->name)) {
        return false;
    }
    switch (out->scope) {
    case Budget::Scope::Key: {
        const bool known = std::any_of(workspace.localKeys.cbegin(), workspace.localKeys.cend(),
            [out](const LocalKey &key) { return key.name == out->name; });
        if (!known) {
            return fail(namePath, Tr::tr("local key \"%1\" is not defined in localKeys").arg(out->name));
        }
        break;
    }
    case Budget::Scope::Route:
        if (!workspace.route(out->name)) {
            return fail(namePath, Tr::tr("route \"%1\" is not defined in routes").arg(out->name));
        }
        break;
    case Budget::Scope::Provider:
        if (!workspace.provider(out->name)) {
            return fail(namePath, Tr::tr("provider \"%1\" is not defined in providers").arg(out->name));
        }
        break;
    }

    const QString limitPath = member(path, "limitUsd"_L1);
    double limit = 0;
    if (!required(object, "limitUsd"_L1, path) || !numberAt(object.value("limitUsd"_L1), limitPath, &limit)) {
        return false;
    }
    constexpr double MaxUsd = 1'000'000'000;
    if (limit < 0 || limit > MaxUsd) {
        return fail(limitPath,
            Tr::tr("%1 is out of range (0 to %2)")
                .arg(QString::number(limit, 'g', 17), QString::number(qint64(MaxUsd))));
    }
    out->limit = Money::fromUsd(limit);

    if (object.contains("window"_L1)
        && !enumAt(object.value("window"_L1), member(path, "window"_L1), WindowNames, Tr::tr("window"), &out->window)) {
        return false;
    }
    return true;
}

bool Decoder::limit(const QJsonObject &object, const QString &path, const Workspace &workspace, RateLimit *out)
{
    if (!checkKeys(object, path, {"scope"_L1, "name"_L1, "rpm"_L1, "tpm"_L1}) || !required(object, "scope"_L1, path)
        || !enumAt(object.value("scope"_L1), member(path, "scope"_L1), LimitScopeNames, Tr::tr("scope"), &out->scope)) {
        return false;
    }
    const QString namePath = member(path, "name"_L1);
    if (!required(object, "name"_L1, path) || !stringAt(object.value("name"_L1), namePath, &out->name)) {
        return false;
    }
    switch (out->scope) {
    case RateLimit::Scope::Key: {
        const bool known = std::any_of(workspace.localKeys.cbegin(), workspace.localKeys.cend(),
            [out](const LocalKey &key) { return key.name == out->name; });
        if (!known) {
            return fail(namePath, Tr::tr("local key \"%1\" is not defined in localKeys").arg(out->name));
        }
        break;
    }
    case RateLimit::Scope::Target: {
        const Result<RouteTarget> target = RouteTarget::parse(out->name);
        if (!target) {
            return fail(namePath, target.errorMessage());
        }
        if (!workspace.provider(target->provider)) {
            return fail(namePath, Tr::tr("provider \"%1\" is not defined in providers").arg(target->provider));
        }
        break;
    }
    }

    if (!optionalInteger(object, "rpm"_L1, path, 0, 1'000'000'000, &out->requestsPerMinute)
        || !optionalInteger(object, "tpm"_L1, path, 0, 1'000'000'000'000, &out->tokensPerMinute)) {
        return false;
    }
    if (out->requestsPerMinute == 0 && out->tokensPerMinute == 0) {
        return fail(path, Tr::tr("a limit needs \"rpm\", \"tpm\" or both, greater than 0"));
    }
    return true;
}

bool Decoder::localKey(const QJsonObject &object, const QString &path, LocalKey *out)
{
    if (!checkKeys(object, path, {"name"_L1, "sha256"_L1, "hint"_L1, "createdAt"_L1})) {
        return false;
    }
    const QString namePath = member(path, "name"_L1);
    if (!required(object, "name"_L1, path) || !stringAt(object.value("name"_L1), namePath, &out->name)) {
        return false;
    }
    if (out->name.trimmed().isEmpty()) {
        return fail(namePath, Tr::tr("must not be empty"));
    }

    const QString hashPath = member(path, "sha256"_L1);
    QString hash;
    if (!required(object, "sha256"_L1, path) || !stringAt(object.value("sha256"_L1), hashPath, &hash)) {
        return false;
    }
    static const QRegularExpression hex(u"\\A[0-9a-fA-F]{64}\\z"_s);
    if (!hex.match(hash).hasMatch()) {
        return fail(hashPath, Tr::tr("expected 64 hexadecimal digits (a SHA-256 digest)"));
    }
    out->sha256Hex = hash.toLower().toLatin1();

    if (object.contains("hint"_L1) && !stringAt(object.value("hint"_L1), member(path, "hint"_L1), &out->hint)) {
        return false;
    }
    if (object.contains("createdAt"_L1)) {
        const QString datePath = member(path, "createdAt"_L1);
        QString text;
        if (!stringAt(object.value("createdAt"_L1), datePath, &text)) {
            return false;
        }
        out->createdAt = QDateTime::fromString(text, Qt::ISODate);
        if (!out->createdAt.isValid()) {
            return fail(
                datePath, Tr::tr("\"%1\" is not an ISO 8601 date and time, e.g. 2025-01-31T12:00:00Z").arg(text));
        }
        out->createdAt = out->createdAt.toUTC();
    }
    return true;
}

bool Decoder::gateway(const QJsonObject &object, const QString &path, GatewaySettings *out)
{
    if (!checkKeys(object, path,
            {"host"_L1, "port"_L1, "maxBodyBytes"_L1, "connectTimeoutMs"_L1, "firstByteTimeoutMs"_L1,
                "idleTimeoutMs"_L1, "autoStart"_L1, "captureBodies"_L1})) {
        return false;
    }
    if (object.contains("host"_L1)) {
        if (!stringAt(object.value("host"_L1), member(path, "host"_L1), &out->host)) {
            return false;
        }
        if (out->host.isEmpty() || hasSpaceOrControl(out->host)) {
            return fail(
                member(path, "host"_L1), Tr::tr("\"%1\" is not a host name or address, e.g. 127.0.0.1").arg(out->host));
        }
    }
    qint64 number = 0;
    if (object.contains("port"_L1)) {
        if (!integerAt(object.value("port"_L1), member(path, "port"_L1), 1, 65535, &number)) {
            return false;
        }
        out->port = quint16(number);
    }
    if (object.contains("maxBodyBytes"_L1)) {
        if (!integerAt(
                object.value("maxBodyBytes"_L1), member(path, "maxBodyBytes"_L1), 1024, 1024 * 1024 * 1024, &number)) {
            return false;
        }
        out->maxBodyBytes = number;
    }
    const std::pair<QLatin1StringView, int *> timeouts[] = {
        {"connectTimeoutMs"_L1, &out->connectTimeoutMs},
        {"firstByteTimeoutMs"_L1, &out->firstByteTimeoutMs},
        {"idleTimeoutMs"_L1, &out->idleTimeoutMs},
    };
    for (const auto &[key, field] : timeouts) {
        if (object.contains(key)) {
            if (!integerAt(object.value(key), member(path, key), 1, OneDayMs, &number)) {
                return false;
            }
            *field = int(number);
        }
    }
    if (object.contains("autoStart"_L1)
        && !boolAt(object.value("autoStart"_L1), member(path, "autoStart"_L1), &out->autoStart)) {
        return false;
    }
    if (object.contains("captureBodies"_L1)
        && !boolAt(object.value("captureBodies"_L1), member(path, "captureBodies"_L1), &out->captureBodies)) {
        return false;
    }
    return true;
}

std::optional<Workspace> Decoder::workspace(const QJsonObject &root)
{
    Workspace result;
    result.version = WorkspaceCodec::CurrentVersion;

    // Each list: decode every element, then check that its key is unique.
    const auto decodeList = [this, &root](QLatin1StringView key, auto &&decodeOne) {
        if (!root.contains(key)) {
            return true;
        }
        QJsonArray array;
        if (!arrayAt(root.value(key), QString(key), &array)) {
            return false;
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonObject object;
            if (!objectAt(array.at(i), indexed(QString(key), i), &object)
                || !decodeOne(object, indexed(QString(key), i), i)) {
                return false;
            }
        }
        return true;
    };
    const auto duplicate = [this](const QString &path, const QString &value, const QString &firstPath) {
        return fail(path, Tr::tr("\"%1\" is already used by %2").arg(value, firstPath));
    };

    QHash<QString, qsizetype> seen;
    const bool providersOk
        = decodeList("providers"_L1, [&](const QJsonObject &object, const QString &path, qsizetype i) {
              ProviderProfile profile;
              if (!provider(object, path, &profile)) {
                  return false;
              }
              if (seen.contains(profile.id)) {
                  return duplicate(member(path, "id"_L1), profile.id, indexed(u"providers"_s, seen.value(profile.id)));
              }
              seen.insert(profile.id, i);
              result.providers.append(profile);
              return true;
          });
    if (!providersOk) {
        return std::nullopt;
    }

    seen.clear();
    const bool routesOk = decodeList("routes"_L1, [&](const QJsonObject &object, const QString &path, qsizetype i) {
        Route decoded;
        if (!route(object, path, result, &decoded)) {
            return false;
        }
        if (seen.contains(decoded.name)) {
            return duplicate(member(path, "name"_L1), decoded.name, indexed(u"routes"_s, seen.value(decoded.name)));
        }
        seen.insert(decoded.name, i);
        result.routes.append(decoded);
        return true;
    });
    if (!routesOk || !nestedRoutes(result)) {
        return std::nullopt;
    }

    seen.clear();
    const bool keysOk = decodeList("localKeys"_L1, [&](const QJsonObject &object, const QString &path, qsizetype i) {
        LocalKey key;
        if (!localKey(object, path, &key)) {
            return false;
        }
        if (seen.contains(key.name)) {
            return duplicate(member(path, "name"_L1), key.name, indexed(u"localKeys"_s, seen.value(key.name)));
        }
        seen.insert(key.name, i);
        result.localKeys.append(key);
        return true;
    });
    if (!keysOk) {
        return std::nullopt;
    }

    if (root.contains("gateway"_L1)) {
        QJsonObject object;
        if (!objectAt(root.value("gateway"_L1), u"gateway"_s, &object)
            || !gateway(object, u"gateway"_s, &result.gateway)) {
            return std::nullopt;
        }
    }

    const bool overridesOk
        = decodeList("priceOverrides"_L1, [&](const QJsonObject &object, const QString &, qsizetype) {
              result.priceOverrides.append(object);
              return true;
          });
    if (!overridesOk) {
        return std::nullopt;
    }

    if (root.contains("secretNames"_L1)) {
        QJsonArray names;
        if (!arrayAt(root.value("secretNames"_L1), u"secretNames"_s, &names)) {
            return std::nullopt;
        }
        for (qsizetype i = 0; i < names.size(); ++i) {
            const QString path = indexed(u"secretNames"_s, i);
            QString name;
            if (!stringAt(names.at(i), path, &name)) {
                return std::nullopt;
            }
            const Result<Providers::CredentialRef> ref = Providers::CredentialRef::parse(u"keychain:"_s + name);
            if (!ref) {
                fail(path, ref.errorMessage());
                return std::nullopt;
            }
            if (result.secretNames.contains(name)) {
                fail(path, Tr::tr("\"%1\" is listed twice").arg(name));
                return std::nullopt;
            }
            result.secretNames.append(name);
        }
    }

    const bool budgetsOk = decodeList("budgets"_L1, [&](const QJsonObject &object, const QString &path, qsizetype) {
        Budget decoded;
        if (!budget(object, path, result, &decoded)) {
            return false;
        }
        const auto earlier = std::find_if(result.budgets.cbegin(), result.budgets.cend(), [&decoded](const Budget &b) {
            return b.scope == decoded.scope && b.name == decoded.name && b.window == decoded.window;
        });
        if (earlier != result.budgets.cend()) {
            return fail(path,
                Tr::tr("the same scope, name and window as %1; keep one of them")
                    .arg(indexed(u"budgets"_s, earlier - result.budgets.cbegin())));
        }
        result.budgets.append(decoded);
        return true;
    });
    if (!budgetsOk) {
        return std::nullopt;
    }

    const bool limitsOk = decodeList("limits"_L1, [&](const QJsonObject &object, const QString &path, qsizetype) {
        RateLimit decoded;
        if (!limit(object, path, result, &decoded)) {
            return false;
        }
        const auto earlier = std::find_if(result.limits.cbegin(), result.limits.cend(),
            [&decoded](const RateLimit &l) { return l.scope == decoded.scope && l.name == decoded.name; });
        if (earlier != result.limits.cend()) {
            return fail(path,
                Tr::tr("the same scope and name as %1; keep one of them")
                    .arg(indexed(u"limits"_s, earlier - result.limits.cbegin())));
        }
        result.limits.append(decoded);
        return true;
    });
    if (!limitsOk) {
        return std::nullopt;
    }

    if (root.contains("unpricedCostPerMillionTokens"_L1)) {
        const QString path = u"unpricedCostPerMillionTokens"_s;
        double cost = 0;
        if (!numberAt(root.value(path), path, &cost)) {
            return std::nullopt;
        }
        constexpr double MaxCost = 1'000'000;
        if (!(cost > 0 && cost <= MaxCost)) {
            fail(path,
                Tr::tr("%1 is out of range (more than 0, at most %2): requests whose price is unknown are charged "
                       "this many US dollars per million tokens, never nothing")
                    .arg(QString::number(cost, 'g', 17), QString::number(qint64(MaxCost))));
            return std::nullopt;
        }
        result.unpricedCostPerMillionTokens = cost;
    }

    static const QStringList known {u"version"_s, u"providers"_s, u"routes"_s, u"localKeys"_s, u"gateway"_s,
        u"priceOverrides"_s, u"secretNames"_s, u"budgets"_s, u"limits"_s, u"unpricedCostPerMillionTokens"_s};
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (!known.contains(it.key())) {
            result.unknownFields.insert(it.key(), it.value());
        }
    }
    return result;
}

QJsonObject providerToJson(const ProviderProfile &profile)
{
    QJsonObject object {
        {u"id"_s, profile.id},
        {u"preset"_s, profile.preset},
        {u"baseUrl"_s, profile.baseUrl.toString(QUrl::FullyEncoded)},
        {u"credentialRef"_s, profile.credentialRef},
    };
    if (!profile.displayName.isEmpty()) {
        object.insert(u"displayName"_s, profile.displayName);
    }
    if (!profile.extraHeaders.isEmpty()) {
        QJsonArray headers;
        for (const auto &[name, value] : profile.extraHeaders) {
            headers.append(
                QJsonObject {{u"name"_s, QString::fromLatin1(name)}, {u"value"_s, QString::fromUtf8(value)}});
        }
        object.insert(u"extraHeaders"_s, headers);
    }
    if (!profile.models.isEmpty()) {
        object.insert(u"models"_s, QJsonArray::fromStringList(profile.models));
    }
    return object;
}

// Only the members whose value differs from their default, as (key, value, default).
QJsonObject changedMembers(std::initializer_list<std::tuple<QString, int, int>> members)
{
    QJsonObject object;
    for (const auto &[key, value, defaultValue] : members) {
        if (value != defaultValue) {
            object.insert(key, value);
        }
    }
    return object;
}

// The compact form: a plain target as "provider/model", members at their default left out.
QJsonValue targetToJson(const RouteTarget &target)
{
    if (!target.isNested() && target == RouteTarget(target.provider, target.model)) {
        return target.toString();
    }
    const RouteTarget defaults;
    QJsonObject object = changedMembers(
        {{u"weight"_s, target.weight, defaults.weight}, {u"timeoutMs"_s, target.timeoutMs, defaults.timeoutMs},
            {u"ttftTimeoutMs"_s, target.ttftTimeoutMs, defaults.ttftTimeoutMs},
            {u"retries"_s, target.retries, defaults.retries}});
    if (target.isNested()) {
        object.insert(u"route"_s, target.route);
    }
    // Both kinds written when both are set, so that validate() reports the mistake.
    if (!target.isNested() || !target.provider.isEmpty() || !target.model.isEmpty()) {
        object.insert(u"provider"_s, target.provider);
        object.insert(u"model"_s, target.model);
    }
    if (!target.params.isEmpty()) {
        object.insert(u"params"_s, target.params);
    }
    return object;
}

QJsonObject routeToJson(const Route &route)
{
    const Route defaults;
    QJsonArray targets;
    for (const RouteTarget &target : route.targets) {
        targets.append(targetToJson(target));
    }
    QJsonObject object {{u"name"_s, route.name}, {u"targets"_s, targets}};
    if (route.strategy != defaults.strategy) {
        object.insert(u"strategy"_s, nameOf(StrategyNames, route.strategy));
    }
    if (route.fallbackOn != defaults.fallbackOn) {
        QJsonArray conditions;
        for (const auto &[condition, name] : ConditionNames) {
            if (route.fallbackOn.testFlag(condition)) {
                conditions.append(QString(name));
            }
        }
        object.insert(u"fallbackOn"_s, conditions);
    }
    if (route.retry != defaults.retry) {
        object.insert(u"retry"_s,
            changedMembers({{u"maxRetries"_s, route.retry.maxRetries, defaults.retry.maxRetries},
                {u"baseDelayMs"_s, route.retry.baseDelayMs, defaults.retry.baseDelayMs},
                {u"maxDelayMs"_s, route.retry.maxDelayMs, defaults.retry.maxDelayMs}}));
    }
    if (route.breaker != defaults.breaker) {
        object.insert(u"breaker"_s,
            changedMembers({{u"failureThreshold"_s, route.breaker.failureThreshold, defaults.breaker.failureThreshold},
                {u"windowMs"_s, route.breaker.windowMs, defaults.breaker.windowMs},
                {u"cooldownMs"_s, route.breaker.cooldownMs, defaults.breaker.cooldownMs}}));
    }
    if (route.deadlineMs != defaults.deadlineMs) {
        object.insert(u"deadlineMs"_s, route.deadlineMs);
    }
    return object;
}

QJsonObject budgetToJson(const Budget &budget)
{
    return QJsonObject {
        {u"scope"_s, nameOf(BudgetScopeNames, budget.scope)},
        {u"name"_s, budget.name},
        {u"limitUsd"_s, budget.limit.usd()},
        {u"window"_s, nameOf(WindowNames, budget.window)},
    };
}

QJsonObject limitToJson(const RateLimit &limit)
{
    QJsonObject object {
        {u"scope"_s, nameOf(LimitScopeNames, limit.scope)},
        {u"name"_s, limit.name},
    };
    if (limit.requestsPerMinute != 0) {
        object.insert(u"rpm"_s, limit.requestsPerMinute);
    }
    if (limit.tokensPerMinute != 0) {
        object.insert(u"tpm"_s, limit.tokensPerMinute);
    }
    return object;
}

QJsonObject localKeyToJson(const LocalKey &key)
{
    QJsonObject object {
        {u"name"_s, key.name},
        {u"sha256"_s, QString::fromLatin1(key.sha256Hex)},
        {u"hint"_s, key.hint},
    };
    if (key.createdAt.isValid()) {
        object.insert(u"createdAt"_s, key.createdAt.toUTC().toString(Qt::ISODate));
    }
    return object;
}

QJsonObject gatewayToJson(const GatewaySettings &gateway)
{
    return QJsonObject {
        {u"host"_s, gateway.host},
        {u"port"_s, int(gateway.port)},
        {u"maxBodyBytes"_s, gateway.maxBodyBytes},
        {u"connectTimeoutMs"_s, gateway.connectTimeoutMs},
        {u"firstByteTimeoutMs"_s, gateway.firstByteTimeoutMs},
        {u"idleTimeoutMs"_s, gateway.idleTimeoutMs},
        {u"autoStart"_s, gateway.autoStart},
        {u"captureBodies"_s, gateway.captureBodies},
    };
}

} // namespace

Result<Workspace> WorkspaceCodec::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Result<Workspace>::failure(Tr::tr("The workspace is not valid JSON: %1 at character %2")
                                              .arg(parseError.errorString(), QString::number(parseError.offset)));
    }
    if (!document.isObject()) {
        return Result<Workspace>::failure(Tr::tr("The workspace must be a JSON object { ... } at the top level"));
    }
    const QJsonObject root = document.object();

    // The version is checked before anything else: a newer document may not pass this build's checks.
    if (!root.contains("version"_L1)) {
        return Result<Workspace>::failure(
            Tr::tr("version: required field is missing; a workspace file starts with \"version\": %1")
                .arg(CurrentVersion));
    }
    const QJsonValue version = root.value("version"_L1);
    if (!version.isDouble() || std::trunc(version.toDouble()) != version.toDouble() || version.toDouble() < 1) {
        return Result<Workspace>::failure(
            Tr::tr("version: expected a whole number of at least 1, e.g. \"version\": %1").arg(CurrentVersion));
    }
    if (version.toDouble() > CurrentVersion) {
        return Result<Workspace>::failure(
            Tr::tr("This workspace was written by a newer Switchyard (format version %1; this build reads up to %2). "
                   "Update Switchyard to use it; the file was left unchanged.")
                .arg(QString::number(version.toDouble(), 'g', 17), QString::number(CurrentVersion)));
    }

    Decoder decoder;
    std::optional<Workspace> workspace = decoder.workspace(root);
    if (!workspace) {
        return Result<Workspace>::failure(decoder.error());
    }
    return std::move(*workspace);
}

QByteArray WorkspaceCodec::toJson(const Workspace &workspace)
{
    QJsonObject root = workspace.unknownFields;
    root.insert(u"version"_s, CurrentVersion);

    QJsonArray providers;
    for (const ProviderProfile &profile : workspace.providers) {
        providers.append(providerToJson(profile));
    }
    root.insert(u"providers"_s, providers);

    QJsonArray routes;
    for (const Route &route : workspace.routes) {
        routes.append(routeToJson(route));
    }
    root.insert(u"routes"_s, routes);

    QJsonArray localKeys;
    for (const LocalKey &key : workspace.localKeys) {
        localKeys.append(localKeyToJson(key));
    }
    root.insert(u"localKeys"_s, localKeys);

    root.insert(u"gateway"_s, gatewayToJson(workspace.gateway));
    root.insert(u"priceOverrides"_s, workspace.priceOverrides);
    root.insert(u"secretNames"_s, QJsonArray::fromStringList(workspace.secretNames));

    QJsonArray budgets;
    for (const Budget &budget : workspace.budgets) {
        budgets.append(budgetToJson(budget));
    }
    root.insert(u"budgets"_s, budgets);

    QJsonArray limits;
    for (const RateLimit &limit : workspace.limits) {
        limits.append(limitToJson(limit));
    }
    root.insert(u"limits"_s, limits);
    root.insert(u"unpricedCostPerMillionTokens"_s, workspace.unpricedCostPerMillionTokens);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Status WorkspaceCodec::validate(const Workspace &workspace)
{
    // One set of rules: validate exactly what would be written.
    const Result<Workspace> decoded = fromJson(toJson(workspace));
    if (!decoded) {
        return Status::failure(decoded.errorMessage());
    }
    return success();
}

} // namespace Switchyard::Config
