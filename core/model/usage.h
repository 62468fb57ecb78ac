#pragma once

#include "core/model/money.h"

#include <QMetaType>
#include <QtGlobal>

#include <optional>

namespace Switchyard {

// Token counts of one answer, in OpenAI's accounting: cachedTokens and cacheWriteTokens are
// part of promptTokens, reasoningTokens are part of completionTokens. Providers that bill in the
// answer itself (OpenRouter's usage.cost) also say what the request cost.
struct Usage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 cachedTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    // False when the provider reported no usage at all (e.g. a stream cut before its usage chunk).
    bool isReported = false;
    // What the provider says it charged; nullopt when it did not say.
    std::optional<Money> reportedCost;

    qint64 totalTokens() const { return promptTokens + completionTokens; }
    friend bool operator==(const Usage &, const Usage &) = default;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::Usage)
