#include "app/apptranslations.h"
#include "app/console.h"
#include "app/guiapplication.h"
#include "app/keyscommand.h"
#include "app/modelscommand.h"
#include "app/pricescommand.h"
#include "app/rehearsecommand.h"
#include "app/servecommand.h"
#include "app/usagecommand.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace {

QString helpText()
{
    return QCoreApplication::translate("main",
        "Switchyard %1: desktop workbench and local gateway for LLM routing.\n\n"
        "Usage:\n"
        "  switchyard                       open the window (needs a display)\n"
        "  switchyard serve [--config FILE] [--listen HOST:PORT] [--data-dir DIR]\n"
        "                                   run the gateway headless\n"
        "  switchyard keys set|list|delete NAME          provider secrets in the OS keychain\n"
        "  switchyard keys local create|list|revoke NAME local API keys for clients\n"
        "  switchyard usage [--since DATE] [--by provider|model|route|key] [--format table|csv|json]\n"
        "                                   spend from the usage ledger\n"
        "  switchyard rehearse ROUTE --scenario FILE [--format text|json]\n"
        "                                   run a route against a scripted scenario, offline\n"
        "  switchyard models [--provider ID] [--json] [--config FILE]\n"
        "                                   the providers' models with limits, prices and capabilities\n"
        "  switchyard prices refresh [--source-url URL] | prices show MODEL\n"
        "                                   refresh prices from OpenRouter, or show a model's prices\n\n"
        "Each command accepts --help.")
        .arg(QStringLiteral(SWITCHYARD_VERSION));
}

// Debug and info lines are for developers; QT_LOGGING_RULES turns them back on.
void quietenLogging()
{
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(u"switchyard.*.debug=false\nswitchyard.*.info=false"_s);
    }
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(u"switchyard"_s);
    QCoreApplication::setApplicationName(u"switchyard"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHYARD_VERSION));
}

// "switchyard serve --x" as QCommandLineParser expects it: the program name, then the options.
QStringList commandArguments(const QStringList &all)
{
    QStringList arguments = all.mid(2);
    arguments.prepend(all.at(0) + u' ' + all.at(1));
    return arguments;
}

bool hasDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

int runGui(int argc, char *argv[])
{
    // Checked before QApplication exists, which would abort with a platform-plugin error instead.
    if (!hasDisplay()) {
        Switchyard::App::Console::err(QCoreApplication::translate(
            "main", "No display found. To run the gateway without a window: switchyard serve"));
        return 1;
    }
    QApplication app(argc, argv);
    setApplicationNames();
    quietenLogging();
    Switchyard::App::installTranslations();
    Switchyard::App::GuiApplication gui;
    return gui.start() ? QApplication::exec() : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    const QString command = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (command.isEmpty()) {
        return runGui(argc, argv);
    }
    if (command == u"serve"_s && qEnvironmentVariableIsEmpty("QT_NO_GLIB")) {
        // Qt's own event dispatcher costs less per socket event than the GLib one, and the
        // headless gateway has no GLib-based integration to keep.
        qputenv("QT_NO_GLIB", "1");
    }
    QCoreApplication app(argc, argv);
    setApplicationNames();
    quietenLogging();
    Switchyard::App::installTranslations();
    const QStringList arguments = QCoreApplication::arguments();
    using namespace Switchyard::App;
    if (command == u"serve"_s) {
        ServeCommand serve;
        return serve.start(commandArguments(arguments)) ? QCoreApplication::exec() : 1;
    }
    if (command == u"keys"_s) {
        KeysCommand keys;
        return keys.start(commandArguments(arguments)) ? QCoreApplication::exec() : 1;
    }
    if (command == u"usage"_s) {
        return UsageCommand::run(commandArguments(arguments));
    }
    if (command == u"rehearse"_s) {
        return RehearseCommand::run(commandArguments(arguments));
    }
    if (command == u"models"_s) {
        ModelsCommand models;
        return models.start(commandArguments(arguments)) ? QCoreApplication::exec() : 1;
    }
    if (command == u"prices"_s) {
        PricesCommand prices;
        return prices.start(commandArguments(arguments)) ? QCoreApplication::exec() : 1;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        Console::out(u"switchyard "_s + QStringLiteral(SWITCHYARD_VERSION));
        return 0;
    }
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        Console::out(helpText());
        return 0;
    }
    Console::err(helpText());
    return 2;
}
