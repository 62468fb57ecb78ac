#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace Switchyard::Testing {

// A recorded wire fixture from tests/fixtures/<dialect>/<name>; a missing one ends the test run.
inline QByteArray readFixture(const QString &dialect, const QString &name)
{
    QFile file(QStringLiteral(SWITCHYARD_FIXTURES) + u'/' + dialect + u'/' + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("cannot open fixture %s", qPrintable(file.fileName()));
    }
    return file.readAll();
}

} // namespace Switchyard::Testing
