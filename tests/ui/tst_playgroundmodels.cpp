#include "core/config/workspacestore.h"
#include "ui/models/chattargetsmodel.h"
#include "ui/models/conversationlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Ui::ChatTargetsModel;
using Ui::ConversationListModel;
using Workbench::ConversationSummary;

namespace {

Providers::ProviderProfile provider(const QString &id, const QStringList &models)
{
    Providers::ProviderProfile profile;
    profile.id = id;
    profile.preset = u"openai"_s;
    profile.baseUrl = QUrl(u"http://127.0.0.1:9/v1"_s);
    profile.models = models;
    return profile;
}

QStringList names(const QAbstractItemModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row) {
        list.append(model.index(row, 0).data(ChatTargetsModel::NameRole).toString());
    }
    return list;
}

ConversationSummary summary(const QString &id, int minutesAgo)
{
    return {id, u"Conversation "_s + id, u"smart"_s, QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo), 2};
}

} // namespace

class TestPlaygroundModels : public QObject
{
    Q_OBJECT

private slots:
    void targetsFollowTheWorkspace()
    {
        QTemporaryDir dir;
        Config::WorkspaceStore store(dir.filePath(u"workspace.json"_s));
        QVERIFY(store.load());
        ChatTargetsModel model(&store, false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);

        Config::Workspace workspace;
        workspace.providers = {provider(u"openai"_s, {u"gpt-4o-mini"_s, u"gpt-4o"_s})};
        workspace.routes = {Routing::Route(u"smart"_s, {{u"openai"_s, u"gpt-4o"_s}})};
        QVERIFY(store.save(workspace));
        QCOMPARE(names(model), (QStringList {u"smart"_s, u"openai/gpt-4o-mini"_s, u"openai/gpt-4o"_s}));
        QCOMPARE(model.index(0, 0).data().toString(), u"smart (route)"_s);
        QCOMPARE(model.index(0, 0).data(ChatTargetsModel::KindRole).toInt(), int(Workbench::ChatTarget::Kind::Route));
        QCOMPARE(model.index(1, 0).data().toString(), u"openai/gpt-4o-mini"_s);
        QVERIFY(!model.index(1, 0).data(Qt::CheckStateRole).isValid());
        QVERIFY(!model.setData(model.index(1, 0), Qt::Checked, Qt::CheckStateRole));

        workspace.providers.append(provider(u"groq"_s, {u"llama-3.3-70b"_s}));
        workspace.providers.first().models.removeFirst();
        QVERIFY(store.save(workspace));
        QCOMPARE(names(model), (QStringList {u"smart"_s, u"openai/gpt-4o"_s, u"groq/llama-3.3-70b"_s}));
        QCOMPARE(model.rowOf(u"groq/llama-3.3-70b"_s), 2);
        QCOMPARE(model.rowOf(u"openai/gpt-4o-mini"_s), -1);
    }

    void checkableTargetsAreTickedUpToTheLimit()
    {
        QTemporaryDir dir;
        Config::WorkspaceStore store(dir.filePath(u"workspace.json"_s));
        Config::Workspace workspace;
        workspace.providers = {provider(u"a"_s, {u"m1"_s, u"m2"_s, u"m3"_s, u"m4"_s})};
        QVERIFY(store.save(workspace));
        ChatTargetsModel model(&store, true);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxChecked(3);
        QSignalSpy checkedChanged(&model, &ChatTargetsModel::checkedChanged);
        QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsUserCheckable);

        QVERIFY(model.setData(model.index(3, 0), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.setData(model.index(0, 0), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.setData(model.index(1, 0), Qt::Checked, Qt::CheckStateRole));
        QVERIFY2(!model.setData(model.index(2, 0), Qt::Checked, Qt::CheckStateRole), "a fourth is one too many");
        QCOMPARE(model.checkedNames(), (QStringList {u"a/m1"_s, u"a/m2"_s, u"a/m4"_s}));
        QCOMPARE(model.index(2, 0).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QCOMPARE(checkedChanged.size(), 3);

        QVERIFY(model.setData(model.index(0, 0), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(model.checkedNames(), (QStringList {u"a/m2"_s, u"a/m4"_s}));

        // A target that leaves the workspace leaves the ticks too.
        workspace.providers.first().models.removeLast();
        QVERIFY(store.save(workspace));
        QCOMPARE(model.checkedNames(), (QStringList {u"a/m2"_s}));

        model.setCheckedNames({u"a/m3"_s, u"gone/model"_s, u"a/m1"_s});
        QCOMPARE(model.checkedNames(), (QStringList {u"a/m1"_s, u"a/m3"_s}));
    }

    void conversationsListNewestFirst()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSummaries({summary(u"b"_s, 5), summary(u"a"_s, 10), summary(u"c"_s, 20)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data().toString(), u"Conversation b"_s);
        QCOMPARE(model.index(1).data(ConversationListModel::IdRole).toString(), u"a"_s);
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(u"smart"_s));

        // Saving "c" moves it to the top, updated.
        ConversationSummary saved = summary(u"c"_s, 0);
        saved.title = u"Renamed"_s;
        model.upsert(saved);
        QCOMPARE(model.rowOf(u"c"_s), 0);
        QCOMPARE(model.index(0).data().toString(), u"Renamed"_s);
        QCOMPARE(model.rowOf(u"b"_s), 1);
        QCOMPARE(model.rowOf(u"a"_s), 2);

        // Saving the top one again updates it in place; a new one goes on top.
        saved.messageCount = 4;
        model.upsert(saved);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.summary(0).messageCount, 4);
        model.upsert(summary(u"d"_s, 0));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOf(u"d"_s), 0);
        QCOMPARE(model.rowOf(u"missing"_s), -1);

        model.setSummaries({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestPlaygroundModels)
#include "tst_playgroundmodels.moc"
