#include "app/usagecommand.h"

#include "app/apppaths.h"
#include "app/console.h"
#include "core/ledger/ledgerreader.h"
#include "core/ledger/usagereport.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::App::UsageCommand)
};
} // namespace

int UsageCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("Reports spend and usage from the ledger."));
    parser.addHelpOption();
    const QCommandLineOption sinceOption(u"since"_s, Tr::tr("Only records from this date (YYYY-MM-DD) or time (ISO 8601)."),
                                         Tr::tr("DATE"));
    const QCommandLineOption byOption(u"by"_s, Tr::tr("Group by provider, model, route or key (default provider)."),
                                      Tr::tr("GROUP"), u"provider"_s);
    const QCommandLineOption formatOption(u"format"_s, Tr::tr("table, csv or json (default table)."), Tr::tr("FORMAT"),
                                          u"table"_s);
    const QCommandLineOption dataDirOption(u"data-dir"_s, Tr::tr("Folder of the usage ledger."), Tr::tr("DIR"));
    parser.addOptions({sinceOption, byOption, formatOption, dataDirOption});
    if (!parser.parse(arguments)) {
        Console::err(parser.errorText());
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        Console::out(parser.helpText());
        return 0;
    }
    const auto grouping = Ledger::UsageReport::parseGrouping(parser.value(byOption));
    const auto format = Ledger::UsageReport::parseFormat(parser.value(formatOption));
    const auto since = parser.isSet(sinceOption) ? Ledger::UsageReport::parseSince(parser.value(sinceOption))
                                                  : Result<QDateTime>(QDateTime());
    for (const QString &problem : {grouping.errorMessage(), format.errorMessage(), since.errorMessage()}) {
        if (!problem.isEmpty()) {
            Console::err(problem);
            return 2;
        }
    }
    AppPaths paths = AppPaths::defaults();
    if (parser.isSet(dataDirOption)) {
        paths.dataDir = parser.value(dataDirOption);
    }
    const auto reader = Ledger::LedgerReader::open(paths.ledgerFile());
    if (!reader) {
        Console::err(reader.errorMessage());
        return 1;
    }
    const auto rows = reader->spend(grouping.value(), since.value());
    if (!rows) {
        Console::err(rows.errorMessage());
        return 1;
    }
    QTextStream(stdout) << Ledger::UsageReport::format(rows.value(), grouping.value(), format.value());
    return 0;
}

} // namespace Switchyard::App
