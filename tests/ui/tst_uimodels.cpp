#include "core/config/workspacestore.h"
#include "core/ledger/ledger.h"
#include "core/providers/providerpresets.h"
#include "ui/models/ledgerhistoryloader.h"
#include "ui/models/localkeysmodel.h"
#include "ui/models/providersmodel.h"
#include "ui/models/requestfeedmodel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Ledger::UsageRecord;
using Ui::RequestFeedModel;

namespace {

Config::LocalKey localKey(const QString &name)
{
    return Config::LocalKey::generate(name).first;
}

Providers::ProviderProfile provider(const QString &preset, const QString &id)
{
    return Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(preset), id);
}

UsageRecord record(qint64 id, const QString &model = u"gpt-4o-mini"_s)
{
    UsageRecord record;
    record.id = id;
    record.time = QDateTime::fromMSecsSinceEpoch(1'763'700'000'000 + id * 1000, Qt::UTC);
    record.requestId = u"req-"_s + QString::number(id);
    record.keyName = u"laptop"_s;
    record.provider = u"openai"_s;
    record.model = model;
    record.status = 200;
    record.latencyMs = 120;
    record.ttftMs = 45;
    record.usage = Usage {1000, 250, 0, 0, 0, true, {}};
    return record;
}

QList<UsageRecord> records(qint64 firstId, qint64 lastId)
{
    QList<UsageRecord> list;
    for (qint64 id = firstId; id <= lastId; ++id) {
        list.append(record(id));
    }
    return list;
}

QList<qint64> ids(const RequestFeedModel &model)
{
    QList<qint64> list;
    for (int row = 0; row < model.rowCount(); ++row) {
        list.append(model.record(row).id);
    }
    return list;
}

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row) {
        values.append(model.index(row, column).data().toString());
    }
    return values;
}

} // namespace

