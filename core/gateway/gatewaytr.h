#pragma once

#include <QCoreApplication>

namespace Switchyard::Gateway {

// Translation context for the module's non-QObject code.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Gateway)
};

} // namespace Switchyard::Gateway
