#pragma once

#include "core/model/result.h"
#include "core/model/streamevent.h"

#include <QByteArrayView>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Switchyard::Protocol {

// Turns the events of one Anthropic Messages stream into canonical StreamEvents, in OpenAI's
// order: message_start -> Delta with role "assistant"; text_delta -> contentDelta;
// thinking_delta -> reasoningDelta; signature_delta -> reasoningSignature; a tool_use block ->
// a tool-call delta {index, id, type, function{name, arguments:""}} where index counts tool
// blocks only, then one {index, function{arguments}} per input_json_delta; message_delta ->
// Delta with the finish reason (and stopSequence); message_stop -> Usage (input and cache counts
// from message_start merged with message_delta's cumulative counts) then Done; `error` -> Error.
// ping, content_block_stop, citations and unknown event types yield nothing. Every event carries
// the message id and model. One decoder per stream.
class AnthropicStreamDecoder
{
public:
    // `data` is one SSE event's data; the event type is read from its "type" member, so the
    // `event:` line is not needed. Failure: the data is not a JSON object.
    Result<QList<StreamEvent>> decode(QByteArrayView data);

    // message_stop or an error was seen; a stream that ends before this was cut short.
    bool isFinished() const { return m_finished; }

private:
    StreamEvent makeEvent(StreamEvent::Kind kind = StreamEvent::Kind::Delta) const;

    QString m_id;
    QString m_model;
    QJsonObject m_usage; // the raw usage object, later events' counts overriding earlier ones
    QHash<int, int> m_toolIndexByBlock;
    bool m_finished = false;
};

} // namespace Switchyard::Protocol
