#include "app/apptranslations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

void installTranslations()
{
    const QLocale locale;
    const auto load = [&locale](const QString &name, const QString &folder) {
        auto *translator = new QTranslator(QCoreApplication::instance());
        if (translator->load(locale, name, u"_"_s, folder)) {
            QCoreApplication::installTranslator(translator);
        } else {
            delete translator;
        }
    };
    load(u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    load(u"qtkeychain"_s, u"/usr/share/qt6keychain/translations"_s);
    // Falls back to switchyard_en, which carries the English plural forms.
    auto *own = new QTranslator(QCoreApplication::instance());
    if (own->load(locale, u"switchyard"_s, u"_"_s, u":/i18n"_s) || own->load(u":/i18n/switchyard_en"_s)) {
        QCoreApplication::installTranslator(own);
    } else {
        delete own;
    }
}

} // namespace Switchyard::App
