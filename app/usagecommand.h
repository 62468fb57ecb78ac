#pragma once

#include <QStringList>

namespace Switchyard::App {

// `switchyard usage`: spend from the ledger, grouped and formatted for people or scripts.
struct UsageCommand
{
    // Prints the report; returns the process exit code.
    static int run(const QStringList &arguments);
};

} // namespace Switchyard::App
