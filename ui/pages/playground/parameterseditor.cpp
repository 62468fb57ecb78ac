#include "ui/pages/playground/parameterseditor.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

// The spin box's minimum stands for "not set": it shows the special text and is never sent.
constexpr double UnsetTemperature = -0.1;
constexpr double UnsetTopP = -0.05;
constexpr int UnsetMaxTokens = 0;
constexpr int SystemPromptLines = 4;

} // namespace

ParametersEditor::ParametersEditor(QWidget *parent)
    : QWidget(parent)
    , m_systemPromptEdit(new QPlainTextEdit(this))
    , m_temperatureSpinBox(new QDoubleSpinBox(this))
    , m_topPSpinBox(new QDoubleSpinBox(this))
    , m_maxTokensSpinBox(new QSpinBox(this))
{
    m_systemPromptEdit->setObjectName(u"systemPromptEdit"_s);
    m_systemPromptEdit->setPlaceholderText(tr("Optional instructions sent before the conversation"));
    m_systemPromptEdit->setTabChangesFocus(true);
    m_systemPromptEdit->setFixedHeight(m_systemPromptEdit->fontMetrics().lineSpacing() * SystemPromptLines + 12);

    m_temperatureSpinBox->setObjectName(u"temperatureSpinBox"_s);
    m_temperatureSpinBox->setRange(UnsetTemperature, 2.0);
    m_temperatureSpinBox->setSingleStep(0.1);
    m_temperatureSpinBox->setDecimals(2);
    m_temperatureSpinBox->setSpecialValueText(tr("Model default"));
    m_temperatureSpinBox->setToolTip(tr("Lower is more predictable, higher more varied (0 to 2)."));

    m_topPSpinBox->setObjectName(u"topPSpinBox"_s);
    m_topPSpinBox->setRange(UnsetTopP, 1.0);
    m_topPSpinBox->setSingleStep(0.05);
    m_topPSpinBox->setDecimals(2);
    m_topPSpinBox->setSpecialValueText(tr("Model default"));
    m_topPSpinBox->setToolTip(tr("Sample only from the most likely tokens that together reach this probability."));

    m_maxTokensSpinBox->setObjectName(u"maxTokensSpinBox"_s);
    m_maxTokensSpinBox->setRange(UnsetMaxTokens, 1'000'000);
    m_maxTokensSpinBox->setSingleStep(256);
    m_maxTokensSpinBox->setSpecialValueText(tr("Model default"));
    m_maxTokensSpinBox->setToolTip(tr("The longest answer to allow, in tokens."));

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Temperature:"), m_temperatureSpinBox);
    form->addRow(tr("Top p:"), m_topPSpinBox);
    form->addRow(tr("Max tokens:"), m_maxTokensSpinBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("System prompt:"), this));
    layout->addWidget(m_systemPromptEdit);
    layout->addLayout(form);
    setParameters({});
}

QString ParametersEditor::systemPrompt() const
{
    return m_systemPromptEdit->toPlainText();
}

void ParametersEditor::setSystemPrompt(const QString &prompt)
{
    m_systemPromptEdit->setPlainText(prompt);
}

Workbench::SamplingParameters ParametersEditor::parameters() const
{
    Workbench::SamplingParameters parameters;
    if (m_temperatureSpinBox->value() > UnsetTemperature) {
        parameters.temperature = m_temperatureSpinBox->value();
    }
    if (m_topPSpinBox->value() > UnsetTopP) {
        parameters.topP = m_topPSpinBox->value();
    }
    if (m_maxTokensSpinBox->value() > UnsetMaxTokens) {
        parameters.maxTokens = m_maxTokensSpinBox->value();
    }
    return parameters;
}

void ParametersEditor::setParameters(const Workbench::SamplingParameters &parameters)
{
    m_temperatureSpinBox->setValue(parameters.temperature.value_or(UnsetTemperature));
    m_topPSpinBox->setValue(parameters.topP.value_or(UnsetTopP));
    const qint64 maxTokens = parameters.maxTokens.value_or(UnsetMaxTokens);
    m_maxTokensSpinBox->setValue(int(qBound(qint64(UnsetMaxTokens), maxTokens, qint64(m_maxTokensSpinBox->maximum()))));
}

} // namespace Switchyard::Ui
