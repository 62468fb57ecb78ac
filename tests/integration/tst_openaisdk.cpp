// The official OpenAI Node SDK as the client of a real gateway (in this process) in front of the
// fake provider. Needs node and the SDK installed by .ci/install-sdks; skipped without them
// unless SDK_REQUIRED=1 (CI).
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;

class TestOpenAiSdk : public QObject
{
    Q_OBJECT

private slots:
    void sdkCallsWorkThroughTheGateway();
};

void TestOpenAiSdk::sdkCallsWorkThroughTheGateway()
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    QString sdkDir = qEnvironmentVariable("SWITCHYARD_SDK_DIR");
    if (sdkDir.isEmpty()) {
        sdkDir = QDir::homePath() + u"/.cache/switchyard/sdk"_s;
    }
    const bool haveSdk = QFile::exists(sdkDir + u"/node_modules/openai/package.json"_s);
    if (node.isEmpty() || !haveSdk) {
        const QString reason = u"node or the OpenAI SDK is missing (run .ci/install-sdks); looked in "_s + sdkDir;
        if (qEnvironmentVariable("SDK_REQUIRED") == u"1"_s) {
            QFAIL(qPrintable(reason));
        }
        QSKIP(qPrintable(reason));
    }

    Testing::GatewayFixture fixture;
    const QString problem = fixture.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    Testing::FakeProvider::Script overloaded;
    overloaded.status = 503;
    fixture.provider().setScript(u"first"_s, overloaded);

    QProcess client;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"NODE_PATH"_s, sdkDir + u"/node_modules"_s);
    client.setProcessEnvironment(environment);
    QSignalSpy finished(&client, &QProcess::finished);
    client.start(node, {QStringLiteral(SWITCHYARD_SDK_SCRIPT), fixture.baseUrl().toString(), fixture.clientKey()});
    QVERIFY(finished.wait(60000));
    const QByteArray errors = client.readAllStandardError();
    QVERIFY2(client.exitCode() == 0, errors.constData());

    const QJsonObject seen = QJsonDocument::fromJson(client.readAllStandardOutput()).object();
    QCOMPARE(seen.value(u"text"_s).toString(), u"Hello from the fake provider."_s);
    QCOMPARE(seen.value(u"usage"_s)[u"prompt_tokens"_s].toInt(), 12);
    QCOMPARE(seen.value(u"streamed"_s).toString(), u"Hello from the fake provider."_s);
    QVERIFY(seen.value(u"streamEvents"_s).toInt() >= 4);
    QCOMPARE(seen.value(u"streamUsage"_s)[u"completion_tokens"_s].toInt(), 8);
    QCOMPARE(seen.value(u"fallbackText"_s).toString(), u"Hello from the fake provider."_s);
    QCOMPARE(seen.value(u"fallbackTarget"_s).toString(), u"fake/gpt-4o-mini"_s);
    QCOMPARE(seen.value(u"unknownModel"_s)[u"status"_s].toInt(), 404);
    QCOMPARE(seen.value(u"unknownModel"_s)[u"name"_s].toString(), u"NotFoundError"_s);
    QCOMPARE(seen.value(u"badKey"_s)[u"status"_s].toInt(), 401);
    QVERIFY(seen.value(u"models"_s).toArray().contains(u"smart"_s));

    const auto records = fixture.ledgerRecords();
    // smart, smart (stream), pair (503 then success); the 404 and 401 never reach a provider.
    QCOMPARE(records.size(), 4);
    QCOMPARE(records.at(2).errorClass, u"http_5xx"_s);
    QVERIFY(records.at(3).cost.has_value());
}

QTEST_GUILESS_MAIN(TestOpenAiSdk)
#include "tst_openaisdk.moc"
