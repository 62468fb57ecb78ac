#pragma once

#include "core/routing/route.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;

namespace Switchyard::Config {
class WorkspaceStore;
}

namespace Switchyard::Ui {

class InlineMessage;

// Adds one target to a route, existing or new, and saves the workspace; a refusal (a bad name,
// the target already there, a workspace that cannot be saved) is shown inline and the dialog stays.
class PromoteDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromoteDialog)

public:
    PromoteDialog(Config::WorkspaceStore *store, const Routing::RouteTarget &target, QWidget *parent = nullptr);

signals:
    void promoted(const QString &routeName);

private:
    void promote();

    Config::WorkspaceStore *m_store = nullptr;
    Routing::RouteTarget m_target;
    QComboBox *m_routeCombo = nullptr;
    InlineMessage *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttonBox = nullptr;
};

} // namespace Switchyard::Ui
