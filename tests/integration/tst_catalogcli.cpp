#include "core/catalog/pricelayer.h"
#include "core/config/workspacestore.h"
#include "core/providers/providerpresets.h"
#include "tests/support/fakecatalogserver.h"
#include "tests/support/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeCatalogServer;
using Format = FakeCatalogServer::Format;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Providers::ProviderProfile provider(
    const QString &preset, const QString &id, const QUrl &baseUrl, const QString &credentialRef)
{
    auto profile = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(preset), id);
    profile.baseUrl = baseUrl;
    profile.credentialRef = credentialRef;
    return profile;
}

QJsonObject rowOf(const QJsonArray &rows, const QString &providerId, const QString &model)
{
    for (const QJsonValue &row : rows) {
        if (row[u"provider"_s].toString() == providerId && row[u"model"_s].toString() == model) {
            return row.toObject();
        }
    }
    return {};
}

} // namespace

// The switchyard binary, run black-box against fake providers, with its own config, data and
// cache folders.
class TestCatalogCli : public QObject
{
    Q_OBJECT

private:
    Run run(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"XDG_CONFIG_HOME"_s, m_home->filePath(u"config"_s));
        environment.insert(u"XDG_DATA_HOME"_s, m_home->filePath(u"data"_s));
        environment.insert(u"XDG_CACHE_HOME"_s, m_home->filePath(u"cache"_s));
        environment.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
        environment.insert(u"SWITCHYARD_TEST_OPENAI_KEY"_s, u"sk-openai-test"_s);
        environment.insert(u"SWITCHYARD_TEST_ANTHROPIC_KEY"_s, u"sk-ant-test"_s);
        environment.remove(u"SWITCHYARD_TEST_MISSING_KEY"_s);
        environment.remove(u"QT_LOGGING_RULES"_s);
        process.setProcessEnvironment(environment);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(SWITCHYARD_APP), arguments);
        // The fakes answer from this process's event loop, so wait on the signal, not blocking.
        if (!finished.wait(60000)) {
            process.kill();
            process.waitForFinished();
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    }

    QString workspaceFile() const { return m_home->filePath(u"workspace.json"_s); }
    QString dataDir() const { return m_home->filePath(u"data-dir"_s); }

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<FakeCatalogServer> m_server;
    quint16 m_closedPort = 0;

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral(SWITCHYARD_APP))) {
            QSKIP("The switchyard binary is not built.");
        }
    }

    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<FakeCatalogServer>();
        QVERIFY(m_server->start());
        m_server->setPages(Format::OpenAi, {Testing::readFixture(u"catalog"_s, u"openai-models.json"_s)});
        m_server->setPages(Format::Anthropic,
            {Testing::readFixture(u"catalog"_s, u"anthropic-models-1.json"_s),
                Testing::readFixture(u"catalog"_s, u"anthropic-models-2.json"_s)});
        m_server->setPages(Format::OpenRouter, {Testing::readFixture(u"catalog"_s, u"openrouter-models.json"_s)});
        {
            FakeCatalogServer closed;
            QVERIFY(closed.start());
            m_closedPort = closed.port();
        }

        Config::Workspace workspace;
        auto openai
            = provider(u"openai"_s, u"oa"_s, m_server->baseUrl(Format::OpenAi), u"env:SWITCHYARD_TEST_OPENAI_KEY"_s);
        openai.models = {u"my-finetune"_s};
        auto anthropic = provider(
            u"anthropic"_s, u"claude"_s, m_server->baseUrl(Format::Anthropic), u"env:SWITCHYARD_TEST_ANTHROPIC_KEY"_s);
        anthropic.models = {u"claude-sonnet-4-6"_s}; // newer than the bundled catalog
        workspace.providers = {
            openai,
            anthropic,
            provider(u"custom"_s, u"down"_s, QUrl(u"http://127.0.0.1:%1/v1"_s.arg(m_closedPort)), QString()),
            provider(u"groq"_s, u"nokey"_s, m_server->baseUrl(Format::OpenAi), u"env:SWITCHYARD_TEST_MISSING_KEY"_s),
        };
        workspace.priceOverrides
            = {QJsonObject {{u"model"_s, u"gpt-4o-mini"_s}, {u"inputPerMillion"_s, 0.1}, {u"outputPerMillion"_s, 0.4}}};
        Config::WorkspaceStore store(workspaceFile());
        const Status saved = store.save(workspace);
        QVERIFY2(saved.isOk(), qPrintable(saved.errorMessage()));
    }

    void cleanup()
    {
        m_server.reset();
        m_home.reset();
    }

    void modelsJson()
    {
        const Run result = run({u"models"_s, u"--json"_s, u"--config"_s, workspaceFile(), u"--data-dir"_s, dataDir()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QJsonObject root = QJsonDocument::fromJson(result.out.toUtf8()).object();
        const QJsonArray rows = root[u"models"_s].toArray();

        const QJsonObject gpt4o = rowOf(rows, u"oa"_s, u"gpt-4o"_s);
        QCOMPARE(gpt4o[u"inputPerMillion"_s].toDouble(), 2.5);
        QCOMPARE(gpt4o[u"priceSource"_s].toString(), u"litellm 2025-11-21"_s);
        QCOMPARE(gpt4o[u"contextWindow"_s].toInteger(), 128000);
        QCOMPARE(gpt4o[u"seenLive"_s].toBool(), true);
        const QJsonObject mini = rowOf(rows, u"oa"_s, u"gpt-4o-mini"_s);
        QCOMPARE(mini[u"priceSource"_s].toString(), u"workspace override"_s);
        const QJsonObject finetune = rowOf(rows, u"oa"_s, u"my-finetune"_s);
        QCOMPARE(finetune[u"seenLive"_s].toBool(), false);
        QCOMPARE(finetune[u"configured"_s].toBool(), true);
        QVERIFY(finetune[u"inputPerMillion"_s].isNull());

        const QJsonObject opus = rowOf(rows, u"claude"_s, u"claude-opus-4-6"_s);
        QCOMPARE(opus[u"contextWindow"_s].toInteger(), 1000000);
        QCOMPARE(opus[u"displayName"_s].toString(), u"Claude Opus 4.6"_s);
        QVERIFY(!rowOf(rows, u"claude"_s, u"claude-3-haiku-20240307"_s).isEmpty()); // from the second page
        // Before a price refresh, a model newer than the bundled catalog has no price.
        QVERIFY(rowOf(rows, u"claude"_s, u"claude-sonnet-4-6"_s)[u"inputPerMillion"_s].isNull());

        // One provider down and one without its key: reported, and the rest still listed.
        const QJsonArray failures = root[u"failures"_s].toArray();
        QCOMPARE(failures.size(), 2);
        QCOMPARE(failures.at(0)[u"provider"_s].toString(), u"down"_s);
        QVERIFY(failures.at(0)[u"message"_s].toString().contains(u"Could not reach provider down"_s));
        QCOMPARE(failures.at(1)[u"provider"_s].toString(), u"nokey"_s);
        QVERIFY(failures.at(1)[u"message"_s].toString().contains(u"SWITCHYARD_TEST_MISSING_KEY"_s));
        QVERIFY(result.err.contains(u"Could not reach provider down"_s));
        QVERIFY(!result.out.contains(u"sk-openai-test"_s));
        QVERIFY(!result.err.contains(u"sk-openai-test"_s));
    }

    void modelsTableForOneProvider()
    {
        const Run result = run({u"models"_s, u"--provider"_s, u"claude"_s, u"--config"_s, workspaceFile()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QStringList lines = result.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5); // header, three listed models and one configured
        QVERIFY(lines.at(0).startsWith(u"Provider  Model"_s));
        QVERIFY(lines.at(0).contains(u"Price Source"_s));
        QVERIFY(lines.at(1).startsWith(u"claude    claude-3-haiku-20240307"_s));
        QVERIFY(!result.out.contains(u"gpt-4o"_s));
        QVERIFY(result.err.isEmpty());
    }

    void modelsFromTheCacheWhenDown()
    {
        QCOMPARE(run({u"models"_s, u"--provider"_s, u"oa"_s, u"--config"_s, workspaceFile()}).exitCode, 0);
        m_server->stop();
        const Run result = run({u"models"_s, u"--provider"_s, u"oa"_s, u"--json"_s, u"--config"_s, workspaceFile()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.err.contains(u"Could not reach provider oa"_s));
        QVERIFY(result.err.contains(u"showing its model list from"_s));
        const QJsonObject root = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(rowOf(root[u"models"_s].toArray(), u"oa"_s, u"gpt-4o"_s)[u"seenLive"_s].toBool(), true);
        QVERIFY(root[u"failures"_s].toArray().at(0)[u"cachedListFrom"_s].isString());
    }

    void modelsUnknownProvider()
    {
        const Run result = run({u"models"_s, u"--provider"_s, u"nope"_s, u"--config"_s, workspaceFile()});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains(u"no provider “nope”"_s));
    }

    void pricesRefreshAndShow()
    {
        const QString url = m_server->openRouterModelsUrl().toString();
        Run result = run({u"prices"_s, u"refresh"_s, u"--source-url"_s, url, u"--data-dir"_s, dataDir()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"Saved the prices from "_s + url), qPrintable(result.out));
        QVERIFY2(result.out.contains(u"(models priced: 7)"_s), qPrintable(result.out));
        QVERIFY(QFile::exists(Catalog::PriceLayer::filePathIn(dataDir())));

        const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
        result = run({u"prices"_s, u"show"_s, u"claude-sonnet-4-6"_s, u"--data-dir"_s, dataDir(), u"--config"_s,
            workspaceFile()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"* openrouter "_s + today
                     + u": input 3, cached input 0.3, output 15; context window 1000000, max output 64000"_s),
            qPrintable(result.out));
        QVERIFY2(result.out.contains(u"Refreshed prices come from "_s + url), qPrintable(result.out));

        // A bundled price stays in effect; the refreshed one for OpenRouter's key is listed for it.
        result = run({u"prices"_s, u"show"_s, u"anthropic/claude-sonnet-4.6"_s, u"--provider"_s, u"openrouter"_s,
            u"--data-dir"_s, dataDir(), u"--config"_s, workspaceFile()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"* openrouter "_s + today), qPrintable(result.out));

        result = run(
            {u"prices"_s, u"show"_s, u"gpt-4o-mini"_s, u"--data-dir"_s, dataDir(), u"--config"_s, workspaceFile()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QStringList lines = result.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.value(1).startsWith(u"* workspace override: input 0.1,"_s), qPrintable(result.out));
        QVERIFY2(lines.value(2).startsWith(u"  litellm 2025-11-21: input 0.15,"_s), qPrintable(result.out));

        // The refreshed layer reaches `models` as well; a model nobody prices stays unknown.
        result = run({u"models"_s, u"--provider"_s, u"claude"_s, u"--json"_s, u"--config"_s, workspaceFile(),
            u"--data-dir"_s, dataDir()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QJsonArray rows = QJsonDocument::fromJson(result.out.toUtf8()).object()[u"models"_s].toArray();
        const QJsonObject sonnet = rowOf(rows, u"claude"_s, u"claude-sonnet-4-6"_s);
        QCOMPARE(sonnet[u"priceSource"_s].toString(), u"openrouter "_s + today);
        QCOMPARE(sonnet[u"outputPerMillion"_s].toDouble(), 15.0);
        QCOMPARE(sonnet[u"contextWindow"_s].toInteger(), 1000000);
        QVERIFY(rowOf(rows, u"claude"_s, u"claude-opus-4-6"_s)[u"priceSource"_s].isNull());
        QVERIFY(rowOf(rows, u"claude"_s, u"claude-opus-4-6"_s)[u"inputPerMillion"_s].isNull());
    }

    void pricesRefreshFailureKeepsTheLayer()
    {
        const QString url = m_server->openRouterModelsUrl().toString();
        QCOMPARE(run({u"prices"_s, u"refresh"_s, u"--source-url"_s, url, u"--data-dir"_s, dataDir()}).exitCode, 0);
        QFile layer(Catalog::PriceLayer::filePathIn(dataDir()));
        QVERIFY(layer.open(QIODevice::ReadOnly));
        const QByteArray before = layer.readAll();
        layer.close();

        const Run result = run({u"prices"_s, u"refresh"_s, u"--source-url"_s,
            u"http://127.0.0.1:%1/api/v1/models"_s.arg(m_closedPort), u"--data-dir"_s, dataDir()});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"previous prices stay in use"_s), qPrintable(result.err));
        QVERIFY(layer.open(QIODevice::ReadOnly));
        QCOMPARE(layer.readAll(), before);
    }

    void pricesShowUnknownModel()
    {
        const Run result = run({u"prices"_s, u"show"_s, u"no-such-model-anywhere"_s, u"--data-dir"_s, dataDir(),
            u"--config"_s, workspaceFile()});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains(u"No price is known for no-such-model-anywhere"_s));
    }

    void pricesUsage()
    {
        const Run result = run({u"prices"_s, u"frobnicate"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains(u"Usage: switchyard prices refresh"_s));
    }
};

QTEST_GUILESS_MAIN(TestCatalogCli)
#include "tst_catalogcli.moc"
