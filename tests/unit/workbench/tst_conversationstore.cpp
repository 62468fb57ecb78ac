#include "core/workbench/conversationstore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Workbench::Conversation;
using Workbench::ConversationStore;
using Workbench::ConversationSummary;
using Workbench::ExchangeResult;

namespace {

ChatMessage message(const QString &role, const QString &text)
{
    ChatMessage message;
    message.role = role;
    message.text = text;
    return message;
}

// Everything a conversation can hold, so a round trip that drops a field fails.
Conversation fullConversation()
{
    Conversation conversation = Conversation::create();
    conversation.target = u"smart"_s;
    conversation.systemPrompt = u"Answer in one sentence."_s;
    conversation.parameters.temperature = 0.3;
    conversation.parameters.topP = 0.95;
    conversation.parameters.maxTokens = 512;

    ChatMessage question = message(u"user"_s, u"What is in this picture?"_s);
    question.contentParts = {QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, question.text}},
        QJsonObject {{u"type"_s, u"image_url"_s},
            {u"image_url"_s, QJsonObject {{u"url"_s, u"data:image/png;base64,iVBORw0KGgo="_s}}}}};
    conversation.entries.append({question, std::nullopt});

    ChatMessage answer = message(u"assistant"_s, u"A **red** bicycle."_s);
    answer.reasoning = u"Looking at the colours."_s;
    ExchangeResult result;
    result.outcome = ExchangeResult::Outcome::Completed;
    result.target = u"smart"_s;
    result.servedTarget = u"openai/gpt-4o-mini"_s;
    result.route = u"smart"_s;
    result.attempts = 2;
    result.httpStatus = 200;
    result.requestId = u"req-1"_s;
    result.ttftMs = 240;
    result.totalMs = 1310;
    result.usage = Usage {1200, 80, 1024, 0, 16, true, {}};
    result.cost = Money::fromNanoUsd(123'456);
    result.finishReason = u"stop"_s;
    conversation.entries.append({answer, result});

    ExchangeResult failed;
    failed.outcome = ExchangeResult::Outcome::Failed;
    failed.target = u"smart"_s;
    failed.httpStatus = 429;
    failed.errorMessage = u"Budget \"daily\" is spent."_s;
    conversation.entries.append({message(u"user"_s, u"And the colour of the frame?"_s), std::nullopt});
    conversation.entries.append({message(u"assistant"_s, QString()), failed});
    conversation.updatedAt = conversation.createdAt.addSecs(90);
    return conversation;
}

} // namespace

