#pragma once

#include "core/config/workspace.h"
#include "core/ledger/usagerecord.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <memory>

class QTemporaryDir;

namespace Switchyard::Gateway {
class GatewayService;
}
namespace Switchyard::Ledger {
class Ledger;
}

namespace Switchyard::Testing {

class FakeProvider;

// A running gateway wired to a fake provider and a ledger in a temporary folder. Providers:
// "fake" (the FakeProvider in OpenAI format, which requires the upstream key), "claude" and "gem"
// (the same FakeProvider as an Anthropic and a Gemini provider) and "down" (a closed port).
// Routes: smart -> fake/gpt-4o-mini; pair -> fake/first, fake/gpt-4o-mini;
// via-down -> down/gpt-4o, fake/gpt-4o-mini; all-down -> down/gpt-4o, down/gpt-4o-mini.
class GatewayFixture
{
public:
    GatewayFixture();
    ~GatewayFixture();
    Q_DISABLE_COPY_MOVE(GatewayFixture)

    // Empty on success, otherwise what failed.
    QString start();

    FakeProvider &provider() { return *m_provider; }
    Gateway::GatewayService &gateway() { return *m_gateway; }
    Ledger::Ledger &ledger() { return *m_ledger; }
    // Edit, then applyWorkspace().
    Config::Workspace &workspace() { return m_workspace; }
    void applyWorkspace();
    // The plaintext local key clients authenticate with.
    const QString &clientKey() const { return m_clientKey; }
    QUrl baseUrl() const;
    // Every attempt committed so far, oldest first.
    QList<Ledger::UsageRecord> ledgerRecords();

    static constexpr const char *UpstreamKey = "sk-upstream-test";

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeProvider> m_provider;
    std::unique_ptr<Ledger::Ledger> m_ledger;
    std::unique_ptr<Gateway::GatewayService> m_gateway;
    Config::Workspace m_workspace;
    QString m_clientKey;
};

} // namespace Switchyard::Testing
