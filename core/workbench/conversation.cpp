#include "core/workbench/conversation.h"

#include "core/workbench/workbenchtr.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Switchyard::Workbench {

namespace {

constexpr int TitleLength = 48;

struct OutcomeName
{
    ExchangeResult::Outcome outcome;
    QLatin1StringView name;
};
constexpr OutcomeName OutcomeNames[] = {
    {ExchangeResult::Outcome::Completed, "completed"_L1},
    {ExchangeResult::Outcome::Failed, "failed"_L1},
    {ExchangeResult::Outcome::Cancelled, "cancelled"_L1},
};

QString timeToJson(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject usageToJson(const Usage &usage)
{
    return {{u"promptTokens"_s, usage.promptTokens}, {u"completionTokens"_s, usage.completionTokens},
        {u"cachedTokens"_s, usage.cachedTokens}, {u"cacheWriteTokens"_s, usage.cacheWriteTokens},
        {u"reasoningTokens"_s, usage.reasoningTokens}};
}

QJsonObject resultToJson(const ExchangeResult &result)
{
    QJsonObject object;
    for (const OutcomeName &entry : OutcomeNames) {
        if (entry.outcome == result.outcome) {
            object.insert(u"outcome"_s, QString(entry.name));
        }
    }
    const auto insertText = [&object](const QString &key, const QString &value) {
        if (!value.isEmpty()) {
            object.insert(key, value);
        }
    };
    insertText(u"target"_s, result.target);
    insertText(u"servedTarget"_s, result.servedTarget);
    insertText(u"route"_s, result.route);
    insertText(u"requestId"_s, result.requestId);
    insertText(u"finishReason"_s, result.finishReason);
    insertText(u"errorMessage"_s, result.errorMessage);
    object.insert(u"attempts"_s, result.attempts);
    object.insert(u"httpStatus"_s, result.httpStatus);
    object.insert(u"ttftMs"_s, result.ttftMs);
    object.insert(u"totalMs"_s, result.totalMs);
    if (result.usage.isReported) {
        object.insert(u"usage"_s, usageToJson(result.usage));
    }
    if (result.cost) {
        object.insert(u"costNanoUsd"_s, result.cost->nanoUsd());
    }
    return object;
}

QJsonObject entryToJson(const Conversation::Entry &entry)
{
    QJsonObject object {{u"role"_s, entry.message.role}, {u"text"_s, entry.message.text}};
    if (entry.message.hasParts()) {
        object.insert(u"parts"_s, entry.message.contentParts);
    }
    if (!entry.message.reasoning.isEmpty()) {
        object.insert(u"reasoning"_s, entry.message.reasoning);
    }
    if (entry.result) {
        object.insert(u"result"_s, resultToJson(*entry.result));
    }
    return object;
}

// Reads one JSON object, remembering the first problem with the path of the field it concerns.
class Reader
{
public:
    Reader(QJsonObject object, QString path)
        : m_object(std::move(object))
        , m_path(std::move(path))
    {
    }

    QString error() const { return m_error; }
    bool ok() const { return m_error.isEmpty(); }

    QString text(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return {};
        }
        if (!value.isString()) {
            fail(key, Tr::tr("must be a string"));
        }
        return value.toString();
    }

    std::optional<qint64> integer(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return std::nullopt;
        }
        if (!value.isDouble() || value.toDouble() != double(value.toInteger())) {
            fail(key, Tr::tr("must be a whole number"));
            return std::nullopt;
        }
        return value.toInteger();
    }

