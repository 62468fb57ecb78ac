#include "core/gateway/clientsnippets.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Switchyard::Gateway::ClientSnippets;

Q_DECLARE_METATYPE(ClientSnippets::Kind)

class TestClientSnippets : public QObject
{
    Q_OBJECT

private slots:
    void originReachesTheListenAddress_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("origin");
        QTest::newRow("loopback") << u"127.0.0.1"_s << u"http://127.0.0.1:4123"_s;
        QTest::newRow("all IPv4 networks") << u"0.0.0.0"_s << u"http://127.0.0.1:4123"_s;
        QTest::newRow("all IPv6 networks") << u"::"_s << u"http://[::1]:4123"_s;
        QTest::newRow("a LAN address") << u"192.168.1.20"_s << u"http://192.168.1.20:4123"_s;
        QTest::newRow("localhost") << u"localhost"_s << u"http://localhost:4123"_s;
    }

    void originReachesTheListenAddress()
    {
        QFETCH(QString, host);
        QFETCH(QString, origin);
        const ClientSnippets snippets(host, 4123, u"fast"_s);
        QCOMPARE(snippets.origin(), origin);
        QCOMPARE(snippets.openAiBaseUrl(), origin + u"/v1"_s);
    }

    void everySnippetUsesAddressModelAndKey_data()
    {
        QTest::addColumn<ClientSnippets::Kind>("kind");
        QTest::addColumn<QString>("baseUrl"); // the URL this client is given
        QTest::addColumn<QString>("keyFromEnvironment");
        QTest::addColumn<QString>("literalKey");
        const QString origin = u"http://127.0.0.1:4123"_s;
        QTest::newRow("curl") << ClientSnippets::Kind::Curl << origin + u"/v1/chat/completions"_s
                              << u"\"Authorization: Bearer $SWITCHYARD_API_KEY\""_s
                              << u"\"Authorization: Bearer sy-secret\""_s;
        QTest::newRow("python-openai") << ClientSnippets::Kind::PythonOpenAi << u"base_url=\"%1/v1\""_s.arg(origin)
                                       << u"api_key=os.environ[\"SWITCHYARD_API_KEY\"]"_s << u"api_key=\"sy-secret\""_s;
        QTest::newRow("python-anthropic")
            << ClientSnippets::Kind::PythonAnthropic << u"base_url=\"%1\","_s.arg(origin)
            << u"api_key=os.environ[\"SWITCHYARD_API_KEY\"]"_s << u"api_key=\"sy-secret\""_s;
        QTest::newRow("node-openai") << ClientSnippets::Kind::NodeOpenAi << u"baseURL: \"%1/v1\""_s.arg(origin)
                                     << u"apiKey: process.env.SWITCHYARD_API_KEY"_s << u"apiKey: \"sy-secret\""_s;
        QTest::newRow("node-anthropic") << ClientSnippets::Kind::NodeAnthropic << u"baseURL: \"%1\","_s.arg(origin)
                                        << u"apiKey: process.env.SWITCHYARD_API_KEY"_s << u"apiKey: \"sy-secret\""_s;
        QTest::newRow("claude-code") << ClientSnippets::Kind::ClaudeCode
                                     << u"export ANTHROPIC_BASE_URL='%1'\n"_s.arg(origin)
                                     << u"export ANTHROPIC_AUTH_TOKEN=\"$SWITCHYARD_API_KEY\"\n"_s
                                     << u"export ANTHROPIC_AUTH_TOKEN='sy-secret'\n"_s;
    }

    void everySnippetUsesAddressModelAndKey()
    {
        QFETCH(ClientSnippets::Kind, kind);
        QFETCH(QString, baseUrl);
        QFETCH(QString, keyFromEnvironment);
        QFETCH(QString, literalKey);
        const QString withVariable = ClientSnippets(u"0.0.0.0"_s, 4123, u"fast"_s).text(kind);
        QVERIFY2(withVariable.contains(baseUrl), qPrintable(withVariable));
        QVERIFY2(withVariable.contains(keyFromEnvironment), qPrintable(withVariable));
        QVERIFY(withVariable.contains(kind == ClientSnippets::Kind::ClaudeCode ? u"'fast'"_s : u"\"fast\""_s));
        QVERIFY(!withVariable.contains(u"sy-secret"_s));

        const QString withKey = ClientSnippets(u"0.0.0.0"_s, 4123, u"fast"_s, u"sy-secret"_s).text(kind);
        QVERIFY2(withKey.contains(literalKey), qPrintable(withKey));
        QVERIFY(!withKey.contains(u"SWITCHYARD_API_KEY"_s));
        QVERIFY(!ClientSnippets::title(kind).isEmpty());
    }

    void quotesModelNamesForEachLanguage()
    {
        const ClientSnippets snippets(u"127.0.0.1"_s, 4000, u"it's \"odd\""_s);
        QVERIFY(snippets.text(ClientSnippets::Kind::PythonOpenAi).contains(u"model=\"it's \\\"odd\\\"\""_s));
        QVERIFY(snippets.text(ClientSnippets::Kind::Curl).contains(u"\"model\":\"it'\\''s \\\"odd\\\"\""_s));
        QVERIFY(snippets.text(ClientSnippets::Kind::ClaudeCode).contains(u"ANTHROPIC_MODEL='it'\\''s \"odd\"'"_s));
    }

    void idsAreDistinct()
    {
        QStringList ids;
        for (const ClientSnippets::Kind kind : ClientSnippets::kinds()) {
            QVERIFY(!ids.contains(ClientSnippets::id(kind)));
            ids.append(ClientSnippets::id(kind));
        }
        QCOMPARE(ids.size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestClientSnippets)
#include "tst_clientsnippets.moc"
