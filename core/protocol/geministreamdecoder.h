#pragma once

#include "core/model/result.h"
#include "core/model/streamevent.h"
#include "core/model/usage.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace Switchyard::Protocol {

// Turns the SSE chunks of streamGenerateContent?alt=sse (each a full GenerateContentResponse)
// into canonical StreamEvents: the first chunk's Delta carries role "assistant"; text parts are
// content deltas, thought parts reasoning deltas, each functionCall part one complete tool-call
// delta (index, id, type, name, whole arguments); the finish reason comes on the last chunk
// (tool_calls when any call was seen). Gemini ends a stream by closing the connection, so
// finish() supplies the end: Usage (the last usageMetadata seen) and Done, or an Error when no
// finish reason arrived. One decoder per stream; only the first candidate is read.
class GeminiStreamDecoder
{
public:
    // `data` is one SSE event's data. Failure: it is not a JSON object.
    Result<QList<StreamEvent>> decode(QByteArrayView data);
    // Call when the upstream connection closed cleanly.
    QList<StreamEvent> finish();

    bool sawFinishReason() const { return m_finished; }

private:
    StreamEvent makeEvent(StreamEvent::Kind kind = StreamEvent::Kind::Delta) const;

    QString m_id;
    QString m_model;
    int m_toolCalls = 0;
    bool m_sentRole = false;
    bool m_finished = false;
    bool m_failed = false;
    std::optional<Usage> m_usage;
};

} // namespace Switchyard::Protocol
