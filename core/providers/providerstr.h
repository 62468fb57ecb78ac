#pragma once

#include <QCoreApplication>

namespace Switchyard::Providers {

// Translation context for the module's non-QObject code.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Providers)
};

} // namespace Switchyard::Providers