class TestConversationStore : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void jsonRoundTripKeepsEverything()
    {
        const Conversation conversation = fullConversation();
        auto decoded = Conversation::fromJson(conversation.toJson());
        QVERIFY2(decoded, qPrintable(decoded.errorMessage()));
        decoded->id = conversation.id; // the id is the file name, not part of the content
        QCOMPARE(decoded.value(), conversation);
    }

    void nextRequestLeavesOutEmptyAnswersAndReasoning()
    {
        const ChatRequest request = fullConversation().nextRequest();
        QCOMPARE(request.model, u"smart"_s);
        QCOMPARE(request.temperature.value_or(-1), 0.3);
        QCOMPARE(request.topP.value_or(-1), 0.95);
        QCOMPARE(request.maxTokens.value_or(-1), 512);
        QStringList roles;
        for (const ChatMessage &message : request.messages) {
            roles.append(message.role);
            QVERIFY(message.reasoning.isEmpty());
        }
        QCOMPARE(roles, (QStringList {u"system"_s, u"user"_s, u"assistant"_s, u"user"_s}));
        QVERIFY(request.messages.at(1).hasParts());
    }

    void titleComesFromTheFirstQuestion()
    {
        Conversation conversation = Conversation::create();
        QCOMPARE(conversation.displayTitle(), u"New conversation"_s);
        conversation.entries.append(
            {message(u"user"_s, u"  Explain\nthe difference between TTFT and latency in one paragraph, please"_s), {}});
        QVERIFY(conversation.displayTitle().startsWith(u"Explain the difference"_s));
        QVERIFY(conversation.displayTitle().endsWith(u"…"_s));
        QVERIFY(conversation.displayTitle().size() <= 48);
        conversation.title = u"TTFT"_s;
        QCOMPARE(conversation.displayTitle(), u"TTFT"_s);
    }

    void savedConversationsAreListedAndReopened()
    {
        ConversationStore store(m_dir->filePath(u"conversations"_s));
        QSignalSpy listed(&store, &ConversationStore::listed);
        store.list();
        QVERIFY(listed.wait());
        QVERIFY(listed.first().at(0).value<QList<ConversationSummary>>().isEmpty());
        QVERIFY(listed.first().at(1).toStringList().isEmpty());

        Conversation older = fullConversation();
        older.updatedAt = older.updatedAt.addDays(-1);
        const Conversation newer = fullConversation();
        QSignalSpy saved(&store, &ConversationStore::saved);
        QSignalSpy saveFailed(&store, &ConversationStore::saveFailed);
        store.save(older);
        store.save(newer);
        QTRY_COMPARE(saved.size(), 2);
        QCOMPARE(saveFailed.size(), 0);
        const auto summary = saved.first().first().value<ConversationSummary>();
        QCOMPARE(summary.id, older.id);
        QCOMPARE(summary.title, u"What is in this picture?"_s);
        QCOMPARE(summary.messageCount, 4);
        QCOMPARE(summary.target, u"smart"_s);
        QVERIFY(QFile::exists(QDir(store.directory()).filePath(older.id + u".json"_s)));

        store.list();
        QVERIFY(listed.wait());
        const auto summaries = listed.last().at(0).value<QList<ConversationSummary>>();
        QCOMPARE(summaries.size(), 2);
        QCOMPARE(summaries.at(0).id, newer.id); // newest first
        QCOMPARE(summaries.at(1).id, older.id);

        QSignalSpy opened(&store, &ConversationStore::opened);
        store.open(older.id);
        QVERIFY(opened.wait());
        QCOMPARE(opened.first().first().value<Conversation>(), older);

        // Saving again replaces the file.
        Conversation renamed = older;
        renamed.title = u"Bicycles"_s;
        store.save(renamed);
        QTRY_COMPARE(saved.size(), 3);
        store.open(older.id);
        QVERIFY(opened.wait());
        QCOMPARE(opened.last().first().value<Conversation>().title, u"Bicycles"_s);
    }

    void unreadableFilesAreReportedAndLeftAlone_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");

        QTest::newRow("not json") << "{\"format\": 1, \"entries\": ["_ba << u"not valid JSON"_s;
        QTest::newRow("bad role")
            << R"({"format":1,"createdAt":"2025-11-20T10:00:00.000Z","updatedAt":"2025-11-20T10:00:00.000Z","entries":[{"role":"robot","text":"beep"}]})"_ba
            << u"entries[0].role: \"robot\" is not user or assistant"_s;
        QTest::newRow("bad date")
            << R"({"format":1,"createdAt":"yesterday","updatedAt":"2025-11-20T10:00:00.000Z","entries":[]})"_ba
            << u"createdAt: \"yesterday\" is not"_s;
        QTest::newRow("newer format") << R"({"format":7,"entries":[],"future":true})"_ba
                                      << u"newer version of Switchyard (format 7"_s;
    }

    void unreadableFilesAreReportedAndLeftAlone()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        ConversationStore store(m_dir->path());
        QSignalSpy saved(&store, &ConversationStore::saved);
        const Conversation good = fullConversation();
        store.save(good);
        QVERIFY(saved.wait());

        const QString badPath = m_dir->filePath(u"0bad-file.json"_s);
        QFile bad(badPath);
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(content);
        bad.close();

        QSignalSpy listed(&store, &ConversationStore::listed);
        store.list();
        QVERIFY(listed.wait());
        const auto summaries = listed.first().at(0).value<QList<ConversationSummary>>();
        QCOMPARE(summaries.size(), 1);
        QCOMPARE(summaries.first().id, good.id);
        const QStringList problems = listed.first().at(1).toStringList();
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(reason), qPrintable(problems.first()));
        QVERIFY2(problems.first().contains(u"0bad-file.json"_s), qPrintable(problems.first()));

        QSignalSpy openFailed(&store, &ConversationStore::openFailed);
        store.open(u"0bad-file"_s);
        QVERIFY(openFailed.wait());
        QCOMPARE(openFailed.first().at(0).toString(), u"0bad-file"_s);
        QVERIFY(openFailed.first().at(1).toString().contains(reason));

        QVERIFY(bad.open(QIODevice::ReadOnly));
        QCOMPARE(bad.readAll(), content);
    }

    void invalidNamesAndUnwritableFoldersFail()
    {
        const QString blocker = m_dir->filePath(u"file-not-folder"_s);
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        ConversationStore store(blocker + u"/conversations"_s);
        QSignalSpy saveFailed(&store, &ConversationStore::saveFailed);
        store.save(fullConversation());
        QVERIFY(saveFailed.wait());
        QVERIFY(saveFailed.first().at(1).toString().contains(u"not saved"_s));

        Conversation badId = fullConversation();
        badId.id = u"../escape"_s;
        store.save(badId);
        QVERIFY(saveFailed.wait());
        QCOMPARE(saveFailed.last().at(0).toString(), u"../escape"_s);

        QSignalSpy openFailed(&store, &ConversationStore::openFailed);
        store.open(u"missing"_s);
        QVERIFY(openFailed.wait());
    }

    void pendingSavesFinishBeforeTheStoreGoes()
    {
        const Conversation conversation = fullConversation();
        {
            ConversationStore store(m_dir->path());
            store.save(conversation);
        }
        QVERIFY(QFile::exists(m_dir->filePath(conversation.id + u".json"_s)));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversationstore.moc"
