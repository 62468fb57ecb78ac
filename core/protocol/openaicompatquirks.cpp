#include "core/protocol/openaicompatquirks.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
bool isMistralId(const QString &id)
{
    if (id.size() != 9) {
        return false;
    }
    for (const QChar c : id) {
        if (!(c.isDigit() || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'))) {
            return false;
        }
    }
    return true;
}

void stripNulls(QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end();) {
        if (it.value().isNull()) {
            it = object.erase(it);
        } else {
            ++it;
        }
    }
}

void applyMistral(ChatRequest &request)
{
    if (request.toolChoice.isObject() || request.toolChoice == u"required"_s) {
        // A named function cannot be forced on Mistral; "any" at least forces a tool call.
        request.toolChoice = u"any"_s;
    }
    if (request.extra.contains("seed"_L1)) {
        request.extra.insert("random_seed"_L1, request.extra.take("seed"_L1));
    }
    stripNulls(request.extra);
    for (ChatMessage &message : request.messages) {
        if (!message.toolCallId.isEmpty()) {
            message.toolCallId = OpenAiCompatQuirks::mistralToolCallId(message.toolCallId);
        }
        QJsonArray calls;
        for (const QJsonValue &value : std::as_const(message.toolCalls)) {
            QJsonObject call = value.toObject();
            call.insert("id"_L1, OpenAiCompatQuirks::mistralToolCallId(call.value("id"_L1).toString()));
            calls.append(call);
        }
        message.toolCalls = calls;
    }
}

void applyGroq(ChatRequest &request)
{
    for (const auto key : {"logprobs"_L1, "logit_bias"_L1, "top_logprobs"_L1, "n"_L1}) {
        request.extra.remove(key);
    }
    for (ChatMessage &message : request.messages) {
        message.name.clear();
    }
}
} // namespace

bool OpenAiCompatQuirks::rewritesRequests(const QString &presetId)
{
    return presetId == "mistral"_L1 || presetId == "groq"_L1;
}

void OpenAiCompatQuirks::apply(const QString &presetId, ChatRequest &request)
{
    if (presetId == "openai"_L1) {
        return;
    }
    for (ChatMessage &message : request.messages) {
        if (message.role == "developer"_L1) {
            message.role = u"system"_s;
        }
    }
    if (presetId != "openrouter"_L1) {
        for (const auto key : {"prompt_cache_key"_L1, "verbosity"_L1, "service_tier"_L1, "store"_L1, "metadata"_L1}) {
            request.extra.remove(key);
        }
    }
    if (presetId == "mistral"_L1) {
        applyMistral(request);
    } else if (presetId == "groq"_L1) {
        applyGroq(request);
    }
}

QString OpenAiCompatQuirks::mistralToolCallId(const QString &id)
{
    if (isMistralId(id)) {
        return id;
    }
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const QByteArray digest = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha256);
    QString mapped;
    for (int i = 0; i < 9; ++i) {
        mapped.append(QLatin1Char(alphabet[quint8(digest.at(i)) % (sizeof(alphabet) - 1)]));
    }
    return mapped;
}

} // namespace Switchyard::Protocol
