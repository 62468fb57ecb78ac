// The official OpenAI Node SDK as the client of a real gateway (in this process) in front of the
// fake provider speaking each upstream format. Needs node and the SDK installed by
// .ci/install-sdks; skipped without them unless SDK_REQUIRED=1 (CI).
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayfixture.h"
#include "tests/support/nodesdkclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;

class TestOpenAiSdk : public QObject
{
    Q_OBJECT

private slots:
    void sdkCallsWorkThroughTheGateway_data();
    void sdkCallsWorkThroughTheGateway();
};

void TestOpenAiSdk::sdkCallsWorkThroughTheGateway_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::newRow("OpenAI upstream") << u"fake"_s << u"gpt-4o-mini"_s;
    QTest::newRow("Anthropic upstream") << u"claude"_s << u"claude-sonnet-4-5"_s;
    QTest::newRow("Gemini upstream") << u"gem"_s << u"gemini-2.5-flash"_s;
}

void TestOpenAiSdk::sdkCallsWorkThroughTheGateway()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);

    Testing::GatewayFixture fixture;
    const QString problem = fixture.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    Testing::FakeProvider::Script overloaded;
    overloaded.status = 503;
    fixture.provider().setScript(u"first"_s, overloaded);
    // The script's routes lead to the upstream under test.
    const Routing::RouteTarget target {provider, model};
    fixture.workspace().routes
        = {Routing::Route {u"smart"_s, {target}}, Routing::Route {u"pair"_s, {{u"fake"_s, u"first"_s}, target}}};
    fixture.applyWorkspace();

    const auto run = Testing::NodeSdkClient::run(
        QStringLiteral(SWITCHYARD_SDK_SCRIPT), u"openai"_s, {fixture.baseUrl().toString(), fixture.clientKey()});
    if (!run.missing.isEmpty()) {
        if (Testing::NodeSdkClient::isRequired()) {
            QFAIL(qPrintable(run.missing));
        }
        QSKIP(qPrintable(run.missing));
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));

    const QJsonObject &seen = run.output;
    QCOMPARE(seen.value(u"text"_s).toString(), u"Hello from the fake provider."_s);
    QCOMPARE(seen.value(u"usage"_s)[u"prompt_tokens"_s].toInt(), 12);
    QCOMPARE(seen.value(u"streamed"_s).toString(), u"Hello from the fake provider."_s);
    QVERIFY(seen.value(u"streamEvents"_s).toInt() >= 4);
    QCOMPARE(seen.value(u"streamUsage"_s)[u"completion_tokens"_s].toInt(), 8);
    QCOMPARE(seen.value(u"fallbackText"_s).toString(), u"Hello from the fake provider."_s);
    QCOMPARE(seen.value(u"fallbackTarget"_s).toString(), target.toString());
    QCOMPARE(seen.value(u"unknownModel"_s)[u"status"_s].toInt(), 404);
    QCOMPARE(seen.value(u"unknownModel"_s)[u"name"_s].toString(), u"NotFoundError"_s);
    QCOMPARE(seen.value(u"badKey"_s)[u"status"_s].toInt(), 401);
    QVERIFY(seen.value(u"models"_s).toArray().contains(u"smart"_s));

    const auto records = fixture.ledgerRecords();
    // smart, smart (stream), pair (503 then success); the 404 and 401 never reach a provider.
    QCOMPARE(records.size(), 4);
    QCOMPARE(records.at(1).usage.completionTokens, 8);
    QCOMPARE(records.at(2).errorClass, u"http_5xx"_s);
    QCOMPARE(records.at(3).provider, provider);
    QVERIFY(records.at(3).cost.has_value());
}

QTEST_GUILESS_MAIN(TestOpenAiSdk)
#include "tst_openaisdk.moc"
