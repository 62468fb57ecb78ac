#pragma once

#include "core/routing/budget.h"
#include "core/routing/route.h"

#include <QDialog>
#include <QList>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace Switchyard::Ui {

class InlineMessage;

// A route's name (renaming it), strategy, the failures that move on to the next target, its
// deadline, retry and circuit breaker policies and its spending cap. For a new route it also asks
// for the first target. The caller's validator checks the workspace with the route in place; its
// message is shown here and the dialog stays open.
class RouteSettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RouteSettingsDialog)

public:
    // Returns what is wrong with the workspace holding `route` and `budget`, or an empty string.
    using Validator = std::function<QString(const Routing::Route &route, const std::optional<Routing::Budget> &budget)>;

    // `budget` is the route's own budget (Budget::Scope::Route), if it has one.
    RouteSettingsDialog(
        const Routing::Route &route, const std::optional<Routing::Budget> &budget, QWidget *parent = nullptr);

    // Makes it a dialog for a new route, whose first target is typed as "provider/model" with
    // these suggestions.
    void askForFirstTarget(const QStringList &suggestions);
    void setValidator(Validator validator) { m_validator = std::move(validator); }

    // The route as entered, with its original targets (or the first target of a new one).
    Routing::Route route() const;
    std::optional<Routing::Budget> budget() const;

    void accept() override;

signals:
    void settingsAccepted();

private:
    QString inputError() const;

    Routing::Route m_original;
    std::optional<Routing::Budget> m_originalBudget;
    Validator m_validator;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QComboBox *m_firstTargetCombo = nullptr; // only for a new route
    QComboBox *m_strategyCombo = nullptr;
    QList<QCheckBox *> m_conditionChecks; // parallel to RouteTexts::conditions()
    QSpinBox *m_deadlineSpin = nullptr;
    QSpinBox *m_retriesSpin = nullptr;
    QSpinBox *m_baseDelaySpin = nullptr;
    QSpinBox *m_maxDelaySpin = nullptr;
    QSpinBox *m_breakerThresholdSpin = nullptr;
    QSpinBox *m_breakerWindowSpin = nullptr;
    QSpinBox *m_breakerCooldownSpin = nullptr;
    QCheckBox *m_budgetCheck = nullptr;
    QDoubleSpinBox *m_budgetSpin = nullptr;
    QComboBox *m_budgetWindowCombo = nullptr;
    InlineMessage *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Switchyard::Ui
