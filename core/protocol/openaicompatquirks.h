#pragma once

#include "core/model/chatrequest.h"

#include <QString>

namespace Switchyard::Protocol {

// What OpenAI-compatible providers reject or name differently (reference §4.1), applied to a
// canonical request before it is encoded for them. Handled: Mistral's tool_choice values, seed
// name, 9-character tool-call ids and its refusal of nulls; Groq's refusal of logprobs,
// logit_bias, top_logprobs, n and message names; every provider but OpenAI gets `developer`
// turned into `system` and loses OpenAI-only fields (prompt_cache_key, verbosity, service_tier,
// store, metadata; OpenRouter keeps them, it forwards to OpenAI).
class OpenAiCompatQuirks
{
public:
    OpenAiCompatQuirks() = delete;

    // Whether an OpenAI client's body must be rewritten before it can go to this preset's
    // provider; presets that merely ignore unknown fields forward bodies unchanged.
    static bool rewritesRequests(const QString &presetId);
    static void apply(const QString &presetId, ChatRequest &request);

    // Mistral accepts only ids of nine letters or digits; the same foreign id always maps to the
    // same replacement, so a call and its result stay paired.
    static QString mistralToolCallId(const QString &id);
};

} // namespace Switchyard::Protocol
