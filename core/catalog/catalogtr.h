#pragma once

#include <QCoreApplication>

namespace Switchyard::Catalog {

// Translation context for the module's non-QObject code.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Catalog)
};

} // namespace Switchyard::Catalog
