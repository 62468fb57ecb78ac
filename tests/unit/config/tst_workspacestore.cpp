#include "core/config/workspacecodec.h"
#include "core/config/workspacestore.h"
#include "core/providers/providerpresets.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Config::Workspace;
using Config::WorkspaceStore;

namespace {

Workspace sampleWorkspace()
{
    Workspace workspace;
    workspace.providers = {
        Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"groq"_s), u"groq"_s),
        Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"ollama"_s), u"local"_s),
    };
    workspace.routes = {{u"fast"_s, {{u"groq"_s, u"llama-3.1-8b-instant"_s}, {u"local"_s, u"llama3.1"_s}}}};
    workspace.localKeys = {Config::LocalKey::generate(u"laptop"_s).first};
    workspace.gateway.port = 4123;
    workspace.secretNames = {u"groq"_s};
    return workspace;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestWorkspaceStore : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void defaultPathIsInTheConfigFolder()
    {
        QVERIFY(WorkspaceStore::defaultFilePath().endsWith("/switchyard/workspace.json"_L1));
    }

    void missingFileGivesDefaults()
    {
        const QString path = m_dir->filePath(u"missing/workspace.json"_s);
        WorkspaceStore store(path);
        QSignalSpy changed(&store, &WorkspaceStore::changed);
        const Status loaded = store.load();
        QVERIFY2(loaded.isOk(), qPrintable(loaded.errorMessage()));
        QCOMPARE(store.workspace(), Workspace {});
        QVERIFY(!store.isReadOnly());
        QCOMPARE(changed.count(), 1);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(store.filePath(), path);
    }

    void saveThenLoadInAnotherStore()
    {
        const QString path = m_dir->filePath(u"nested/dir/workspace.json"_s);
        WorkspaceStore store(path);
        QVERIFY(store.load().isOk());
        QSignalSpy changed(&store, &WorkspaceStore::changed);

        const Workspace workspace = sampleWorkspace();
        const Status saved = store.save(workspace);
        QVERIFY2(saved.isOk(), qPrintable(saved.errorMessage()));
        QVERIFY(QFile::exists(path));
        QCOMPARE(
            QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
        QCOMPARE(store.workspace(), workspace);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<Workspace>(), workspace);
        QCOMPARE(readAll(path), Config::WorkspaceCodec::toJson(workspace));

        WorkspaceStore other(path);
        const Status loaded = other.load();
        QVERIFY2(loaded.isOk(), qPrintable(loaded.errorMessage()));
        QCOMPARE(other.workspace(), workspace);
    }

    void reloadPicksUpExternalEdits()
    {
        const QString path = m_dir->filePath(u"workspace.json"_s);
        WorkspaceStore store(path);
        QVERIFY(store.load().isOk());
        QVERIFY(store.save(sampleWorkspace()).isOk());
        QSignalSpy changed(&store, &WorkspaceStore::changed);

        QVERIFY(store.reload().isOk());
        QCOMPARE(changed.count(), 0); // nothing changed on disk

        Workspace edited = sampleWorkspace();
        edited.gateway.port = 5000;
        edited.localKeys = store.workspace().localKeys;
        QVERIFY(writeAll(path, Config::WorkspaceCodec::toJson(edited)));
        QVERIFY(store.reload().isOk());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(store.workspace().gateway.port, quint16(5000));
    }

    void unreadableFilesMakeTheStoreReadOnly_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("reason");
        QTest::newRow("invalid") << R"({"version": 1, "providers": [{"id": "x"}]})"_ba
                                 << u"providers[0].preset: required field is missing"_s;
        QTest::newRow("not json") << "version = 1\n"_ba
                                  << u"The workspace is not valid JSON: illegal value at character 1"_s;
        QTest::newRow("newer version")
            << R"({"version": 7, "providers": "something new"})"_ba
            << u"This workspace was written by a newer Switchyard (format version 7; this build reads up to 2). "
               "Update Switchyard to use it; the file was left unchanged."_s;
    }

    void unreadableFilesMakeTheStoreReadOnly()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, reason);
        const QString path = m_dir->filePath(u"workspace.json"_s);
        QVERIFY(writeAll(path, contents));

        WorkspaceStore store(path);
        QSignalSpy changed(&store, &WorkspaceStore::changed);
        const Status loaded = store.load();
        QCOMPARE(loaded.errorMessage(), u"The workspace file %1 was not loaded: %2"_s.arg(path, reason));
        QVERIFY(store.isReadOnly());
        QCOMPARE(store.workspace(), Workspace {});
        QCOMPARE(changed.count(), 0);

        const Status saved = store.save(sampleWorkspace());
        QCOMPARE(saved.errorMessage(),
            u"Switchyard did not save the workspace, so as not to overwrite %1, which it could not load (%2). "
            "Fix or move that file, then reload."_s.arg(path, loaded.errorMessage()));
        QCOMPARE(readAll(path), contents);
        QCOMPARE(changed.count(), 0);

        // Once the file is fixed outside, a reload makes the store writable again.
        QVERIFY(writeAll(path, R"({"version": 1})"_ba));
        QVERIFY(store.reload().isOk());
        QVERIFY(!store.isReadOnly());
        QVERIFY(store.save(sampleWorkspace()).isOk());
    }

    void invalidWorkspaceIsNotSaved()
    {
        const QString path = m_dir->filePath(u"workspace.json"_s);
        WorkspaceStore store(path);
        QVERIFY(store.load().isOk());
        QVERIFY(store.save(sampleWorkspace()).isOk());
        const QByteArray before = readAll(path);

        Workspace invalid = sampleWorkspace();
        invalid.routes[0].name = u"groq"_s;
        QSignalSpy changed(&store, &WorkspaceStore::changed);
        QCOMPARE(store.save(invalid).errorMessage(),
            u"The workspace was not saved: routes[0].name: \"groq\" is also a provider id; give the route "
            "another name"_s);
        QCOMPARE(readAll(path), before);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(store.workspace().routes.at(0).name, u"fast"_s);
    }

    void saveIntoUnwritableLocationNamesThePath()
    {
        // A regular file where a folder should be: fails for root too, unlike permission bits.
        const QString blocker = m_dir->filePath(u"blocker"_s);
        QVERIFY(writeAll(blocker, "not a folder"_ba));
        const QString path = blocker + u"/workspace.json"_s;

        WorkspaceStore store(path);
        QVERIFY(store.load().isOk());
        const Status saved = store.save(sampleWorkspace());
        QVERIFY(!saved);
        QCOMPARE(saved.errorMessage(),
            u"Could not save the workspace file %1: the folder %2 cannot be created."_s.arg(path, blocker));
        QVERIFY(!store.isReadOnly());
        QCOMPARE(store.workspace(), Workspace {});
    }

    void saveFailureReportsTheSystemError()
    {
        // /proc exists but accepts no new files, whoever runs the test.
        const QString path = u"/proc/workspace.json"_s;
        WorkspaceStore store(path);
        const Status saved = store.save(sampleWorkspace());
        QVERIFY(!saved);
        QVERIFY2(saved.errorMessage().startsWith(u"Could not save the workspace file %1: "_s.arg(path)),
            qPrintable(saved.errorMessage()));
        QVERIFY2(!saved.errorMessage().contains(u"cannot be created"_s), qPrintable(saved.errorMessage()));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestWorkspaceStore)
#include "tst_workspacestore.moc"
