#include "core/routing/fallbackclassifier.h"

#include <algorithm>
#include <initializer_list>

using namespace Qt::StringLiterals;

namespace Switchyard::Routing {

namespace {

bool containsAnyOf(const QString &text, std::initializer_list<QLatin1StringView> needles)
{
    return std::any_of(needles.begin(), needles.end(),
        [&text](QLatin1StringView needle) { return text.contains(needle, Qt::CaseInsensitive); });
}

// OpenAI: code context_length_exceeded ("This model's maximum context length is …");
// Anthropic: 400 "prompt is too long"; Gemini: 400 "The input token count (…) exceeds the maximum …";
// Together: 403 "input + max_tokens exceeds context length"; Mistral and vLLM: "maximum context length"
// or "context window" in the message.
bool isContextWindow(const AttemptOutcome &outcome)
{
    if (outcome.errorCode.compare("context_length_exceeded"_L1, Qt::CaseInsensitive) == 0) {
        return true;
    }
    const QString &message = outcome.errorMessage;
    if (message.contains("input token count"_L1, Qt::CaseInsensitive)
        && message.contains("exceeds"_L1, Qt::CaseInsensitive)) {
        return true;
    }
    return containsAnyOf(message, {"prompt is too long"_L1, "context length"_L1, "context window"_L1});
}

// OpenAI: code content_policy_violation (images) or content_filter (Azure); Anthropic and others
// say so in the message.
bool isContentPolicy(const AttemptOutcome &outcome)
{
    for (const QLatin1StringView code : {"content_policy_violation"_L1, "content_filter"_L1}) {
        if (outcome.errorCode.compare(code, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return containsAnyOf(outcome.errorMessage, {"content policy"_L1, "safety"_L1});
}

// Gemini reports a bad key as 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
bool isInvalidKey(const AttemptOutcome &outcome)
{
    return containsAnyOf(outcome.errorCode, {"api_key_invalid"_L1})
        || containsAnyOf(outcome.errorMessage, {"api_key_invalid"_L1, "api key not valid"_L1});
}

// A 429 that is about money, not load: retrying or failing over will not make it pass, and the
// person has to act (OpenAI insufficient_quota, Anthropic enforced_spend_limit_reached).
bool isBilling(const AttemptOutcome &outcome)
{
    for (const QLatin1StringView code : {"insufficient_quota"_L1, "enforced_spend_limit_reached"_L1}) {
        if (outcome.errorCode.compare(code, Qt::CaseInsensitive) == 0
            || outcome.errorType.compare(code, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

std::optional<FallbackCondition> FallbackClassifier::classify(const AttemptOutcome &outcome)
{
    switch (outcome.transport) {
    case AttemptOutcome::Transport::Connect:
    case AttemptOutcome::Transport::Reset: // the connection failed: nothing usable reached the gateway
        return FallbackCondition::Connect;
    case AttemptOutcome::Transport::Timeout:
        return FallbackCondition::Timeout;
    case AttemptOutcome::Transport::TtftTimeout:
        return FallbackCondition::TtftTimeout;
    case AttemptOutcome::Transport::InvalidResponse: // what a proxy reports as 502 Bad Gateway
        return FallbackCondition::Http5xx;
    case AttemptOutcome::Transport::None:
        break;
    }

    const int status = outcome.httpStatus;
    switch (status) {
    case 408:
        return FallbackCondition::Http408;
    case 409:
        return FallbackCondition::Http409;
    case 429:
        if (isBilling(outcome)) {
            return std::nullopt;
        }
        return FallbackCondition::Http429;
    default:
        break;
    }
    if (status >= 500 && status <= 599) {
        return FallbackCondition::Http5xx;
    }
    if (status < 400 || status > 499) {
        return std::nullopt;
    }
    // Checked before the status classes: Together reports an overlong prompt as 403.
    if (isContextWindow(outcome)) {
        return FallbackCondition::ContextWindow;
    }
    if (isContentPolicy(outcome)) {
        return FallbackCondition::ContentPolicy;
    }
    if (status == 401 || status == 403 || (status == 400 && isInvalidKey(outcome))) {
        return FallbackCondition::Auth;
    }
    return std::nullopt;
}

bool FallbackClassifier::isRetryableOnSameTarget(FallbackCondition condition)
{
    switch (condition) {
    case FallbackCondition::Connect:
    case FallbackCondition::Timeout:
    case FallbackCondition::Http408:
    case FallbackCondition::Http409:
    case FallbackCondition::Http429:
    case FallbackCondition::Http5xx:
        return true;
    case FallbackCondition::TtftTimeout:
    case FallbackCondition::ContextWindow:
    case FallbackCondition::ContentPolicy:
    case FallbackCondition::Auth:
        return false;
    }
    return false;
}

bool FallbackClassifier::countsAgainstTarget(FallbackCondition condition)
{
    switch (condition) {
    case FallbackCondition::Connect:
    case FallbackCondition::Timeout:
    case FallbackCondition::TtftTimeout:
    case FallbackCondition::Http408:
    case FallbackCondition::Http429:
    case FallbackCondition::Http5xx:
    case FallbackCondition::Auth:
        return true;
    case FallbackCondition::Http409: // a conflict with this request's state, not an outage
    case FallbackCondition::ContextWindow:
    case FallbackCondition::ContentPolicy:
        return false;
    }
    return false;
}

QLatin1StringView FallbackClassifier::key(FallbackCondition condition)
{
    switch (condition) {
    case FallbackCondition::Connect:
        return "connect"_L1;
    case FallbackCondition::Timeout:
        return "timeout"_L1;
    case FallbackCondition::TtftTimeout:
        return "ttft_timeout"_L1;
    case FallbackCondition::Http408:
        return "http_408"_L1;
    case FallbackCondition::Http409:
        return "http_409"_L1;
    case FallbackCondition::Http429:
        return "http_429"_L1;
    case FallbackCondition::Http5xx:
        return "http_5xx"_L1;
    case FallbackCondition::ContextWindow:
        return "context_window"_L1;
    case FallbackCondition::ContentPolicy:
        return "content_policy"_L1;
    case FallbackCondition::Auth:
        return "auth"_L1;
    }
    return {};
}

} // namespace Switchyard::Routing
