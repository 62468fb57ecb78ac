// ChatExchange against the real gateway over loopback: the fixture's gateway in front of the fake
// provider, and a GatewayRuntime for the window's own in-memory key.
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/pricing/pricecatalog.h"
#include "core/secrets/keychain.h"
#include "core/workbench/chatexchange.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayfixture.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeProvider;
using Workbench::ChatExchange;
using Workbench::ExchangeResult;
using Workbench::GatewayAccess;

Q_DECLARE_METATYPE(Switchyard::Testing::FakeProvider::Script)

namespace {

ChatRequest question(const QString &target, const QString &text = u"Hello?"_s)
{
    ChatMessage message;
    message.role = u"user"_s;
    message.text = text;
    ChatRequest request;
    request.model = target;
    request.messages = {message};
    return request;
}

ExchangeResult resultOf(const QSignalSpy &finished)
{
    return finished.first().first().value<ExchangeResult>();
}

Money catalogCost(const QString &model, const Usage &usage)
{
    const auto catalog = Pricing::PriceCatalog::loadBundled();
    return Pricing::PriceCatalog::cost(*catalog->find(QString(), model), usage);
}

} // namespace

class TestChatExchange : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_fixture = std::make_unique<Testing::GatewayFixture>();
        QCOMPARE(m_fixture->start(), QString());
    }

    void cleanup() { m_fixture.reset(); }

    void streamsTheAnswerWithTimingTokensAndCost_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("served");
        QTest::addColumn<QString>("route");
        QTest::addColumn<int>("attempts");

        QTest::newRow("route") << u"smart"_s << u"fake/gpt-4o-mini"_s << u"smart"_s << 1;
        QTest::newRow("provider/model") << u"fake/gpt-4o-mini"_s << u"fake/gpt-4o-mini"_s << QString() << 1;
        QTest::newRow("after a fallback") << u"via-down"_s << u"fake/gpt-4o-mini"_s << u"via-down"_s << 2;
    }

    void streamsTheAnswerWithTimingTokensAndCost()
    {
        QFETCH(QString, target);
        QFETCH(QString, served);
        QFETCH(QString, route);
        QFETCH(int, attempts);
        FakeProvider::Script script;
        script.answer = u"Four **parts** of a streamed answer."_s;
        script.chunks = 4;
        script.reasoning = u"Thinking it over."_s;
        m_fixture->provider().setScript(u"gpt-4o-mini"_s, script);

        ChatExchange exchange;
        QSignalSpy deltas(&exchange, &ChatExchange::textDelta);
        QSignalSpy reasoning(&exchange, &ChatExchange::reasoningDelta);
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        exchange.start(access(), question(target));
        QVERIFY(exchange.isRunning());
        QVERIFY(finished.wait());
        QCOMPARE(finished.size(), 1);
        QVERIFY(!exchange.isRunning());

        const ExchangeResult result = resultOf(finished);
        QVERIFY2(result.isCompleted(), qPrintable(result.errorMessage));
        QCOMPARE(deltas.size(), 4);
        QString streamed;
        for (const QList<QVariant> &delta : deltas) {
            streamed += delta.first().toString();
        }
        QCOMPARE(streamed, script.answer);
        QCOMPARE(exchange.text(), script.answer);
        QCOMPARE(reasoning.size(), 1);
        QCOMPARE(exchange.reasoning(), script.reasoning);

        QCOMPARE(result.target, target);
        QCOMPARE(result.servedTarget, served);
        QCOMPARE(result.route, route);
        QCOMPARE(result.attempts, attempts);
        QCOMPARE(result.httpStatus, 200);
        QCOMPARE(result.finishReason, u"stop"_s);
        QCOMPARE(result.usage, script.usage);
        QVERIFY(result.ttftMs >= 0);
        QVERIFY(result.totalMs >= result.ttftMs);
        QVERIFY(result.cost.has_value());
        QCOMPARE(*result.cost, catalogCost(u"gpt-4o-mini"_s, script.usage));
        QVERIFY(result.errorMessage.isEmpty());

        // The same request, as the ledger recorded it.
        const QList<Ledger::UsageRecord> records = m_fixture->ledgerRecords();
        QCOMPARE(records.size(), attempts);
        QCOMPARE(records.last().requestId, result.requestId);
        QCOMPARE(records.last().cost, result.cost);
    }

    void unknownPriceStaysUnknown()
    {
        ChatExchange exchange;
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        exchange.start(access(), question(u"fake/house-model-without-a-price"_s));
        QVERIFY(finished.wait());
        const ExchangeResult result = resultOf(finished);
        QVERIFY2(result.isCompleted(), qPrintable(result.errorMessage));
        QVERIFY(result.usage.isReported);
        QVERIFY(!result.cost.has_value());
        QVERIFY(result.tokensPerSecond().has_value() || result.totalMs == result.ttftMs);
    }

    void failureReportsTheGatewaysMessage_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<FakeProvider::Script>("script");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("streamed");

        FakeProvider::Script badRequest;
        badRequest.status = 400;
        badRequest.errorBody
            = R"({"error":{"message":"Images are not supported by this model.","type":"invalid_request_error"}})"_ba;
        QTest::newRow("provider refuses")
            << u"fake/text-only"_s << badRequest << u"Images are not supported by this model."_s << QString();
        QTest::newRow("unknown model") << u"no-such-route"_s << FakeProvider::Script() << u"no-such-route"_s
                                       << QString();
        FakeProvider::Script brokenStream;
        brokenStream.answer = u"one two three four"_s;
        brokenStream.chunks = 4;
        brokenStream.streamErrorAfterChunks = 2;
        QTest::newRow("error in the stream")
            << u"fake/flaky"_s << brokenStream << u"The server had an error while processing your request."_s
            << u"one two th"_s; // four events of five characters
    }

    void failureReportsTheGatewaysMessage()
    {
        QFETCH(QString, target);
        QFETCH(FakeProvider::Script, script);
        QFETCH(QString, message);
        QFETCH(QString, streamed);
        m_fixture->provider().setDefaultScript(script);

        ChatExchange exchange;
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        exchange.start(access(), question(target));
        QVERIFY(finished.wait());
        const ExchangeResult result = resultOf(finished);
        QCOMPARE(result.outcome, ExchangeResult::Outcome::Failed);
        QVERIFY2(result.errorMessage.contains(message), qPrintable(result.errorMessage));
        QCOMPARE(exchange.text(), streamed);
    }

    void everyTargetDownNamesTheLastOne()
    {
        ChatExchange exchange;
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        exchange.start(access(), question(u"all-down"_s));
        QVERIFY(finished.wait());
        const ExchangeResult result = resultOf(finished);
        QCOMPARE(result.outcome, ExchangeResult::Outcome::Failed);
        QVERIFY(result.httpStatus >= 500);
        QVERIFY(!result.errorMessage.isEmpty());
        QCOMPARE(result.attempts, 2);
        QCOMPARE(result.servedTarget, u"down/gpt-4o-mini"_s);
        QVERIFY(!result.cost.has_value());
    }

    void cancelStopsTheAnswer()
    {
        FakeProvider::Script slow;
        slow.answer = u"This answer takes a long while to arrive, word by word."_s;
        slow.chunks = 10;
        slow.chunkDelayMs = 300;
        m_fixture->provider().setScript(u"gpt-4o-mini"_s, slow);
        QSignalSpy streamFinished(&m_fixture->provider(), &FakeProvider::streamFinished);

        ChatExchange exchange;
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        connect(&exchange, &ChatExchange::textDelta, &exchange, [&exchange] { exchange.cancel(); });
        exchange.start(access(), question(u"smart"_s));
        QVERIFY(finished.wait());
        const ExchangeResult result = resultOf(finished);
        QCOMPARE(result.outcome, ExchangeResult::Outcome::Cancelled);
        QVERIFY(result.errorMessage.isEmpty());
        QVERIFY(!exchange.text().isEmpty());
        QVERIFY(exchange.text().size() < slow.answer.size());
        QCOMPARE(result.servedTarget, u"fake/gpt-4o-mini"_s);

        // The gateway saw the client leave and let go of the upstream stream.
        QTRY_COMPARE(m_fixture->provider().openStreams(), 0);
        QCOMPARE(streamFinished.size(), 0);
        QTRY_VERIFY(!m_fixture->ledgerRecords().isEmpty());
        QCOMPARE(m_fixture->ledgerRecords().constLast().errorClass, u"client_closed"_s);

        exchange.cancel();
        QCOMPARE(finished.size(), 1);
    }

    void withoutAGatewayItFailsWithAMessage_data()
    {
        QTest::addColumn<bool>("running");
        QTest::newRow("stopped") << false;
        QTest::newRow("nobody listening") << true;
    }

    void withoutAGatewayItFailsWithAMessage()
    {
        QFETCH(bool, running);
        GatewayAccess unreachable;
        if (running) {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost, 0));
            unreachable.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(server.serverPort()));
            unreachable.key = u"sy-anything"_s;
        }
        ChatExchange exchange;
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        exchange.start(unreachable, question(u"smart"_s));
        QCOMPARE(finished.size(), 0); // reported after start() returned
        QVERIFY(finished.wait());
        const ExchangeResult result = resultOf(finished);
        QCOMPARE(result.outcome, ExchangeResult::Outcome::Failed);
        QCOMPARE(result.httpStatus, 0);
        QVERIFY(!result.errorMessage.isEmpty());
    }

    // The window's requests carry the runtime's in-memory key: the ledger names them "workbench",
    // and the key reaches neither the workspace nor its file.
    void runtimeServesTheWorkbenchKeyWithoutSavingIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        qputenv("SWITCHYARD_TEST_WORKBENCH_UPSTREAM_KEY", Testing::GatewayFixture::UpstreamKey);
        Config::WorkspaceStore store(dir.filePath(u"workspace.json"_s));
        Config::Workspace workspace;
        Providers::ProviderProfile fake;
        fake.id = u"fake"_s;
        fake.preset = u"openai"_s;
        fake.baseUrl = m_fixture->provider().baseUrl();
        fake.credentialRef = u"env:SWITCHYARD_TEST_WORKBENCH_UPSTREAM_KEY"_s;
        workspace.providers = {fake};
        QVERIFY(store.save(workspace));
        Ledger::Ledger ledger(dir.filePath(u"ledger.sqlite"_s));
        QVERIFY(ledger.open());
        Secrets::Keychain keychain(u"switchyard-test-workbench"_s);
        const auto catalog = Pricing::PriceCatalog::loadBundled();
        Gateway::GatewayRuntime runtime(&store, &ledger, catalog.value(), &keychain);
        runtime.refreshCredentials();
        QTRY_VERIFY(runtime.isReady());
        QVERIFY(runtime.gateway()->start(u"127.0.0.1"_s, 0));
        QVERIFY(runtime.workbenchKey().startsWith(u"sy-"_s));

        const GatewayAccess access = GatewayAccess::of(runtime);
        QVERIFY(access.isValid());
        QCOMPARE(access.key, runtime.workbenchKey());
        ChatExchange exchange;
        QSignalSpy finished(&exchange, &ChatExchange::finished);
        exchange.start(access, question(u"fake/gpt-4o-mini"_s));
        QVERIFY(finished.wait());
        const ExchangeResult result = resultOf(finished);
        QVERIFY2(result.isCompleted(), qPrintable(result.errorMessage));

        ledger.flush();
        auto reader = Ledger::LedgerReader::open(ledger.databasePath());
        QVERIFY(reader);
        const auto records = reader->recent(10);
        QVERIFY(records);
        QCOMPARE(records->size(), 1);
        QCOMPARE(records->first().keyName, u"workbench"_s);
        QCOMPARE(records->first().requestId, result.requestId);

        // The in-memory key is no key a client can have: one still learns that none exist yet.
        GatewayAccess stranger = access;
        stranger.key = u"sy-guessed"_s;
        ChatExchange refused;
        QSignalSpy refusedFinished(&refused, &ChatExchange::finished);
        refused.start(stranger, question(u"fake/gpt-4o-mini"_s));
        QVERIFY(refusedFinished.wait());
        QCOMPARE(resultOf(refusedFinished).httpStatus, 401);
        QVERIFY2(resultOf(refusedFinished).errorMessage.contains(u"No local API keys exist yet"_s),
            qPrintable(resultOf(refusedFinished).errorMessage));

        QVERIFY(store.workspace().localKeys.isEmpty());
        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(!saved.contains("workbench"));
        QVERIFY(!saved.contains(runtime.workbenchKey().toUtf8()));

        // A workspace change rebuilds the tables: the key keeps working.
        workspace.routes = {Routing::Route(u"fast"_s, {{u"fake"_s, u"gpt-4o-mini"_s}})};
        QVERIFY(store.save(workspace));
        QTRY_VERIFY(runtime.gateway()->tables()->planner().routes().size() == 1);
        ChatExchange again;
        QSignalSpy againFinished(&again, &ChatExchange::finished);
        again.start(GatewayAccess::of(runtime), question(u"fast"_s));
        QVERIFY(againFinished.wait());
        QVERIFY2(resultOf(againFinished).isCompleted(), qPrintable(resultOf(againFinished).errorMessage));

        runtime.gateway()->stop();
        QVERIFY(!GatewayAccess::of(runtime).isValid());
        ledger.close();
    }

private:
    GatewayAccess access() const
    {
        GatewayAccess access;
        access.baseUrl = m_fixture->baseUrl();
        access.key = m_fixture->clientKey();
        access.tables = m_fixture->gateway().tables();
        return access;
    }

    std::unique_ptr<Testing::GatewayFixture> m_fixture;
};

QTEST_GUILESS_MAIN(TestChatExchange)
#include "tst_chatexchange.moc"