    std::optional<double> number(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return std::nullopt;
        }
        if (!value.isDouble()) {
            fail(key, Tr::tr("must be a number"));
            return std::nullopt;
        }
        return value.toDouble();
    }

    QDateTime time(QLatin1StringView key)
    {
        const QString value = text(key);
        const QDateTime time = QDateTime::fromString(value, Qt::ISODateWithMs);
        if (ok() && !time.isValid()) {
            fail(key, Tr::tr("\"%1\" is not an ISO 8601 date and time").arg(value));
        }
        return time.toUTC();
    }

    QJsonArray array(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (!value.isUndefined() && !value.isArray()) {
            fail(key, Tr::tr("must be an array"));
        }
        return value.toArray();
    }

    // Undefined when absent; fails when present but not an object.
    std::optional<Reader> object(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull()) {
            return std::nullopt;
        }
        if (!value.isObject()) {
            fail(key, Tr::tr("must be an object"));
            return std::nullopt;
        }
        return Reader(value.toObject(), pathOf(key));
    }

    QString pathOf(QLatin1StringView key) const { return m_path.isEmpty() ? QString(key) : m_path + u'.' + key; }

    void fail(QLatin1StringView key, const QString &message)
    {
        if (m_error.isEmpty()) {
            m_error = pathOf(key) + u": "_s + message;
        }
    }

    void adopt(const Reader &inner)
    {
        if (m_error.isEmpty()) {
            m_error = inner.m_error;
        }
    }

private:
    QJsonObject m_object;
    QString m_path;
    QString m_error;
};

Usage readUsage(Reader &reader)
{
    Usage usage;
    usage.promptTokens = reader.integer("promptTokens"_L1).value_or(0);
    usage.completionTokens = reader.integer("completionTokens"_L1).value_or(0);
    usage.cachedTokens = reader.integer("cachedTokens"_L1).value_or(0);
    usage.cacheWriteTokens = reader.integer("cacheWriteTokens"_L1).value_or(0);
    usage.reasoningTokens = reader.integer("reasoningTokens"_L1).value_or(0);
    usage.isReported = true;
    return usage;
}

ExchangeResult readResult(Reader &reader)
{
    ExchangeResult result;
    const QString outcome = reader.text("outcome"_L1);
    bool known = false;
    for (const OutcomeName &entry : OutcomeNames) {
        if (entry.name == outcome) {
            result.outcome = entry.outcome;
            known = true;
        }
    }
    if (!known) {
        reader.fail("outcome"_L1, Tr::tr("\"%1\" is not completed, failed or cancelled").arg(outcome));
    }
    result.target = reader.text("target"_L1);
    result.servedTarget = reader.text("servedTarget"_L1);
    result.route = reader.text("route"_L1);
    result.requestId = reader.text("requestId"_L1);
    result.finishReason = reader.text("finishReason"_L1);
    result.errorMessage = reader.text("errorMessage"_L1);
    result.attempts = int(reader.integer("attempts"_L1).value_or(0));
    result.httpStatus = int(reader.integer("httpStatus"_L1).value_or(0));
    result.ttftMs = reader.integer("ttftMs"_L1).value_or(-1);
    result.totalMs = reader.integer("totalMs"_L1).value_or(-1);
    if (auto usage = reader.object("usage"_L1)) {
        result.usage = readUsage(*usage);
        reader.adopt(*usage);
    }
    if (const auto nanoUsd = reader.integer("costNanoUsd"_L1)) {
        result.cost = Money::fromNanoUsd(*nanoUsd);
    }
    return result;
}

std::optional<Conversation::Entry> readEntry(const QJsonValue &value, const QString &path, QString *error)
{
    if (!value.isObject()) {
        *error = path + u": "_s + Tr::tr("must be an object");
        return std::nullopt;
    }
    Reader reader(value.toObject(), path);
    Conversation::Entry entry;
    entry.message.role = reader.text("role"_L1);
    if (reader.ok() && entry.message.role != "user"_L1 && entry.message.role != "assistant"_L1) {
        reader.fail("role"_L1, Tr::tr("\"%1\" is not user or assistant").arg(entry.message.role));
    }
    entry.message.text = reader.text("text"_L1);
    entry.message.reasoning = reader.text("reasoning"_L1);
    entry.message.contentParts = reader.array("parts"_L1);
    if (auto result = reader.object("result"_L1)) {
        entry.result = readResult(*result);
        reader.adopt(*result);
    }
    if (!reader.ok()) {
        *error = reader.error();
        return std::nullopt;
    }
    return entry;
}

} // namespace

Conversation Conversation::create()
{
    Conversation conversation;
    conversation.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    conversation.createdAt = QDateTime::currentDateTimeUtc();
    conversation.updatedAt = conversation.createdAt;
    return conversation;
}

