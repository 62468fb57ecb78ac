#pragma once

#include <QCoreApplication>

namespace Switchyard::Config {

// Translation context for the module's non-QObject code.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Config)
};

} // namespace Switchyard::Config
