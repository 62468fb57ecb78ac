#include "ui/dialogs/routesettingsdialog.h"

#include "ui/models/routetexts.h"
#include "ui/widgets/inlinemessage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
constexpr int MaxMs = 86'400'000;
constexpr int MaxRetries = 100;
constexpr int MaxThreshold = 1'000'000;
constexpr int ConditionColumns = 4;
constexpr double MaxBudgetUsd = 1'000'000;

QSpinBox *msSpin(QWidget *parent, const QString &name, int minimum, const QString &specialText = {})
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(name);
    spin->setRange(minimum, MaxMs);
    spin->setSingleStep(1000);
    spin->setSuffix(QCoreApplication::translate("Switchyard::Ui::RouteSettingsDialog", " ms"));
    spin->setSpecialValueText(specialText);
    return spin;
}
} // namespace

RouteSettingsDialog::RouteSettingsDialog(
    const Routing::Route &route, const std::optional<Routing::Budget> &budget, QWidget *parent)
    : QDialog(parent)
    , m_original(route)
    , m_originalBudget(budget)
    , m_nameEdit(new QLineEdit(route.name, this))
    , m_strategyCombo(new QComboBox(this))
    , m_deadlineSpin(msSpin(this, u"deadlineSpin"_s, 0, tr("none")))
    , m_retriesSpin(new QSpinBox(this))
    , m_baseDelaySpin(msSpin(this, u"baseDelaySpin"_s, 0))
    , m_maxDelaySpin(msSpin(this, u"maxDelaySpin"_s, 0))
    , m_breakerThresholdSpin(new QSpinBox(this))
    , m_breakerWindowSpin(msSpin(this, u"breakerWindowSpin"_s, 0))
    , m_breakerCooldownSpin(msSpin(this, u"breakerCooldownSpin"_s, 0))
    , m_budgetCheck(new QCheckBox(tr("Limit spending to"), this))
    , m_budgetSpin(new QDoubleSpinBox(this))
    , m_budgetWindowCombo(new QComboBox(this))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Route Settings"));
    m_nameEdit->setObjectName(u"nameEdit"_s);
    m_nameEdit->setToolTip(tr("The model name clients call. Renaming updates the routes that use this one."));
    m_strategyCombo->setObjectName(u"strategyCombo"_s);
    for (Routing::Strategy strategy : RouteTexts::strategies()) {
        m_strategyCombo->addItem(RouteTexts::strategyName(strategy), int(strategy));
        m_strategyCombo->setItemData(
            m_strategyCombo->count() - 1, RouteTexts::strategyExplanation(strategy), Qt::ToolTipRole);
    }
    m_strategyCombo->setCurrentIndex(m_strategyCombo->findData(int(route.strategy)));

    auto *conditions = new QGroupBox(tr("Move on to the next target after"), this);
    auto *conditionGrid = new QGridLayout(conditions);
    int cell = 0;
    for (Routing::FallbackCondition condition : RouteTexts::conditions()) {
        auto *check = new QCheckBox(RouteTexts::conditionName(condition), conditions);
        check->setObjectName(u"condition%1"_s.arg(int(condition)));
        check->setChecked(route.fallbackOn.testFlag(condition));
        conditionGrid->addWidget(check, cell / ConditionColumns, cell % ConditionColumns);
        m_conditionChecks.append(check);
        ++cell;
    }

    m_deadlineSpin->setValue(route.deadlineMs);
    m_deadlineSpin->setToolTip(tr("The whole request, including retries and fallbacks."));
    m_retriesSpin->setObjectName(u"routeRetriesSpin"_s);
    m_retriesSpin->setRange(0, MaxRetries);
    m_retriesSpin->setValue(route.retry.maxRetries);
    m_baseDelaySpin->setValue(route.retry.baseDelayMs);
    m_maxDelaySpin->setValue(route.retry.maxDelayMs);
    m_breakerThresholdSpin->setObjectName(u"breakerThresholdSpin"_s);
    m_breakerThresholdSpin->setRange(0, MaxThreshold);
    m_breakerThresholdSpin->setSpecialValueText(tr("never opens"));
    m_breakerThresholdSpin->setValue(route.breaker.failureThreshold);
    m_breakerWindowSpin->setValue(route.breaker.windowMs);
    m_breakerCooldownSpin->setValue(route.breaker.cooldownMs);

    m_budgetCheck->setObjectName(u"budgetCheck"_s);
    m_budgetSpin->setObjectName(u"budgetSpin"_s);
    m_budgetSpin->setRange(0.01, MaxBudgetUsd);
    m_budgetSpin->setDecimals(2);
    m_budgetSpin->setPrefix(tr("$"));
    m_budgetWindowCombo->setObjectName(u"budgetWindowCombo"_s);
    m_budgetWindowCombo->addItem(tr("per day"), int(Routing::Budget::Window::Day));
    m_budgetWindowCombo->addItem(tr("per week"), int(Routing::Budget::Window::Week));
    m_budgetWindowCombo->addItem(tr("per month"), int(Routing::Budget::Window::Month));
    m_budgetCheck->setChecked(budget.has_value());
    m_budgetSpin->setValue(budget ? budget->limit.usd() : 10.0);
    m_budgetWindowCombo->setCurrentIndex(
        m_budgetWindowCombo->findData(int(budget ? budget->window : Routing::Budget::Window::Month)));
    m_message->setObjectName(u"errorLabel"_s);
    m_buttons->setObjectName(u"buttonBox"_s);

    auto *retryRow = new QHBoxLayout;
    retryRow->addWidget(m_retriesSpin);
    retryRow->addWidget(new QLabel(tr("backoff from"), this));
    retryRow->addWidget(m_baseDelaySpin);
    retryRow->addWidget(new QLabel(tr("up to"), this));
    retryRow->addWidget(m_maxDelaySpin);
    auto *breakerRow = new QHBoxLayout;
    breakerRow->addWidget(m_breakerThresholdSpin);
    breakerRow->addWidget(new QLabel(tr("failures within"), this));
    breakerRow->addWidget(m_breakerWindowSpin);
    breakerRow->addWidget(new QLabel(tr("open for"), this));
    breakerRow->addWidget(m_breakerCooldownSpin);
    auto *budgetRow = new QHBoxLayout;
    budgetRow->addWidget(m_budgetCheck);
    budgetRow->addWidget(m_budgetSpin);
    budgetRow->addWidget(m_budgetWindowCombo);
    budgetRow->addStretch();

    m_form = new QFormLayout;
    m_form->addRow(tr("Name:"), m_nameEdit);
    m_form->addRow(tr("Strategy:"), m_strategyCombo);
    m_form->addRow(conditions);
    m_form->addRow(tr("Deadline:"), m_deadlineSpin);
    m_form->addRow(tr("Retries per target:"), retryRow);
    m_form->addRow(tr("Circuit breaker:"), breakerRow);
    m_form->addRow(tr("Budget:"), budgetRow);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_budgetCheck, &QCheckBox::toggled, m_budgetSpin, &QWidget::setEnabled);
    connect(m_budgetCheck, &QCheckBox::toggled, m_budgetWindowCombo, &QWidget::setEnabled);
    m_budgetSpin->setEnabled(m_budgetCheck->isChecked());
    m_budgetWindowCombo->setEnabled(m_budgetCheck->isChecked());
    connect(m_nameEdit, &QLineEdit::textEdited, m_message, &InlineMessage::dismiss);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RouteSettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RouteSettingsDialog::reject);
}

