#pragma once

#include "core/model/result.h"
#include "core/model/usage.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Switchyard::Gateway {

// What the gateway needs from an OpenAI chat request it forwards without translating it.
struct ChatRequestSummary
{
    QString model;
    qsizetype modelOffset = 0; // byte span of the model's JSON string token, quotes included
    qsizetype modelLength = 0;
    bool stream = false;
    bool hasStreamOptions = false;
    bool includeUsage = false;
    qint64 maxTokens = 0; // max_completion_tokens or max_tokens; 0 when absent
};

// What one event of a forwarded OpenAI stream tells the gateway.
struct StreamEventSummary
{
    bool isDone = false;      // "data: [DONE]"
    bool hasFinish = false;   // a choice carries a finish_reason
    bool isError = false;     // a top-level "error" object
    bool isUsageOnly = false; // "choices": [] with usage: the chunk stream_options.include_usage adds
    std::optional<Usage> usage;
    QString errorMessage;
};

// simdjson-based reading of OpenAI bodies on the request path, where a full QJsonDocument
// parse would cost more than the rest of the request (see bench/). Bodies are read, never
// re-serialized: changes are byte splices.
class PassThroughScanner
{
public:
    // Checks that the body is a JSON object with a string "model" and an array "messages".
    // May grow the array's capacity (simdjson reads up to 64 bytes past the end).
    static Result<ChatRequestSummary> scanRequest(QByteArray &body);
    // The body with the model replaced and, when `addUsageOption`, stream_options.include_usage set.
    static QByteArray rewriteRequest(const QByteArray &body, const ChatRequestSummary &summary, const QString &model,
                                     bool addUsageOption);
    // The usage of a complete chat.completion body; nullopt when the body is not JSON.
    static std::optional<std::optional<Usage>> scanResponseUsage(QByteArray &body);
    static StreamEventSummary scanStreamEvent(QByteArrayView data);
    // A JSON string literal (with quotes) for `text`.
    static QByteArray jsonString(const QString &text);
};

} // namespace Switchyard::Gateway
