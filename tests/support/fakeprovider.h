#pragma once

#include "core/gateway/httprequest.h"
#include "core/gateway/httprequesthandler.h"
#include "core/gateway/httpserver.h"
#include "core/model/usage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <optional>

namespace Switchyard::Testing {

// A provider speaking three wire formats over real HTTP on one ephemeral loopback port, the
// dialect chosen by the request path:
//   OpenAI     POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models
//   Anthropic  POST /v1/messages, POST /v1/messages/count_tokens
//   Gemini     POST /v1beta/models/{model}:generateContent, :streamGenerateContent?alt=sse,
//              :embedContent, :batchEmbedContents
// Each model (read from the body, or from the path for Gemini) answers according to its script,
// which means the same in every dialect: text or a tool call, streaming, delays, error statuses,
// a reset or an error in the middle of a stream, a stream cut short, invalid JSON. Requests the
// real API would refuse before reaching a model (wrong key, malformed body, missing
// anthropic-version or max_tokens, unknown path) are answered in the dialect's error shape and
// are not counted.
class FakeProvider final : public QObject, private Gateway::HttpRequestHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeProvider)

public:
    struct ToolCall
    {
        QString name;
        QJsonObject arguments;
    };

    struct Script
    {
        QString answer = QStringLiteral("Hello from the fake provider.");
        int status = 200;
        QByteArray errorBody; // sent with a non-200 status; the dialect's standard error body when empty
        QByteArray retryAfter; // Retry-After header on errors, when set
        int headDelayMs = 0; // before the response head
        int chunkDelayMs = 0; // between stream events
        int chunks = 4; // the answer (or the tool call's arguments) is split into this many content events
        int resetAfterChunks = -1; // abort the connection after this many content events
        // After this many content events (all of them when larger), the dialect's in-stream error
        // instead of the rest: OpenAI `data: {"error":...}`, Anthropic `event: error`, Gemini an
        // error chunk; then the stream ends.
        int streamErrorAfterChunks = -1;
        // End the stream after the content, before the dialect's finish: OpenAI finish_reason,
        // usage and [DONE]; Anthropic message_delta and message_stop; Gemini the finishReason chunk.
        bool truncate = false;
        bool invalidJson = false; // answer 200 with a body that is not JSON
        bool hang = false; // never answer
        // Answer with this one tool call instead of the text: OpenAI tool_calls, Anthropic tool_use,
        // Gemini a functionCall part. Streams spread the arguments over `chunks` events, except
        // Gemini, which sends the call whole in one content event.
        std::optional<ToolCall> toolCall;
        // Sent before the answer: OpenAI reasoning_content, Anthropic a signed thinking block,
        // Gemini a thought part. In streams it comes whole and is not a content event.
        QString reasoning;
        Usage usage {12, 8, 4, 0, 2, true, {}};
    };

    explicit FakeProvider(QObject *parent = nullptr);
    ~FakeProvider() override;

    // Listens on 127.0.0.1 with an ephemeral port.
    bool start();
    void stop();
    quint16 port() const;
    // http://127.0.0.1:PORT/v1 — the OpenAI and Anthropic presets both append their paths to it.
    QUrl baseUrl() const;
    // http://127.0.0.1:PORT/v1beta
    QUrl geminiBaseUrl() const;

    void setScript(const QString &model, const Script &script);
    void setDefaultScript(const Script &script) { m_defaultScript = script; }
    // When set, requests (the model list too) must carry the key the way their dialect does, else
    // they are refused like the real API refuses them: OpenAI "Authorization: Bearer" (401); Anthropic "x-api-key" or
    // "Authorization: Bearer" (401 authentication_error); Gemini "x-goog-api-key" or "?key="
    // (400 INVALID_ARGUMENT, reason API_KEY_INVALID).
    void setRequiredKey(const QByteArray &key) { m_requiredKey = key; }

    int requestCount(const QString &model) const { return m_requestsByModel.value(model); }
    int totalRequests() const { return m_totalRequests; }
    // Every counted request as received; `path` and `query` tell which endpoint was called.
    const QList<Gateway::HttpRequest> &requests() const { return m_requests; }
    int openStreams() const { return m_openStreams; }
    int maxConcurrentRequests() const { return m_maxConcurrent; }

signals:
    void requestReceived(const QString &model, const QByteArray &path);
    // A stream ended cleanly (complete, truncated or after its in-stream error); not after a reset.
    void streamFinished(const QString &model);

private:
    struct Exchange;

    void handleRequest(Gateway::HttpRequest &&request, Gateway::HttpConnection *connection) override;
    void sendAnswer(Exchange *exchange);
    void sendNextStreamFrame(Exchange *exchange);
    void endStream(Exchange *exchange);
    void resetStream(Exchange *exchange);
    void dropStream(Exchange *exchange);
    void finishExchange(Exchange *exchange);

    Gateway::HttpServer *m_server = nullptr;
    QHash<QString, Script> m_scripts;
    Script m_defaultScript;
    QByteArray m_requiredKey;
    QSet<Exchange *> m_exchanges;
    QHash<QString, int> m_requestsByModel;
    QList<Gateway::HttpRequest> m_requests;
    int m_totalRequests = 0;
    int m_inFlight = 0;
    int m_maxConcurrent = 0;
    int m_openStreams = 0;
};

} // namespace Switchyard::Testing
