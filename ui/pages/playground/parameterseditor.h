#pragma once

#include "core/workbench/samplingparameters.h"

#include <QWidget>

class QDoubleSpinBox;
class QPlainTextEdit;
class QSpinBox;

namespace Switchyard::Ui {

// System prompt and sampling parameters; each parameter can be left to the model's default.
class ParametersEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParametersEditor)

public:
    explicit ParametersEditor(QWidget *parent = nullptr);

    QString systemPrompt() const;
    void setSystemPrompt(const QString &prompt);
    Workbench::SamplingParameters parameters() const;
    void setParameters(const Workbench::SamplingParameters &parameters);

private:
    QPlainTextEdit *m_systemPromptEdit = nullptr;
    QDoubleSpinBox *m_temperatureSpinBox = nullptr;
    QDoubleSpinBox *m_topPSpinBox = nullptr;
    QSpinBox *m_maxTokensSpinBox = nullptr;
};

} // namespace Switchyard::Ui
