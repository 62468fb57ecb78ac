#pragma once

#include "core/config/workspace.h"

#include <QString>
#include <QUndoCommand>

#include <functional>

namespace Switchyard::Ui {

// One edit of the route editor's draft, undone by going back to the routes as they were before.
class RouteEditCommand final : public QUndoCommand
{
public:
    struct State
    {
        Config::Workspace workspace; // only its routes and route budgets are applied
        QString currentRoute; // the route shown after going to this state
    };
    using Apply = std::function<void(const State &state)>;

    RouteEditCommand(const QString &text, State before, State after, Apply apply);

    void undo() override;
    void redo() override;

private:
    State m_before;
    State m_after;
    Apply m_apply;
};

} // namespace Switchyard::Ui
