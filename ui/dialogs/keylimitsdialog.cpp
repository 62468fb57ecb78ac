#include "ui/dialogs/keylimitsdialog.h"

#include "core/config/workspacestore.h"
#include "ui/widgets/inlinemessage.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

// The workspace's own bounds (WorkspaceCodec).
constexpr double MaxBudgetUsd = 1'000'000'000;
constexpr qint64 MaxRequestsPerMinute = 1'000'000'000;
constexpr qint64 MaxTokensPerMinute = 1'000'000'000'000;

// The user's locale first, then the C locale, so "2.50" is read everywhere.
std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok) {
        value = QLocale::c().toDouble(text, &ok);
    }
    return ok ? std::optional<double>(value) : std::nullopt;
}

} // namespace

KeyLimitsDialog::KeyLimitsDialog(Config::WorkspaceStore *store, const QString &keyName, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_keyName(keyName)
    , m_requestsEdit(createEdit(u"requestsPerMinuteEdit"_s))
    , m_tokensEdit(createEdit(u"tokensPerMinuteEdit"_s))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Budget and Limits of %1").arg(keyName));
    m_budgetFields = {
        {Routing::Budget::Window::Day, createEdit(u"dailyBudgetEdit"_s)},
        {Routing::Budget::Window::Week, createEdit(u"weeklyBudgetEdit"_s)},
        {Routing::Budget::Window::Month, createEdit(u"monthlyBudgetEdit"_s)},
    };
    m_message->setObjectName(u"errorLabel"_s);
    m_buttons->setObjectName(u"buttonBox"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save"));

    auto *intro = new QLabel(tr("Requests with the key \"%1\" are refused once a budget is spent (days, weeks and "
                                "months start at local midnight, weeks on Monday) or while they come faster than "
                                "a limit allows. Leave a field empty for no limit.")
                                 .arg(keyName),
        this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Budget per day (US$):"), m_budgetFields.at(0).edit);
    form->addRow(tr("Budget per week (US$):"), m_budgetFields.at(1).edit);
    form->addRow(tr("Budget per month (US$):"), m_budgetFields.at(2).edit);
    form->addRow(tr("Requests per minute:"), m_requestsEdit);
    form->addRow(tr("Tokens per minute:"), m_tokensEdit);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(460);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &KeyLimitsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &KeyLimitsDialog::reject);
    load();
}

QLineEdit *KeyLimitsDialog::createEdit(const QString &objectName)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(tr("No limit"));
    connect(edit, &QLineEdit::textEdited, this, [this] { m_message->dismiss(); });
    return edit;
}

void KeyLimitsDialog::load()
{
    const QLocale locale;
    const Config::Workspace &workspace = m_store->workspace();
    for (const Routing::Budget &budget : workspace.budgets) {
        if (budget.scope != Routing::Budget::Scope::Key || budget.name != m_keyName) {
            continue;
        }
        for (const BudgetField &field : std::as_const(m_budgetFields)) {
            if (field.window == budget.window) {
                field.edit->setText(locale.toString(budget.limit.usd(), 'f', 2));
            }
        }
    }
    for (const Routing::RateLimit &limit : workspace.limits) {
        if (limit.scope == Routing::RateLimit::Scope::Key && limit.name == m_keyName) {
            if (limit.requestsPerMinute > 0) {
                m_requestsEdit->setText(QString::number(limit.requestsPerMinute));
            }
            if (limit.tokensPerMinute > 0) {
                m_tokensEdit->setText(QString::number(limit.tokensPerMinute));
            }
        }
    }
}

std::optional<QList<Routing::Budget>> KeyLimitsDialog::budgetsFromInput()
{
    QList<Routing::Budget> budgets;
    for (const BudgetField &field : std::as_const(m_budgetFields)) {
        const QString text = field.edit->text().trimmed();
        if (text.isEmpty()) {
            continue;
        }
        const std::optional<double> usd = parseNumber(text);
        if (!usd || *usd < 0 || *usd > MaxBudgetUsd) {
            showError(field.edit,
                tr("\"%1\" is not an amount of US dollars between 0 and %2; enter e.g. 5 or 12.50, or leave the "
                   "field empty for no budget.")
                    .arg(text, QLocale().toString(qint64(MaxBudgetUsd))));
            return std::nullopt;
        }
        budgets.append(Routing::Budget {Routing::Budget::Scope::Key, m_keyName, Money::fromUsd(*usd), field.window});
    }
    return budgets;
}

std::optional<qint64> KeyLimitsDialog::wholeNumber(QLineEdit *edit, const QString &field, qint64 maximum)
{
    const QString text = edit->text().trimmed();
    if (text.isEmpty()) {
        return 0;
    }
    bool ok = false;
    qint64 value = QLocale().toLongLong(text, &ok);
    if (!ok) {
        value = text.toLongLong(&ok);
    }
    if (!ok || value < 1 || value > maximum) {
        showError(edit,
            tr("%1: \"%2\" is not a whole number from 1 to %3; leave the field empty for no limit.")
                .arg(field, text, QLocale().toString(maximum)));
        return std::nullopt;
    }
    return value;
}

std::optional<Routing::RateLimit> KeyLimitsDialog::limitFromInput()
{
    const std::optional<qint64> requests = wholeNumber(m_requestsEdit, tr("Requests per minute"), MaxRequestsPerMinute);
    if (!requests) {
        return std::nullopt;
    }
    const std::optional<qint64> tokens = wholeNumber(m_tokensEdit, tr("Tokens per minute"), MaxTokensPerMinute);
    if (!tokens) {
        return std::nullopt;
    }
    return Routing::RateLimit {Routing::RateLimit::Scope::Key, m_keyName, int(*requests), *tokens};
}

void KeyLimitsDialog::accept()
{
    const auto budgets = budgetsFromInput();
    if (!budgets) {
        return;
    }
    const auto limit = limitFromInput();
    if (!limit) {
        return;
    }
    Config::Workspace workspace = m_store->workspace();
    const QString name = m_keyName;
    workspace.budgets.removeIf([&name](const Routing::Budget &budget) {
        return budget.scope == Routing::Budget::Scope::Key && budget.name == name;
    });
    workspace.budgets.append(*budgets);
    workspace.limits.removeIf([&name](const Routing::RateLimit &existing) {
        return existing.scope == Routing::RateLimit::Scope::Key && existing.name == name;
    });
    if (limit->requestsPerMinute > 0 || limit->tokensPerMinute > 0) {
        workspace.limits.append(*limit);
    }
    if (Status saved = m_store->save(workspace); !saved) {
        m_message->showError(saved.errorMessage());
        return;
    }
    QDialog::accept();
}

void KeyLimitsDialog::showError(QLineEdit *edit, const QString &message)
{
    m_message->showError(message);
    edit->setFocus();
    edit->selectAll();
}

} // namespace Switchyard::Ui
