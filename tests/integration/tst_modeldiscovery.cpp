#include "core/catalog/modeldiscovery.h"
#include "core/providers/providerpresets.h"
#include "tests/support/fakecatalogserver.h"
#include "tests/support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Catalog;
using Testing::FakeCatalogServer;
using Format = FakeCatalogServer::Format;

Q_DECLARE_METATYPE(FakeCatalogServer::Format)

namespace {

const QByteArray testKey = "sk-test-0123456789"_ba;

QByteArray fixture(const char *name)
{
    return Testing::readFixture(u"catalog"_s, QString::fromLatin1(name));
}

QString presetOf(Format format)
{
    switch (format) {
    case Format::Anthropic:
        return u"anthropic"_s;
    case Format::Gemini:
        return u"gemini"_s;
    case Format::OpenRouter:
        return u"openrouter"_s;
    case Format::OpenAi:
        break;
    }
    return u"openai"_s;
}

} // namespace

class TestModelDiscovery : public QObject
{
    Q_OBJECT

private:
    Providers::ProviderProfile profile(Format format, const QString &id = u"p"_s) const
    {
        auto result = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(presetOf(format)), id);
        result.baseUrl = m_server->baseUrl(format);
        result.credentialRef = u"env:SWITCHYARD_TEST_KEY"_s;
        return result;
    }

    // Fetches and waits for the one answer; returns the failure message, empty on success.
    QString fetch(ModelDiscovery &discovery, const Providers::ProviderProfile &provider, const QString &key)
    {
        QSignalSpy updated(&discovery, &ModelDiscovery::modelsUpdated);
        QSignalSpy failed(&discovery, &ModelDiscovery::discoveryFailed);
        discovery.fetch(provider, key);
        if (!QTest::qWaitFor([&] { return updated.size() + failed.size() > 0; }, 20000)) {
            return u"no answer"_s;
        }
        if (!failed.isEmpty()) {
            [&] { QCOMPARE(failed.constFirst().at(0).toString(), provider.id); }();
            return failed.constFirst().at(1).toString();
        }
        [&] { QCOMPARE(updated.constFirst().at(0).toString(), provider.id); }();
        return {};
    }

    QStringList ids(const ModelDiscovery &discovery, const QString &providerId) const
    {
        QStringList result;
        for (const ModelInfo &model : discovery.models(providerId).value_or(DiscoveredModels()).models) {
            result.append(model.id);
        }
        return result;
    }

    std::unique_ptr<FakeCatalogServer> m_server;

