#include "ui/pages/routes/routeeditcommand.h"

namespace Switchyard::Ui {

RouteEditCommand::RouteEditCommand(const QString &text, State before, State after, Apply apply)
    : QUndoCommand(text)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_apply(std::move(apply))
{
}

void RouteEditCommand::undo()
{
    m_apply(m_before);
}

void RouteEditCommand::redo()
{
    m_apply(m_after);
}

} // namespace Switchyard::Ui
