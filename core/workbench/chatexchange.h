#pragma once

#include "core/model/chatrequest.h"
#include "core/protocol/ssedecoder.h"
#include "core/workbench/exchangeresult.h"
#include "core/workbench/gatewayaccess.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>

class QNetworkReply;

namespace Switchyard::Workbench {

// One streamed chat request from the window to the local gateway, as any OpenAI client sends it,
// so routes, fallbacks, budgets and the ledger treat it like every other request. Emits the answer
// as it arrives, then finished() exactly once.
class ChatExchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatExchange)

public:
    explicit ChatExchange(QObject *parent = nullptr);
    ~ChatExchange() override;

    // Once per object. request.model names the target (a route or provider/model); streaming with
    // usage is switched on here. Without a valid access it fails (after returning) with a message.
    void start(const GatewayAccess &access, ChatRequest request);
    // Stops the answer (the gateway sees the client leave); finished() reports Cancelled with what
    // arrived so far. Nothing happens once finished.
    void cancel();

    bool isRunning() const { return m_running; }
    // The answer so far.
    const QString &text() const { return m_text; }
    const QString &reasoning() const { return m_reasoning; }

signals:
    void textDelta(const QString &delta);
    void reasoningDelta(const QString &delta);
    void finished(const Switchyard::Workbench::ExchangeResult &result);

private:
    void handleMetaData();
    void handleReadyRead();
    void handleReplyFinished();
    void handleStreamData(const QByteArray &data);
    void markFirstToken();
    void finish(ExchangeResult::Outcome outcome);
    void fail(const QString &message);

    QNetworkAccessManager m_network;
    QNetworkReply *m_reply = nullptr;
    GatewayAccess m_access;
    Protocol::SseDecoder m_decoder;
    QElapsedTimer m_clock;
    ExchangeResult m_result;
    QString m_text;
    QString m_reasoning;
    QByteArray m_errorBody; // the body of a non-200 answer
    bool m_running = false;
    bool m_started = false;
    bool m_streaming = false; // the gateway answered 200 with an event stream
    bool m_sawDone = false;
};

} // namespace Switchyard::Workbench