void RouteSettingsDialog::askForFirstTarget(const QStringList &suggestions)
{
    setWindowTitle(tr("Add Route"));
    m_firstTargetCombo = new QComboBox(this);
    m_firstTargetCombo->setObjectName(u"firstTargetCombo"_s);
    m_firstTargetCombo->setEditable(true);
    m_firstTargetCombo->setInsertPolicy(QComboBox::NoInsert);
    m_firstTargetCombo->addItems(suggestions);
    m_firstTargetCombo->lineEdit()->setPlaceholderText(tr("provider/model, e.g. openai/gpt-4o-mini"));
    connect(m_firstTargetCombo, &QComboBox::editTextChanged, m_message, &InlineMessage::dismiss);
    m_form->insertRow(1, tr("First target:"), m_firstTargetCombo);
}

Routing::Route RouteSettingsDialog::route() const
{
    Routing::Route route = m_original;
    route.name = m_nameEdit->text().trimmed();
    route.strategy = Routing::Strategy(m_strategyCombo->currentData().toInt());
    route.fallbackOn = {};
    const QList<Routing::FallbackCondition> conditions = RouteTexts::conditions();
    for (qsizetype i = 0; i < conditions.size(); ++i) {
        route.fallbackOn.setFlag(conditions.at(i), m_conditionChecks.at(i)->isChecked());
    }
    route.deadlineMs = m_deadlineSpin->value();
    route.retry.maxRetries = m_retriesSpin->value();
    route.retry.baseDelayMs = m_baseDelaySpin->value();
    route.retry.maxDelayMs = m_maxDelaySpin->value();
    route.breaker.failureThreshold = m_breakerThresholdSpin->value();
    route.breaker.windowMs = m_breakerWindowSpin->value();
    route.breaker.cooldownMs = m_breakerCooldownSpin->value();
    if (m_firstTargetCombo != nullptr) {
        route.targets.clear();
        if (auto first = Routing::RouteTarget::parse(m_firstTargetCombo->currentText().trimmed())) {
            route.targets.append(first.value());
        }
    }
    return route;
}

std::optional<Routing::Budget> RouteSettingsDialog::budget() const
{
    if (!m_budgetCheck->isChecked()) {
        return std::nullopt;
    }
    Routing::Budget budget = m_originalBudget.value_or(Routing::Budget {});
    budget.scope = Routing::Budget::Scope::Route;
    budget.name = m_nameEdit->text().trimmed();
    budget.limit = Money::fromUsd(m_budgetSpin->value());
    budget.window = Routing::Budget::Window(m_budgetWindowCombo->currentData().toInt());
    return budget;
}

QString RouteSettingsDialog::inputError() const
{
    if (m_nameEdit->text().trimmed().isEmpty()) {
        return tr("Enter a name for the route: the model name clients will call, e.g. smart.");
    }
    if (m_firstTargetCombo != nullptr) {
        if (auto first = Routing::RouteTarget::parse(m_firstTargetCombo->currentText().trimmed()); !first) {
            return tr("First target: %1").arg(first.errorMessage());
        }
    }
    return {};
}

void RouteSettingsDialog::accept()
{
    QString error = inputError();
    if (error.isEmpty() && m_validator) {
        error = m_validator(route(), budget());
    }
    if (!error.isEmpty()) {
        m_message->showError(error);
        return;
    }
    emit settingsAccepted();
    QDialog::accept();
}

} // namespace Switchyard::Ui
