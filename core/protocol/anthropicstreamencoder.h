#pragma once

#include "core/model/streamevent.h"
#include "core/model/usage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace Switchyard::Protocol {

// Turns canonical StreamEvents (from any upstream) into the Anthropic Messages event sequence an
// Anthropic SDK expects, as SSE frames with `event:` names: message_start (usage known so far),
// then per block content_block_start / _delta / _stop with consecutive indexes (thinking, text and
// tool_use blocks), and after the Done event message_delta (stop_reason, stop_sequence, usage)
// and message_stop. The finish reason and usage are held until Done, because OpenAI sends usage
// after the finish reason.
//
// Tool calls: the first call streams its argument fragments as input_json_delta. A call that
// starts while another is open is buffered until the open one's arguments form a complete JSON
// object (then the next opens, its buffer sent as one delta) or until the answer moves on, so
// calls interleaved by index (parallel calls) still become well-formed consecutive blocks.
// Only choice 0 is encoded. An Error event becomes an `error` event and ends the stream.
class AnthropicStreamEncoder
{
public:
    // The frames due for `event`; empty when nothing is due yet or the stream has ended.
    QByteArray encode(const StreamEvent &event);

    bool isFinished() const { return m_finished; }

    // A keep-alive frame a server may send during long silences.
    static QByteArray pingFrame();

private:
    enum class BlockKind {
        None,
        Text,
        Thinking,
        Tool,
    };
    struct ToolCall
    {
        QString id;
        QString name;
        QString arguments; // sent so far
        QString buffered; // received while another block was open
        bool started = false;
        bool closed = false;
    };

    void start(const StreamEvent &event, QByteArray &out);
    void openBlock(BlockKind kind, const QJsonObject &contentBlock, QByteArray &out);
    void closeBlock(QByteArray &out);
    void openTool(int toolIndex, QByteArray &out);
    void addToolDelta(const QJsonObject &delta, QByteArray &out);
    void advanceTools(QByteArray &out);
    void closeAll(QByteArray &out);
    void delta(const QJsonObject &delta, QByteArray &out);

    bool m_started = false;
    bool m_finished = false;
    BlockKind m_openKind = BlockKind::None;
    int m_openToolIndex = -1;
    int m_blockCount = 0; // content blocks opened so far; the open one is m_blockCount - 1
    QMap<int, ToolCall> m_tools;
    QList<int> m_waitingTools; // started upstream while another block was open, in arrival order
    QString m_finishReason;
    QString m_stopSequence;
    Usage m_usage;
};

} // namespace Switchyard::Protocol
