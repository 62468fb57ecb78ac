#pragma once

#include "core/model/providererror.h"
#include "core/model/usage.h"

#include <QJsonArray>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Switchyard {

// One step of a streamed answer in canonical form.
struct StreamEvent
{
    enum class Kind {
        Delta,  // role / content / tool-call fragments and possibly a finish reason
        Usage,  // the usage report (OpenAI sends it in a chunk with no choices)
        Error,  // an error delivered inside the stream
        Done,   // the terminal marker ("data: [DONE]")
    };

    Kind kind = Kind::Delta;
    QString id;
    QString model;
    qint64 created = 0;
    int choiceIndex = 0;
    QString role;
    QString contentDelta;
    QString reasoningDelta;
    QString reasoningSignature; // Anthropic signature_delta: closes the current thinking block
    QJsonArray toolCallDeltas; // OpenAI-shaped: [{"index","id"?,"type"?,"function":{"name"?,"arguments"}}]
    QString finishReason;      // empty until the choice finishes
    QString stopSequence;      // with finishReason "stop": the matched stop sequence, if named
    std::optional<Usage> usage;
    std::optional<ProviderError> error;

    friend bool operator==(const StreamEvent &, const StreamEvent &) = default;
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::StreamEvent)
