#include "app/console.h"

#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace Switchyard::App {

void Console::out(const QString &line)
{
    QTextStream stream(stdout);
    stream << line << Qt::endl;
}

void Console::err(const QString &line)
{
    QTextStream stream(stderr);
    stream << line << Qt::endl;
}

bool Console::isInteractive()
{
    return ::isatty(STDIN_FILENO) != 0;
}

QString Console::readLine(bool hidden)
{
    termios saved {};
    const bool hideEcho = hidden && isInteractive() && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (hideEcho) {
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (hideEcho) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputc('\n', stderr);
    }
    return line;
}

} // namespace Switchyard::App
