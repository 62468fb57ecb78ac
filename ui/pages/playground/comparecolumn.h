#pragma once

#include "core/model/chatrequest.h"
#include "core/routing/route.h"
#include "core/workbench/conversation.h"
#include "core/workbench/gatewayaccess.h"

#include <QFrame>

#include <optional>

class QLabel;
class QPushButton;

namespace Switchyard::Config {
class WorkspaceStore;
}
namespace Switchyard::Workbench {
class ChatExchange;
struct ExchangeResult;
} // namespace Switchyard::Workbench

namespace Switchyard::Ui {

class InlineMessage;
class TranscriptView;

// One target's answer in a comparison: streamed text, its figures, and Promote to put the target
// into a route.
class CompareColumn final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareColumn)

public:
    CompareColumn(Config::WorkspaceStore *store, const QString &target, QWidget *parent = nullptr);

    QString target() const { return m_target; }
    bool isRunning() const { return m_exchange != nullptr; }
    const std::optional<Workbench::ExchangeResult> &result() const { return m_entry.result; }
    QString answer() const { return m_entry.message.text; }
    // What Promote adds: the column's provider/model, or for a route the provider/model that served it.
    std::optional<Routing::RouteTarget> promotableTarget() const;

    void start(const Workbench::GatewayAccess &access, const ChatRequest &request);
    void cancel();

signals:
    void finished();

private:
    void handleFinished(const Workbench::ExchangeResult &result);
    void openPromoteDialog();
    void updateFigures();

    Config::WorkspaceStore *m_store = nullptr;
    QString m_target;
    Workbench::ChatExchange *m_exchange = nullptr;
    Workbench::Conversation::Entry m_entry;

    QLabel *m_statusLabel = nullptr;
    TranscriptView *m_answerView = nullptr;
    QLabel *m_servedLabel = nullptr;
    QLabel *m_ttftLabel = nullptr;
    QLabel *m_speedLabel = nullptr;
    QLabel *m_tokensLabel = nullptr;
    QLabel *m_costLabel = nullptr;
    QPushButton *m_promoteButton = nullptr;
    InlineMessage *m_promoteMessage = nullptr;
};

} // namespace Switchyard::Ui
