#pragma once

#include "core/routing/budget.h"

#include <QDialog>

#include <optional>

class QDialogButtonBox;
class QLineEdit;

namespace Switchyard::Config {
class WorkspaceStore;
}

namespace Switchyard::Ui {

class InlineMessage;

// Edits what one local key may spend and send: a budget in US dollars per day, week and month
// (the router refuses requests that would go over one) and requests and tokens per minute.
// Empty fields mean no limit. Values are checked before saving, with the field named inline.
class KeyLimitsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyLimitsDialog)

public:
    KeyLimitsDialog(Config::WorkspaceStore *store, const QString &keyName, QWidget *parent = nullptr);

    void accept() override;

private:
    struct BudgetField
    {
        Routing::Budget::Window window;
        QLineEdit *edit;
    };

    QLineEdit *createEdit(const QString &objectName);
    void load();
    // The budgets and limit as typed; nullopt after showing what is wrong.
    std::optional<QList<Routing::Budget>> budgetsFromInput();
    std::optional<Routing::RateLimit> limitFromInput();
    std::optional<qint64> wholeNumber(QLineEdit *edit, const QString &field, qint64 maximum);
    void showError(QLineEdit *edit, const QString &message);

    Config::WorkspaceStore *m_store = nullptr;
    QString m_keyName;
    QList<BudgetField> m_budgetFields;
    QLineEdit *m_requestsEdit = nullptr;
    QLineEdit *m_tokensEdit = nullptr;
    InlineMessage *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Switchyard::Ui
