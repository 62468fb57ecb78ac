#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

namespace Switchyard {

// One message of a conversation in canonical form. Text-only content lives in `text`;
// multi-part content (images, files, audio) keeps its parts as OpenAI-shaped JSON objects.
struct ChatMessage
{
    QString role; // "system", "developer", "user", "assistant", "tool"
    QString text;
    QJsonArray contentParts; // non-empty only for multi-part content
    QString name;
    QJsonArray toolCalls; // assistant: [{"id","type":"function","function":{"name","arguments"}}]
    QString toolCallId;   // tool: the call this message answers
    QString refusal;
    QString reasoning; // reasoning_content of providers that return it
    // Anthropic thinking / redacted_thinking blocks exactly as received: the API wants them back
    // unmodified (signature included) inside a tool-use loop.
    QJsonArray thinkingBlocks;
    bool isError = false; // tool: the result reports a failure (Anthropic tool_result is_error)

    bool hasParts() const { return !contentParts.isEmpty(); }
    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

} // namespace Switchyard
