#pragma once

#include "core/gateway/httprequest.h"
#include "core/gateway/httprequesthandler.h"
#include "core/gateway/httpserver.h"
#include "core/model/usage.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

namespace Switchyard::Testing {

// A provider speaking the OpenAI Chat Completions wire format over real HTTP on an ephemeral
// loopback port. Each model answers according to its script: text, streaming, delays,
// error statuses, a reset in the middle of a stream, a stream cut short, invalid JSON.
class FakeProvider final : public QObject, private Gateway::HttpRequestHandler
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeProvider)

public:
    struct Script
    {
        QString answer = QStringLiteral("Hello from the fake provider.");
        int status = 200;
        QByteArray errorBody; // sent with a non-200 status; a standard OpenAI error when empty
        QByteArray retryAfter; // Retry-After header on errors, when set
        int headDelayMs = 0;   // before the response head
        int chunkDelayMs = 0;  // between stream events
        int chunks = 4;        // the answer is split into this many content events
        int resetAfterChunks = -1; // abort the connection after this many content events
        bool truncate = false;     // end the stream after the content, without finish, usage or [DONE]
        bool invalidJson = false;  // answer 200 with a body that is not JSON
        bool hang = false;         // never answer
        Usage usage{12, 8, 4, 0, 2, true};
    };

    explicit FakeProvider(QObject *parent = nullptr);
    ~FakeProvider() override;

    // Listens on 127.0.0.1 with an ephemeral port.
    bool start();
    void stop();
    quint16 port() const;
    // OpenAI-style base URL: http://127.0.0.1:PORT/v1
    QUrl baseUrl() const;

    void setScript(const QString &model, const Script &script);
    void setDefaultScript(const Script &script) { m_defaultScript = script; }
    // When set, requests without "Authorization: Bearer <key>" get 401 like a real provider.
    void setRequiredKey(const QByteArray &key) { m_requiredKey = key; }

    int requestCount(const QString &model) const { return m_requestsByModel.value(model); }
    int totalRequests() const { return m_totalRequests; }
    const QList<Gateway::HttpRequest> &requests() const { return m_requests; }
    int openStreams() const { return m_openStreams; }
    int maxConcurrentRequests() const { return m_maxConcurrent; }

signals:
    void requestReceived(const QString &model);
    void streamFinished(const QString &model);

private:
    struct Exchange;

    void handleRequest(Gateway::HttpRequest &&request, Gateway::HttpConnection *connection) override;
    void answer(Exchange *exchange);
    void sendNextStreamEvent(Exchange *exchange);
    void finishExchange(Exchange *exchange);
    QByteArray completionBody(const QString &model, const Script &script) const;
    QByteArray chunkEvent(const QString &model, const QByteArray &delta, const QByteArray &finishReason) const;

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
