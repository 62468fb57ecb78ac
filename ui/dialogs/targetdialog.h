#pragma once

#include "core/config/workspace.h"
#include "core/routing/route.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QDialogButtonBox;
class QSpinBox;
class QStackedWidget;

namespace Switchyard::Ui {

class InlineMessage;

// Adds or edits one target of a route: a provider's model or another route, its weight and its
// own timeouts and retries. The caller's validator checks the route with the target in place
// (the workspace's rules); its message is shown here and the dialog stays open.
class TargetDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetDialog)

public:
    // Returns what is wrong with the route holding `target`, or an empty string.
    using Validator = std::function<QString(const Routing::RouteTarget &target)>;

    // Offers the workspace's providers (and their known models) and its routes except `routeName`.
    TargetDialog(const Config::Workspace &workspace, const QString &routeName, QWidget *parent = nullptr);

    void setTarget(const Routing::RouteTarget &target);
    Routing::RouteTarget target() const;
    void setValidator(Validator validator) { m_validator = std::move(validator); }

    void accept() override;

signals:
    void targetAccepted(const Switchyard::Routing::RouteTarget &target);

private:
    void fillModels();

    Config::Workspace m_workspace;
    Routing::RouteTarget m_original; // keeps what the dialog does not edit (params)
    Validator m_validator;
    QComboBox *m_kindCombo = nullptr;
    QStackedWidget *m_kindPages = nullptr;
    QComboBox *m_providerCombo = nullptr;
    QComboBox *m_modelCombo = nullptr;
    QComboBox *m_routeCombo = nullptr;
    QSpinBox *m_weightSpin = nullptr;
    QSpinBox *m_timeoutSpin = nullptr;
    QSpinBox *m_ttftTimeoutSpin = nullptr;
    QSpinBox *m_retriesSpin = nullptr;
    InlineMessage *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Switchyard::Ui
