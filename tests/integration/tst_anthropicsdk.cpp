// The official Anthropic Node SDK as the client of a real gateway's /v1/messages in front of the
// fake provider speaking each upstream format. Needs node and the SDK installed by
// .ci/install-sdks; skipped without them unless SDK_REQUIRED=1 (CI).
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayfixture.h"
#include "tests/support/nodesdkclient.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;

class TestAnthropicSdk : public QObject
{
    Q_OBJECT

private slots:
    void sdkCallsWorkThroughTheGateway_data();
    void sdkCallsWorkThroughTheGateway();
};

void TestAnthropicSdk::sdkCallsWorkThroughTheGateway_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("exactCount");
    QTest::newRow("OpenAI upstream") << u"fake"_s << u"gpt-4o-mini"_s << false;
    QTest::newRow("Anthropic upstream") << u"claude"_s << u"claude-sonnet-4-5"_s << true;
    QTest::newRow("Gemini upstream") << u"gem"_s << u"gemini-2.5-flash"_s << false;
}

void TestAnthropicSdk::sdkCallsWorkThroughTheGateway()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(bool, exactCount);

    Testing::GatewayFixture fixture;
    const QString problem = fixture.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    Testing::FakeProvider::Script tool;
    tool.toolCall = Testing::FakeProvider::ToolCall {u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}};
    fixture.provider().setScript(u"tool-model"_s, tool);
    fixture.workspace().routes = {
        Routing::Route {u"smart"_s, {{provider, model}}}, Routing::Route {u"tools"_s, {{provider, u"tool-model"_s}}}};
    fixture.applyWorkspace();

    // The SDK appends /v1/messages itself.
    const QString baseUrl = u"http://127.0.0.1:%1"_s.arg(fixture.baseUrl().port());
    const auto run = Testing::NodeSdkClient::run(QStringLiteral(SWITCHYARD_ANTHROPIC_SDK_SCRIPT),
        u"@anthropic-ai/sdk"_s, {baseUrl, fixture.clientKey(), u"smart"_s, u"tools"_s});
    if (!run.missing.isEmpty()) {
        if (Testing::NodeSdkClient::isRequired()) {
            QFAIL(qPrintable(run.missing));
        }
        QSKIP(qPrintable(run.missing));
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));

    const QJsonObject &seen = run.output;
    const Testing::FakeProvider::Script script;
    QCOMPARE(seen.value(u"text"_s).toString(), script.answer);
    QCOMPARE(seen.value(u"stopReason"_s).toString(), u"end_turn"_s);
    QCOMPARE(seen.value(u"usage"_s)[u"input_tokens"_s].toInt(), 8); // 12 prompt tokens, 4 of them cached
    QCOMPARE(seen.value(u"usage"_s)[u"cache_read_input_tokens"_s].toInt(), 4);
    QCOMPARE(seen.value(u"usage"_s)[u"output_tokens"_s].toInt(), 8);
    QCOMPARE(seen.value(u"streamed"_s).toString(), script.answer);
    QCOMPARE(seen.value(u"streamFinalText"_s).toString(), script.answer);
    QCOMPARE(seen.value(u"streamStopReason"_s).toString(), u"end_turn"_s);
    QCOMPARE(seen.value(u"streamUsage"_s)[u"output_tokens"_s].toInt(), 8);
    QCOMPARE(seen.value(u"tool"_s)[u"stopReason"_s].toString(), u"tool_use"_s);
    QCOMPARE(seen.value(u"tool"_s)[u"name"_s].toString(), u"get_weather"_s);
    QCOMPARE(seen.value(u"tool"_s)[u"input"_s].toObject(), tool.toolCall->arguments);
    if (exactCount) {
        QCOMPARE(seen.value(u"inputTokens"_s).toInt(), 12); // the provider's own count
    } else {
        QVERIFY(seen.value(u"inputTokens"_s).toInt() > 0);
    }
    QCOMPARE(seen.value(u"badKey"_s)[u"status"_s].toInt(), 401);
    QCOMPARE(seen.value(u"badKey"_s)[u"name"_s].toString(), u"AuthenticationError"_s);

    const auto records = fixture.ledgerRecords();
    QCOMPARE(records.size(), 3); // plain, stream, tool call; count_tokens and the bad key are not recorded
    for (const Ledger::UsageRecord &record : records) {
        QCOMPARE(record.provider, provider);
        QVERIFY2(record.errorClass.isEmpty(), qPrintable(record.errorClass));
        QCOMPARE(record.usage.promptTokens, 12);
    }
}

QTEST_GUILESS_MAIN(TestAnthropicSdk)
#include "tst_anthropicsdk.moc"
