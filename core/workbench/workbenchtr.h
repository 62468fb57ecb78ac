#pragma once

#include <QCoreApplication>

namespace Switchyard::Workbench {

// Translation context for the module's non-QObject code.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Workbench)
};

} // namespace Switchyard::Workbench
