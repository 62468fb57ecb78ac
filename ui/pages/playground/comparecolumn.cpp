#include "ui/pages/playground/comparecolumn.h"

#include "core/workbench/chatexchange.h"
#include "ui/dialogs/promotedialog.h"
#include "ui/widgets/exchangeformat.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/transcriptview.h"

#include <QFont>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

using Workbench::ExchangeResult;

CompareColumn::CompareColumn(Config::WorkspaceStore *store, const QString &target, QWidget *parent)
    : QFrame(parent)
    , m_store(store)
    , m_target(target)
{
    setObjectName(u"compareColumn"_s);
    setFrameShape(QFrame::StyledPanel);
    m_entry.message.role = u"assistant"_s;

    auto *title = new QLabel(target, this);
    title->setObjectName(u"columnTitleLabel"_s);
    title->setTextFormat(Qt::PlainText);
    title->setWordWrap(true);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    title->setFont(titleFont);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(u"statusLabel"_s);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setWordWrap(true);
    m_answerView = new TranscriptView(this);
    m_answerView->setObjectName(u"answerView"_s);
    m_answerView->setShowsHeadings(false);
    m_answerView->setShowsFigures(false);

    const auto figure = [this](const QString &name) {
        auto *label = new QLabel(u"–"_s, this);
        label->setObjectName(name);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    m_servedLabel = figure(u"servedLabel"_s);
    m_servedLabel->setWordWrap(true);
    m_ttftLabel = figure(u"ttftLabel"_s);
    m_speedLabel = figure(u"speedLabel"_s);
    m_tokensLabel = figure(u"tokensLabel"_s);
    m_costLabel = figure(u"costLabel"_s);
    auto *figures = new QFormLayout;
    figures->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    figures->addRow(tr("Served by:"), m_servedLabel);
    figures->addRow(tr("TTFT:"), m_ttftLabel);
    figures->addRow(tr("Speed:"), m_speedLabel);
    figures->addRow(tr("Tokens:"), m_tokensLabel);
    figures->addRow(tr("Cost:"), m_costLabel);

    m_promoteButton = new QPushButton(tr("Promote…"), this);
    m_promoteButton->setObjectName(u"promoteButton"_s);
    m_promoteButton->setEnabled(false);
    m_promoteMessage = new InlineMessage(this);
    m_promoteMessage->setObjectName(u"promoteMessageLabel"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_answerView, 1);
    layout->addLayout(figures);
    layout->addWidget(m_promoteMessage);
    layout->addWidget(m_promoteButton);

    connect(m_promoteButton, &QPushButton::clicked, this, &CompareColumn::openPromoteDialog);
}

std::optional<Routing::RouteTarget> CompareColumn::promotableTarget() const
{
    if (auto direct = Routing::RouteTarget::parse(m_target)) {
        return direct.value();
    }
    if (m_entry.result) {
        if (auto served = Routing::RouteTarget::parse(m_entry.result->servedTarget)) {
            return served.value();
        }
    }
    return std::nullopt;
}

void CompareColumn::start(const Workbench::GatewayAccess &access, const ChatRequest &request)
{
    m_exchange = new Workbench::ChatExchange(this);
    connect(m_exchange, &Workbench::ChatExchange::textDelta, this, [this](const QString &delta) {
        m_entry.message.text += delta;
        m_answerView->setEntries({m_entry});
        m_statusLabel->setText(tr("Streaming…"));
    });
    connect(m_exchange, &Workbench::ChatExchange::reasoningDelta, this, [this](const QString &delta) {
        m_entry.message.reasoning += delta;
        m_answerView->setEntries({m_entry});
        m_statusLabel->setText(tr("Reasoning…"));
    });
    connect(m_exchange, &Workbench::ChatExchange::finished, this, &CompareColumn::handleFinished);
    m_statusLabel->setText(tr("Waiting for the first token…"));
    m_answerView->setEntries({m_entry});
    ChatRequest forTarget = request;
    forTarget.model = m_target;
    m_exchange->start(access, forTarget);
}

void CompareColumn::cancel()
{
    if (m_exchange != nullptr) {
        m_exchange->cancel();
    }
}

void CompareColumn::handleFinished(const ExchangeResult &result)
{
    m_entry.result = result;
    m_exchange->deleteLater();
    m_exchange = nullptr;
    switch (result.outcome) {
    case ExchangeResult::Outcome::Completed:
        m_statusLabel->setText(tr("Done in %1").arg(ExchangeFormat::duration(result.totalMs)));
        break;
    case ExchangeResult::Outcome::Failed:
        m_statusLabel->setText(tr("Failed"));
        break;
    case ExchangeResult::Outcome::Cancelled:
        m_statusLabel->setText(tr("Stopped"));
        break;
    }
    m_answerView->setEntries({m_entry});
    m_answerView->flush(); // the finished answer shows at once, not at the next streaming tick
    updateFigures();
    m_promoteButton->setEnabled(result.isCompleted() && promotableTarget().has_value());
    emit finished();
}

void CompareColumn::updateFigures()
{
    const ExchangeResult &result = *m_entry.result;
    m_servedLabel->setText(result.servedTarget.isEmpty() ? u"–"_s : ExchangeFormat::servedBy(result));
    m_ttftLabel->setText(ExchangeFormat::duration(result.ttftMs));
    m_speedLabel->setText(ExchangeFormat::speed(result.tokensPerSecond()));
    m_tokensLabel->setText(ExchangeFormat::tokens(result.usage));
    m_costLabel->setText(ExchangeFormat::cost(result.cost));
}

void CompareColumn::openPromoteDialog()
{
    const auto target = promotableTarget();
    if (!target) {
        return;
    }
    m_promoteMessage->dismiss();
    auto *dialog = new PromoteDialog(m_store, *target, this);
    dialog->setObjectName(u"promoteDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromoteDialog::promoted, this, [this, target](const QString &route) {
        m_promoteMessage->showInfo(tr("Added %1 to route \"%2\".").arg(target->toString(), route));
    });
    dialog->open();
}

} // namespace Switchyard::Ui
