#pragma once

#include <QString>

namespace Switchyard::App {

// Line output for the command line, flushed at once (serve prints while it runs).
struct Console
{
    static void out(const QString &line);
    static void err(const QString &line);
    // One line from standard input without the newline; terminal echo is switched off when
    // `hidden` and stdin is a terminal. Empty at end of input.
    static QString readLine(bool hidden);
    static bool isInteractive();
};

} // namespace Switchyard::App
