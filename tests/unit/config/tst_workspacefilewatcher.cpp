#include "core/config/localkey.h"
#include "core/config/workspacefilewatcher.h"
#include "core/config/workspacestore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;

class TestWorkspaceFileWatcher : public QObject
{
    Q_OBJECT

private slots:
    void appliesEditsMadeByAnotherProcess()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"config/workspace.json"_s);
        Config::WorkspaceStore serving(path);
        QVERIFY(serving.load());
        Config::WorkspaceFileWatcher watcher(&serving);
        QSignalSpy changed(&serving, &Config::WorkspaceStore::changed);

        // "switchyard keys local create" in another process: another store saves the file.
        Config::WorkspaceStore cli(path);
        QVERIFY(cli.load());
        Config::Workspace edited = cli.workspace();
        edited.localKeys.append(Config::LocalKey::generate(u"laptop"_s).first);
        QVERIFY(cli.save(edited));
        QVERIFY(changed.wait(5000));
        QCOMPARE(serving.workspace().localKeys.size(), 1);
        QCOMPARE(serving.workspace().localKeys.first().name, u"laptop"_s);

        // A second edit to the now existing file is noticed as well.
        edited.localKeys.append(Config::LocalKey::generate(u"ci"_s).first);
        QVERIFY(cli.save(edited));
        QTRY_COMPARE_WITH_TIMEOUT(serving.workspace().localKeys.size(), 2, 5000);
    }

    void keepsTheWorkspaceWhenTheFileBreaks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"workspace.json"_s);
        Config::WorkspaceStore serving(path);
        QVERIFY(serving.load());
        Config::Workspace workspace;
        workspace.localKeys.append(Config::LocalKey::generate(u"laptop"_s).first);
        QVERIFY(serving.save(workspace));
        Config::WorkspaceFileWatcher watcher(&serving);
        QSignalSpy failed(&watcher, &Config::WorkspaceFileWatcher::reloadFailed);

        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{ \"version\": 2, \"providers\": [");
        file.close();
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.first().first().toString().contains(u"previous workspace stays in effect"_s));
        QCOMPARE(serving.workspace().localKeys.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceFileWatcher)
#include "tst_workspacefilewatcher.moc"
