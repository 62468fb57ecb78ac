#include "tests/support/gatewayfixture.h"

#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/pricing/pricecatalog.h"
#include "tests/support/fakeprovider.h"

#include <QTcpServer>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace Switchyard::Testing {

namespace {
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort(); // closed again when `server` goes away
}
} // namespace

GatewayFixture::GatewayFixture() = default;

GatewayFixture::~GatewayFixture()
{
    // The gateway refers to the ledger and the provider's sockets: it goes first.
    m_gateway.reset();
    m_ledger.reset();
    m_provider.reset();
}

QString GatewayFixture::start()
{
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        return u"no temporary folder"_s;
    }
    m_provider = std::make_unique<FakeProvider>();
    if (!m_provider->start()) {
        return u"the fake provider cannot listen"_s;
    }
    m_provider->setRequiredKey(QByteArray(UpstreamKey));
    m_ledger = std::make_unique<Ledger::Ledger>(m_dir->filePath(u"ledger.sqlite"_s));
    if (Status opened = m_ledger->open(); !opened) {
        return opened.errorMessage();
    }

    Providers::ProviderProfile fake;
    fake.id = u"fake"_s;
    fake.preset = u"openai"_s;
    fake.baseUrl = m_provider->baseUrl();
    fake.credentialRef = u"keychain:fake"_s;
    fake.models = {u"gpt-4o-mini"_s, u"gpt-4o"_s};
    Providers::ProviderProfile down = fake;
    down.id = u"down"_s;
    down.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(closedPort()));
    down.models.clear();
    Providers::ProviderProfile claude = fake;
    claude.id = u"claude"_s;
    claude.preset = u"anthropic"_s;
    claude.models = {u"claude-sonnet-4-5"_s};
    Providers::ProviderProfile gem = fake;
    gem.id = u"gem"_s;
    gem.preset = u"gemini"_s;
    gem.baseUrl = m_provider->geminiBaseUrl();
    gem.models = {u"gemini-2.5-flash"_s};
    m_workspace.providers = {fake, down, claude, gem};
    m_workspace.routes = {Routing::Route{u"smart"_s, {{u"fake"_s, u"gpt-4o-mini"_s}}},
                          Routing::Route{u"pair"_s, {{u"fake"_s, u"first"_s}, {u"fake"_s, u"gpt-4o-mini"_s}}},
                          Routing::Route{u"via-down"_s, {{u"down"_s, u"gpt-4o"_s}, {u"fake"_s, u"gpt-4o-mini"_s}}},
                          Routing::Route{u"all-down"_s, {{u"down"_s, u"gpt-4o"_s}, {u"down"_s, u"gpt-4o-mini"_s}}}};
    auto [key, plaintext] = Config::LocalKey::generate(u"tests"_s);
    m_workspace.localKeys = {key};
    m_clientKey = plaintext;
    m_workspace.gateway.firstByteTimeoutMs = 2000;
    m_workspace.gateway.maxBodyBytes = 64 * 1024;

    m_gateway = std::make_unique<Gateway::GatewayService>();
    QObject::connect(m_gateway.get(), &Gateway::GatewayService::attemptRecorded, m_ledger.get(),
                     &Ledger::Ledger::append);
    applyWorkspace();
    if (Status started = m_gateway->start(u"127.0.0.1"_s, 0); !started) {
        return started.errorMessage();
    }
    return {};
}

void GatewayFixture::applyWorkspace()
{
    static const auto catalog = Pricing::PriceCatalog::loadBundled();
    // Providers added by a test reach the fake provider with the fake's credential reference.
    QHash<QString, QString> secrets;
    for (const Providers::ProviderProfile &profile : std::as_const(m_workspace.providers)) {
        secrets.insert(profile.id,
                       profile.credentialRef == u"keychain:fake"_s ? QString::fromLatin1(UpstreamKey) : u"unused"_s);
    }
    m_gateway->setTables(Gateway::GatewayTables::build(m_workspace, secrets,
                                                       catalog ? catalog.value() : Pricing::PriceCatalog()));
}

QUrl GatewayFixture::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(m_gateway->port()));
}

QList<Ledger::UsageRecord> GatewayFixture::ledgerRecords()
{
    m_ledger->flush();
    auto reader = Ledger::LedgerReader::open(m_ledger->databasePath());
    if (!reader) {
        qWarning() << reader.errorMessage();
        return {};
    }
    auto records = reader->recent(100000);
    if (!records) {
        qWarning() << records.errorMessage();
        return {};
    }
    return QList<Ledger::UsageRecord>(records->crbegin(), records->crend());
}

} // namespace Switchyard::Testing
