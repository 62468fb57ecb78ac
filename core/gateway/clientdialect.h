#pragma once

namespace Switchyard::Gateway {

// The API family a client speaks to the gateway: it decides how requests are read and how
// answers, streams and errors are written back, whichever provider serves the request.
enum class ClientDialect {
    OpenAi,    // POST /v1/chat/completions
    Anthropic, // POST /v1/messages
};

} // namespace Switchyard::Gateway
