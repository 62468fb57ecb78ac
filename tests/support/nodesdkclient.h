#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Switchyard::Testing {

// Runs one of the official-SDK client scripts (tests/integration/sdk/*.cjs) with node and the
// SDKs .ci/install-sdks put in SWITCHYARD_SDK_DIR (default ~/.cache/switchyard/sdk), spinning
// the event loop until it ends. Each script prints one JSON line of what it saw.
class NodeSdkClient
{
public:
    struct Run
    {
        QString missing; // why the script could not run (no node, SDK not installed); empty otherwise
        int exitCode = -1;
        QString errors; // what the script wrote to stderr
        QJsonObject output; // the JSON line it printed
    };

    // `package`: the npm package the script needs, e.g. "openai" or "@anthropic-ai/sdk".
    static Run run(const QString &script, const QString &package, const QStringList &arguments);
    // CI sets SDK_REQUIRED=1: a missing SDK is then a failure, not a skip.
    static bool isRequired();
};

} // namespace Switchyard::Testing