bool Conversation::isValidId(const QString &id)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9_-]{1,100}$"_s);
    return pattern.match(id).hasMatch();
}

ChatRequest Conversation::nextRequest() const
{
    ChatRequest request;
    request.model = target;
    if (!systemPrompt.trimmed().isEmpty()) {
        ChatMessage system;
        system.role = u"system"_s;
        system.text = systemPrompt;
        request.messages.append(system);
    }
    for (const Entry &entry : entries) {
        if (entry.message.text.isEmpty() && !entry.message.hasParts()) {
            continue;
        }
        ChatMessage message = entry.message;
        message.reasoning.clear(); // what the model thought is not part of what it said
        request.messages.append(message);
    }
    parameters.applyTo(request);
    return request;
}

QString Conversation::displayTitle() const
{
    if (!title.isEmpty()) {
        return title;
    }
    for (const Entry &entry : entries) {
        if (entry.message.role != "user"_L1) {
            continue;
        }
        const QString text = entry.message.text.simplified();
        if (text.isEmpty()) {
            return Tr::tr("Image");
        }
        return text.size() > TitleLength ? QString(text.left(TitleLength - 1).trimmed() + u'…') : text;
    }
    return Tr::tr("New conversation");
}

QByteArray Conversation::toJson() const
{
    QJsonObject object {{u"format"_s, FormatVersion}, {u"createdAt"_s, timeToJson(createdAt)},
        {u"updatedAt"_s, timeToJson(updatedAt)}, {u"target"_s, target}, {u"systemPrompt"_s, systemPrompt}};
    if (!title.isEmpty()) {
        object.insert(u"title"_s, title);
    }
    QJsonObject params;
    if (parameters.temperature) {
        params.insert(u"temperature"_s, *parameters.temperature);
    }
    if (parameters.topP) {
        params.insert(u"topP"_s, *parameters.topP);
    }
    if (parameters.maxTokens) {
        params.insert(u"maxTokens"_s, *parameters.maxTokens);
    }
    object.insert(u"parameters"_s, params);
    QJsonArray list;
    for (const Entry &entry : entries) {
        list.append(entryToJson(entry));
    }
    object.insert(u"entries"_s, list);
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

Result<Conversation> Conversation::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Result<Conversation>::failure(
            Tr::tr("it is not valid JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    }
    if (!document.isObject()) {
        return Result<Conversation>::failure(Tr::tr("it is not a JSON object"));
    }
    Reader reader(document.object(), {});
    const std::optional<qint64> format = reader.integer("format"_L1);
    if (!reader.ok() || !format) {
        return Result<Conversation>::failure(Tr::tr("format: missing or not a whole number"));
    }
    if (*format > FormatVersion) {
        return Result<Conversation>::failure(
            Tr::tr("it was written by a newer version of Switchyard (format %1; this version reads format %2)")
                .arg(*format)
                .arg(FormatVersion));
    }
    if (*format < 1) {
        return Result<Conversation>::failure(Tr::tr("format: %1 is not a conversation format").arg(*format));
    }

    Conversation conversation;
    conversation.title = reader.text("title"_L1);
    conversation.createdAt = reader.time("createdAt"_L1);
    conversation.updatedAt = reader.time("updatedAt"_L1);
    conversation.target = reader.text("target"_L1);
    conversation.systemPrompt = reader.text("systemPrompt"_L1);
    if (auto params = reader.object("parameters"_L1)) {
        conversation.parameters.temperature = params->number("temperature"_L1);
        conversation.parameters.topP = params->number("topP"_L1);
        conversation.parameters.maxTokens = params->integer("maxTokens"_L1);
        reader.adopt(*params);
    }
    const QJsonArray entries = reader.array("entries"_L1);
    if (!reader.ok()) {
        return Result<Conversation>::failure(reader.error());
    }
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QString error;
        auto entry = readEntry(entries.at(i), u"entries[%1]"_s.arg(i), &error);
        if (!entry) {
            return Result<Conversation>::failure(error);
        }
        conversation.entries.append(std::move(*entry));
    }
    return conversation;
}

} // namespace Switchyard::Workbench