class TestUiModels : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<Config::WorkspaceStore>(m_dir.filePath(u"workspace-%1.json"_s.arg(++m_counter)));
        QVERIFY(m_store->load());
    }

    void localKeysFollowTheWorkspacePrecisely()
    {
        Ui::LocalKeysModel model(m_store.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(Ui::LocalKeysModel::Column::Count));

        Config::Workspace workspace = m_store->workspace();
        workspace.localKeys = {localKey(u"a"_s), localKey(u"b"_s), localKey(u"c"_s)};
        QVERIFY(m_store->save(workspace));
        QCOMPARE(column(model, 0), (QStringList {u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(
            model.index(1, int(Ui::LocalKeysModel::Column::Hint)).data().toString(), workspace.localKeys.at(1).hint);

        // Removing b and inserting d before c: one removal, one insertion, no reset.
        workspace.localKeys = {workspace.localKeys.at(0), localKey(u"d"_s), workspace.localKeys.at(2)};
        QVERIFY(m_store->save(workspace));
        QCOMPARE(column(model, 0), (QStringList {u"a"_s, u"d"_s, u"c"_s}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 1);

        // Same name, new key: the row changes in place.
        workspace.localKeys[2] = localKey(u"c"_s);
        QVERIFY(m_store->save(workspace));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
        QCOMPARE(reset.count(), 0);

        // A reordering is the one case that resets.
        std::reverse(workspace.localKeys.begin(), workspace.localKeys.end());
        QVERIFY(m_store->save(workspace));
        QCOMPARE(column(model, 0), (QStringList {u"c"_s, u"d"_s, u"a"_s}));
        QCOMPARE(reset.count(), 1);

        workspace.localKeys.clear();
        QVERIFY(m_store->save(workspace));
        QCOMPARE(model.rowCount(), 0);
    }

    void providersShowPresetNamesAndCredentialReferences()
    {
        Config::Workspace workspace = m_store->workspace();
        Providers::ProviderProfile openai = provider(u"openai"_s, u"openai"_s);
        openai.models = {u"gpt-4o"_s, u"gpt-4o-mini"_s};
        openai.credentialRef = u"keychain:openai"_s;
        workspace.providers = {openai, provider(u"ollama"_s, u"local"_s)};
        QVERIFY(m_store->save(workspace));

        Ui::ProvidersModel model(m_store.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        using Column = Ui::ProvidersModel::Column;
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(column(model, int(Column::Id)), (QStringList {u"openai"_s, u"local"_s}));
        QCOMPARE(column(model, int(Column::Preset)), (QStringList {u"OpenAI"_s, u"Ollama"_s}));
        QCOMPARE(column(model, int(Column::BaseUrl)),
            (QStringList {u"https://api.openai.com/v1"_s, u"http://localhost:11434/v1"_s}));
        QCOMPARE(column(model, int(Column::Credential)), (QStringList {u"keychain:openai"_s, u"none"_s}));
        QCOMPARE(column(model, int(Column::Models)), (QStringList {u"2"_s, u"0"_s}));
        QCOMPARE(column(model, int(Column::ErrorRate)), (QStringList {QString(), QString()}));

        // Health arrives later, for the providers the ledger knows; the others show nothing.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const QDateTime success = QDateTime::fromMSecsSinceEpoch(1'763'700'000'000, Qt::UTC);
        model.setHealth({{u"openai"_s, success, 8, 2, 1460}, {u"local"_s, QDateTime(), 0, 0, -1}});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(column(model, int(Column::LastSuccess)),
            (QStringList {QLocale().toString(success.toLocalTime(), QLocale::ShortFormat), u"never"_s}));
        QCOMPARE(column(model, int(Column::ErrorRate)), (QStringList {u"25%"_s, u"–"_s}));
        QCOMPARE(column(model, int(Column::MedianLatency)), (QStringList {u"1.5 s"_s, u"–"_s}));
        QCOMPARE(model.index(0, int(Column::ErrorRate)).data(Qt::ToolTipRole).toString(),
            u"2 of 8 attempts failed in the last 24 hours"_s);
        model.setHealth({{u"openai"_s, success, 3, 0, 95}});
        QCOMPARE(column(model, int(Column::MedianLatency)), (QStringList {u"95 ms"_s, QString()}));

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        workspace.providers.removeFirst();
        workspace.providers.append(provider(u"groq"_s, u"groq"_s));
        QVERIFY(m_store->save(workspace));
        QCOMPARE(column(model, int(Column::Id)), (QStringList {u"local"_s, u"groq"_s}));
        QCOMPARE(removed.count(), 1);
    }

    void feedPrependsNewestFirstAndKeepsItsCapacity()
    {
        RequestFeedModel model(5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        model.prependRecords(records(1, 3));
        QCOMPARE(ids(model), (QList<qint64> {3, 2, 1}));
        QCOMPARE(removed.count(), 0);

        model.prependRecords(records(4, 5));
        QCOMPARE(ids(model), (QList<qint64> {5, 4, 3, 2, 1}));

        model.prependRecords(records(6, 7));
        QCOMPARE(ids(model), (QList<qint64> {7, 6, 5, 4, 3}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 5);
        QCOMPARE(removed.at(0).at(2).toInt(), 6);

        // A batch larger than the capacity leaves only its newest records.
        model.prependRecords(records(8, 20));
        QCOMPARE(ids(model), (QList<qint64> {20, 19, 18, 17, 16}));
        model.prependRecords({});
        QCOMPARE(model.rowCount(), 5);
    }

    void feedHistoryGoesBelowLiveRecordsWithoutDuplicates()
    {
        RequestFeedModel model(5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.prependRecords(records(10, 11));
        QList<UsageRecord> history = records(7, 11);
        std::reverse(history.begin(), history.end());
        model.appendHistory(history);
        QCOMPARE(ids(model), (QList<qint64> {11, 10, 9, 8, 7}));
        model.appendHistory({record(6)});
        QCOMPARE(model.rowCount(), 5);
    }

    void feedFormatsRecords()
    {
        RequestFeedModel model;
        UsageRecord failed = record(1);
        failed.route = u"fast"_s;
        failed.status = 0;
        failed.ttftMs = -1;
        failed.usage = Usage {};
        failed.errorClass = u"connect"_s;
        UsageRecord priced = record(2);
        priced.cost = Money::fromNanoUsd(1'234'000);
        model.prependRecords({failed, priced});

        using Column = RequestFeedModel::Column;
        const auto text = [&model](int row, Column column) { return model.index(row, int(column)).data().toString(); };
        QCOMPARE(text(0, Column::Target), u"openai/gpt-4o-mini"_s);
        QCOMPARE(text(0, Column::Status), u"200"_s);
        QCOMPARE(text(0, Column::TokensIn), QLocale().toString(1000));
        QCOMPARE(text(0, Column::Cost), Money::fromNanoUsd(1'234'000).toString());
        QCOMPARE(text(0, Column::Route), u"–"_s);
        QCOMPARE(text(1, Column::Route), u"fast"_s);
        QCOMPARE(text(1, Column::Cost), u"unknown"_s);
        QCOMPARE(text(1, Column::Status), u"–"_s);
        QCOMPARE(text(1, Column::TimeToFirstToken), u"–"_s);
        QCOMPARE(text(1, Column::TokensOut), u"–"_s);
        QCOMPARE(text(1, Column::Error), u"connect"_s);
    }

    void historyLoaderReadsTheNewestRecordsOffThread()
    {
        const QString path = m_dir.filePath(u"ledger.sqlite"_s);
        {
            Ledger::Ledger ledger(path);
            QVERIFY(ledger.open());
            for (const UsageRecord &r : records(1, 4)) {
                UsageRecord stored = r;
                stored.id = 0;
                ledger.append(stored);
            }
            ledger.close();
        }
        Ui::LedgerHistoryLoader loader;
        QSignalSpy loaded(&loader, &Ui::LedgerHistoryLoader::loaded);
        loader.load(path, 3);
        QVERIFY(loaded.wait());
        const auto newestFirst = loaded.at(0).at(0).value<QList<UsageRecord>>();
        QCOMPARE(newestFirst.size(), 3);
        QCOMPARE(newestFirst.at(0).requestId, u"req-4"_s);
        QCOMPARE(newestFirst.at(2).requestId, u"req-2"_s);
    }

    void historyLoaderTreatsAMissingLedgerAsEmpty()
    {
        Ui::LedgerHistoryLoader loader;
        QSignalSpy loaded(&loader, &Ui::LedgerHistoryLoader::loaded);
        QSignalSpy failed(&loader, &Ui::LedgerHistoryLoader::failed);
        loader.load(m_dir.filePath(u"absent/ledger.sqlite"_s), 10);
        QVERIFY(loaded.wait());
        QVERIFY(loaded.at(0).at(0).value<QList<UsageRecord>>().isEmpty());
        QCOMPARE(failed.count(), 0);
    }

    void historyLoaderReportsAnUnreadableLedger()
    {
        const QString path = m_dir.filePath(u"not-a-ledger.sqlite"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not SQLite");
        file.close();
        Ui::LedgerHistoryLoader loader;
        QSignalSpy failed(&loader, &Ui::LedgerHistoryLoader::failed);
        loader.load(path, 10);
        QVERIFY(failed.wait());
        QVERIFY(!failed.at(0).at(0).toString().isEmpty());
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::unique_ptr<Config::WorkspaceStore> m_store;
};

QTEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
