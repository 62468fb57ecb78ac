#pragma once

#include <QMetaType>
#include <QString>

namespace Switchyard::Config {

// How the local gateway listens and how long it waits on upstreams.
struct GatewaySettings
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 4000;
    qint64 maxBodyBytes = 8 * 1024 * 1024; // largest accepted request body
    int connectTimeoutMs = 10000; // TCP + TLS connect to the upstream
    int firstByteTimeoutMs = 60000; // request sent -> first response byte from the upstream
    int idleTimeoutMs = 120000; // longest silence in the middle of a response stream
    bool autoStart = true;
    // Request and response bodies go to the ledger; off by default, as they hold prompts and answers.
    bool captureBodies = false;

    friend bool operator==(const GatewaySettings &, const GatewaySettings &) = default;
};

} // namespace Switchyard::Config

Q_DECLARE_METATYPE(Switchyard::Config::GatewaySettings)
