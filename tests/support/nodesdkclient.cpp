#include "tests/support/nodesdkclient.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Switchyard::Testing {

namespace {
constexpr int ScriptTimeoutMs = 60000;
}

NodeSdkClient::Run NodeSdkClient::run(const QString &script, const QString &package, const QStringList &arguments)
{
    Run run;
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    QString sdkDir = qEnvironmentVariable("SWITCHYARD_SDK_DIR");
    if (sdkDir.isEmpty()) {
        sdkDir = QDir::homePath() + u"/.cache/switchyard/sdk"_s;
    }
    if (node.isEmpty() || !QFile::exists(sdkDir + u"/node_modules/"_s + package + u"/package.json"_s)) {
        run.missing = u"node or the %1 SDK is missing (run .ci/install-sdks); looked in %2"_s.arg(package, sdkDir);
        return run;
    }
    QProcess client;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"NODE_PATH"_s, sdkDir + u"/node_modules"_s);
    client.setProcessEnvironment(environment);
    QSignalSpy finished(&client, &QProcess::finished);
    client.start(node, QStringList {script} + arguments);
    if (!finished.wait(ScriptTimeoutMs)) {
        client.kill();
        client.waitForFinished();
    }
    run.exitCode = client.exitStatus() == QProcess::NormalExit ? client.exitCode() : -1;
    run.errors = QString::fromUtf8(client.readAllStandardError());
    run.output = QJsonDocument::fromJson(client.readAllStandardOutput()).object();
    return run;
}

bool NodeSdkClient::isRequired()
{
    return qEnvironmentVariable("SDK_REQUIRED") == u"1"_s;
}

} // namespace Switchyard::Testing
