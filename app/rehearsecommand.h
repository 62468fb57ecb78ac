#pragma once

#include <QStringList>

namespace Switchyard::App {

// `switchyard rehearse ROUTE --scenario FILE`: runs a route of the workspace against a scripted
// scenario without any network and prints which targets served, the attempts, latency and cost.
struct RehearseCommand
{
    // Prints the report; returns the process exit code.
    static int run(const QStringList &arguments);
};

} // namespace Switchyard::App