private slots:
    void init()
    {
        m_server = std::make_unique<FakeCatalogServer>();
        QVERIFY(m_server->start());
        m_server->setRequiredKey(testKey);
        m_server->setPages(Format::OpenAi, {fixture("openai-models.json")});
        m_server->setPages(Format::Anthropic, {fixture("anthropic-models-1.json"), fixture("anthropic-models-2.json")});
        m_server->setPages(Format::Gemini, {fixture("gemini-models-1.json"), fixture("gemini-models-2.json")});
        m_server->setPages(Format::OpenRouter, {fixture("openrouter-models.json")});
    }

    void cleanup() { m_server.reset(); }

    void fetchesEachFormat_data()
    {
        QTest::addColumn<Format>("format");
        QTest::addColumn<QStringList>("expectedIds");
        QTest::addColumn<QByteArray>("keyHeader");
        QTest::addColumn<QByteArray>("keyValue");
        QTest::addColumn<QByteArrayList>("expectedQueries");

        QTest::newRow("openai") << Format::OpenAi
                                << QStringList {u"gpt-4o"_s, u"gpt-4o-mini"_s, u"text-embedding-3-small"_s}
                                << "authorization"_ba
                                << "Bearer "_ba + testKey << QByteArrayList {""_ba};
        QTest::newRow("anthropic, two pages")
            << Format::Anthropic
            << QStringList {u"claude-opus-4-6"_s, u"claude-sonnet-4-5-20250929"_s, u"claude-3-haiku-20240307"_s}
            << "x-api-key"_ba << testKey
            << QByteArrayList {"limit=1000"_ba, "limit=1000&after_id=claude-sonnet-4-5-20250929"_ba};
        QTest::newRow("gemini, two pages")
            << Format::Gemini << QStringList {u"gemini-2.5-flash"_s, u"gemini-2.0-flash"_s, u"gemini-embedding-001"_s}
            << "x-goog-api-key"_ba << testKey
            << QByteArrayList {
                   "pageSize=1000"_ba, "pageSize=1000&pageToken=Ch5tb2RlbHMvZ2VtaW5pLTIuMC1mbGFzaA%3D%3D"_ba};
        QTest::newRow("openrouter") << Format::OpenRouter
                                    << QStringList {u"anthropic/claude-sonnet-4.6"_s, u"openai/gpt-4o"_s,
                                           u"openai/gpt-5.5"_s, u"google/gemini-2.5-flash"_s,
                                           u"meta-llama/llama-3.3-70b-instruct"_s,
                                           u"meta-llama/llama-3.3-70b-instruct:free"_s, u"openrouter/auto"_s,
                                           u"x-ai/grok-4"_s, u"mystery/unpriced-model"_s}
                                    << "authorization"_ba
                                    << "Bearer "_ba + testKey << QByteArrayList {""_ba};
    }

    void fetchesEachFormat()
    {
        QFETCH(Format, format);
        QFETCH(QStringList, expectedIds);
        QFETCH(QByteArray, keyHeader);
        QFETCH(QByteArray, keyValue);
        QFETCH(QByteArrayList, expectedQueries);

        ModelDiscovery discovery;
        auto provider = profile(format);
        provider.extraHeaders = {{"X-Title"_ba, "Switchyard tests"_ba}};
        const QDateTime before = QDateTime::currentDateTimeUtc();
        QCOMPARE(fetch(discovery, provider, QString::fromLatin1(testKey)), QString());

        QCOMPARE(ids(discovery, u"p"_s), expectedIds);
        const auto list = discovery.models(u"p"_s);
        QCOMPARE(list->providerId, u"p"_s);
        QCOMPARE(list->baseUrl, provider.baseUrl);
        QVERIFY(list->fetchedAt >= before.addSecs(-1));
        QVERIFY(!discovery.isFetching(u"p"_s));

        const auto &requests = m_server->requests();
        QCOMPARE(requests.size(), expectedQueries.size());
        for (qsizetype i = 0; i < requests.size(); ++i) {
            QCOMPARE(requests.at(i).query, expectedQueries.at(i));
            QCOMPARE(requests.at(i).header(keyHeader), keyValue);
            QCOMPARE(requests.at(i).header("x-title"), "Switchyard tests"_ba);
        }
    }

    void anthropicVersionIsSent()
    {
        ModelDiscovery discovery;
        QCOMPARE(fetch(discovery, profile(Format::Anthropic), QString::fromLatin1(testKey)), QString());
        QCOMPARE(m_server->requests().constFirst().header("anthropic-version"), "2023-06-01"_ba);
    }

    void wrongKey_data()
    {
        QTest::addColumn<Format>("format");
        QTest::addColumn<QString>("expectedStatus");
        QTest::addColumn<QString>("expectedServerMessage");

        QTest::newRow("openai 401") << Format::OpenAi << u"HTTP 401"_s << u"Incorrect API key provided."_s;
        QTest::newRow("anthropic 401") << Format::Anthropic << u"HTTP 401"_s << u"invalid x-api-key"_s;
        QTest::newRow("gemini 400 API_KEY_INVALID") << Format::Gemini << u"HTTP 400"_s << u"API key not valid"_s;
    }

    void wrongKey()
    {
        QFETCH(Format, format);
        QFETCH(QString, expectedStatus);
        QFETCH(QString, expectedServerMessage);

        ModelDiscovery discovery;
        const QString message = fetch(discovery, profile(format), u"sk-wrong-key-9876"_s);
        QVERIFY2(
            message.contains(u"Provider p rejected the API key from env:SWITCHYARD_TEST_KEY"_s), qPrintable(message));
        QVERIFY2(message.contains(expectedStatus), qPrintable(message));
        QVERIFY2(message.contains(expectedServerMessage), qPrintable(message));
        QVERIFY2(!message.contains(u"sk-wrong-key-9876"_s), qPrintable(message));
        QVERIFY(!discovery.models(u"p"_s));
    }

    void keyNeededButMissing()
    {
        ModelDiscovery discovery;
        const QString message = fetch(discovery, profile(Format::OpenAi), QString());
        QVERIFY2(message.contains(u"needs an API key"_s), qPrintable(message));
        QVERIFY2(message.contains(u"env:SWITCHYARD_TEST_KEY"_s), qPrintable(message));
        QVERIFY(m_server->requests().isEmpty());
    }

    void keylessServerThatWantsAKey()
    {
        ModelDiscovery discovery;
        auto custom = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"custom"_s), u"box"_s);
        custom.baseUrl = m_server->baseUrl(Format::OpenAi);
        const QString message = fetch(discovery, custom, QString());
        QVERIFY2(message.contains(u"Provider box wants an API key (HTTP 401"_s), qPrintable(message));
        QCOMPARE(m_server->requests().constFirst().header("authorization"), QByteArray());
    }

    void providerDown()
    {
        ModelDiscovery discovery;
        const auto provider = profile(Format::OpenAi);
        m_server->stop();
        const QString message = fetch(discovery, provider, QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"Could not reach provider p at http://127.0.0.1:"_s), qPrintable(message));
        QVERIFY2(message.contains(u"Check that the server is running"_s), qPrintable(message));
    }

    void notJson()
    {
        ModelDiscovery discovery;
        m_server->setPages(Format::OpenAi, {"<html><body>Welcome to nginx!</body></html>"_ba});
        const QString message = fetch(discovery, profile(Format::OpenAi), QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"did not answer"_s), qPrintable(message));
        QVERIFY2(message.contains(u"is not JSON"_s), qPrintable(message));
        QVERIFY2(message.contains(u"Welcome to nginx!"_s), qPrintable(message));
    }

    void wrongBaseUrl()
    {
        ModelDiscovery discovery;
        auto provider = profile(Format::OpenAi);
        provider.baseUrl = QUrl(u"http://127.0.0.1:%1/v2"_s.arg(m_server->port()));
        const QString message = fetch(discovery, provider, QString::fromLatin1(testKey));
        QVERIFY2(
            message.contains(u"has no model list at http://127.0.0.1:%1/v2/models (HTTP 404"_s.arg(m_server->port())),
            qPrintable(message));
    }

    void serverError()
    {
        ModelDiscovery discovery;
        m_server->setFailure(Format::Gemini, 503,
            R"({"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}})"_ba);
        const QString message = fetch(discovery, profile(Format::Gemini), QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"answered HTTP 503"_s), qPrintable(message));
        QVERIFY2(message.contains(u"The model is overloaded."_s), qPrintable(message));
    }

    void timeout()
    {
        ModelDiscovery discovery;
        discovery.setTimeout(std::chrono::milliseconds(300));
        m_server->setHang(Format::OpenAi, true);
        const QString message = fetch(discovery, profile(Format::OpenAi), QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"did not send its model list within 0.3 s"_s), qPrintable(message));
        QVERIFY(!discovery.isFetching(u"p"_s));
    }

    void tlsFailure()
    {
        if (!QSslSocket::supportsSsl()) {
            QSKIP("This Qt has no TLS backend.");
        }
        ModelDiscovery discovery;
        auto provider = profile(Format::OpenAi);
        provider.baseUrl.setScheme(u"https"_s);
        const QString message = fetch(discovery, provider, QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"The secure connection to provider p"_s), qPrintable(message));
        QVERIFY2(message.contains(u"http:// or https://"_s), qPrintable(message));
    }

    void repeatedPagesStop()
    {
        ModelDiscovery discovery;
        const QByteArray loop = R"({"data":[{"id":"claude-x"}],"has_more":true,"last_id":"claude-x"})"_ba;
        m_server->setPages(Format::Anthropic, {loop, loop});
        const QString message = fetch(discovery, profile(Format::Anthropic), QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"keeps sending more pages"_s), qPrintable(message));
        QVERIFY(!discovery.models(u"p"_s));
    }

    void failureKeepsThePreviousList()
    {
        ModelDiscovery discovery;
        QCOMPARE(fetch(discovery, profile(Format::OpenAi), QString::fromLatin1(testKey)), QString());
        const auto first = discovery.models(u"p"_s);
        m_server->setFailure(Format::OpenAi, 500, R"({"error":{"message":"Internal error"}})"_ba);
        const QString message = fetch(discovery, profile(Format::OpenAi), QString::fromLatin1(testKey));
        QVERIFY2(message.contains(u"answered HTTP 500"_s), qPrintable(message));
        QCOMPARE(discovery.models(u"p"_s), first);
    }

    void newerFetchSupersedesARunningOne()
    {
        ModelDiscovery discovery;
        QSignalSpy updated(&discovery, &ModelDiscovery::modelsUpdated);
        QSignalSpy failed(&discovery, &ModelDiscovery::discoveryFailed);
        m_server->setHang(Format::OpenAi, true);
        discovery.fetch(profile(Format::OpenAi), QString::fromLatin1(testKey));
        QTRY_COMPARE(m_server->requests().size(), 1);
        m_server->setHang(Format::OpenAi, false);
        discovery.fetch(profile(Format::OpenAi), QString::fromLatin1(testKey));
        QVERIFY(discovery.isFetching(u"p"_s));
        QVERIFY(updated.wait());
        QCOMPARE(updated.size(), 1);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(ids(discovery, u"p"_s).size(), 3);
    }

    void cacheSurvivesARestart()
    {
        QTemporaryDir cache;
        const QString cacheDir = cache.filePath(u"models"_s);
        DiscoveredModels openai;
        DiscoveredModels gemini;
        {
            ModelDiscovery first;
            first.setCacheDirectory(cacheDir);
            QCOMPARE(fetch(first, profile(Format::OpenAi, u"oa"_s), QString::fromLatin1(testKey)), QString());
            QCOMPARE(fetch(first, profile(Format::Gemini, u"gem"_s), QString::fromLatin1(testKey)), QString());
            openai = first.models(u"oa"_s).value();
            gemini = first.models(u"gem"_s).value();
        }
        QVERIFY(QFile::exists(cacheDir + u"/oa.json"_s));
        m_server->stop();

        ModelDiscovery second;
        second.setCacheDirectory(cacheDir);
        QSignalSpy updated(&second, &ModelDiscovery::modelsUpdated);
        QCOMPARE(second.loadCache(), QStringList());
        QCOMPARE(updated.size(), 2);
        QCOMPARE(second.models(u"oa"_s), std::optional<DiscoveredModels>(openai));
        QCOMPARE(second.models(u"gem"_s), std::optional<DiscoveredModels>(gemini));
        QCOMPARE(second.models(u"gem"_s)->models.constLast().capabilities, Capabilities(Capability::Embeddings));
    }

    void unreadableCacheFileIsReported()
    {
        QTemporaryDir cache;
        QFile broken(cache.filePath(u"broken.json"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"providerId\":");
        broken.close();
        DiscoveredModels misplaced {u"other"_s, QUrl(u"http://x/v1"_s), QDateTime::currentDateTimeUtc(), {}};
        QFile wrongName(cache.filePath(u"named.json"_s));
        QVERIFY(wrongName.open(QIODevice::WriteOnly));
        wrongName.write(misplaced.toJson());
        wrongName.close();

        ModelDiscovery discovery;
        discovery.setCacheDirectory(cache.path());
        const QStringList problems = discovery.loadCache();
        QCOMPARE(problems.size(), 2);
        QVERIFY2(problems.at(0).contains(broken.fileName()), qPrintable(problems.at(0)));
        QVERIFY2(problems.at(1).contains(u"provider other"_s), qPrintable(problems.at(1)));
        QVERIFY(discovery.allModels().isEmpty());
    }

    void cacheDoesNotReplaceANewerList()
    {
        QTemporaryDir cache;
        ModelDiscovery discovery;
        discovery.setCacheDirectory(cache.path());
        DiscoveredModels old {
            u"oa"_s, m_server->baseUrl(Format::OpenAi), QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC), {}};
        QFile file(cache.filePath(u"oa.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(old.toJson());
        file.close();
        // The fetch rewrites the file, so put the old one back before loading.
        QCOMPARE(fetch(discovery, profile(Format::OpenAi, u"oa"_s), QString::fromLatin1(testKey)), QString());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(old.toJson());
        file.close();
        QCOMPARE(discovery.loadCache(), QStringList());
        QCOMPARE(discovery.models(u"oa"_s)->models.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestModelDiscovery)
#include "tst_modeldiscovery.moc"
