#pragma once

#include <QCoreApplication>

namespace Switchyard::Routing {

// Translation context for the module's non-QObject code.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Routing)
};

} // namespace Switchyard::Routing
