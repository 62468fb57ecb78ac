#include "core/config/workspacecodec.h"
#include "core/providers/providerpresets.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Config::Workspace;
using Config::WorkspaceCodec;

namespace {

// Two providers (openai, groq) and one route, valid as it stands; rows patch one thing into it.
// JSON written with ' for " so that the documents stay readable here.
QByteArray jsonText(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

QByteArray document(const char *providers, const char *rest = "")
{
    QByteArray text = "{'version': 1, 'providers': [" + QByteArray(providers) + "]" + rest + "}";
    return text.replace('\'', '"');
}

constexpr const char *TwoProviders
    = "{'id': 'openai', 'preset': 'openai', 'baseUrl': 'https://api.openai.com/v1', 'credentialRef': "
      "'env:OPENAI_API_KEY'}, {'id': 'groq', 'preset': 'groq', 'baseUrl': 'https://api.groq.com/openai/v1'}";

Workspace richWorkspace()
{
    Workspace workspace;
    auto openai = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"openai"_s), u"openai"_s);
    openai.credentialRef = u"keychain:openai-prod"_s;
    openai.extraHeaders = {{"OpenAI-Organization", "org-123"}, {"X-Trace", "a b\tc ü"}, {"X-Trace", "second"}};
    openai.models = {u"gpt-4o"_s, u"gpt-4o-mini"_s};
    auto router = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"openrouter"_s), u"or"_s);
    router.displayName = u"OpenRouter (team)"_s;
    auto local = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"ollama"_s), u"local_1"_s);
    local.baseUrl = QUrl(u"http://192.168.1.20:11434/v1"_s);
    workspace.providers = {openai, router, local};

    workspace.routes = {
        {u"fast"_s, {{u"local_1"_s, u"llama3.1:8b"_s}, {u"or"_s, u"anthropic/claude-3.5-sonnet"_s}}},
        {u"smart"_s, {{u"openai"_s, u"gpt-4o"_s}}},
    };

    auto [key, plaintext] = Config::LocalKey::generate(u"laptop"_s);
    Q_UNUSED(plaintext);
    Config::LocalKey noDate;
    noDate.name = u"ci runner"_s;
    noDate.sha256Hex = QByteArray(64, 'a');
    workspace.localKeys = {key, noDate};

    workspace.gateway.host = u"0.0.0.0"_s;
    workspace.gateway.port = 4100;
    workspace.gateway.maxBodyBytes = 1024 * 1024;
    workspace.gateway.connectTimeoutMs = 5000;
    workspace.gateway.firstByteTimeoutMs = 30000;
    workspace.gateway.idleTimeoutMs = 90000;
    workspace.gateway.autoStart = false;

    workspace.priceOverrides = QJsonArray {QJsonObject {{u"model"_s, u"or/x"_s}, {u"inputPerMillion"_s, 0.5}}};
    workspace.secretNames = {u"openai-prod"_s, u"spare.key"_s};
    workspace.unknownFields = QJsonObject {{u"budgets"_s, QJsonArray {QJsonObject {{u"limitUsd"_s, 10}}}}};
    return workspace;
}

} // namespace

class TestWorkspaceCodec : public QObject
{
    Q_OBJECT

private slots:
    void rejectsInvalidDocuments_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");

        QTest::newRow("not json") << "{\"version\": 1,"_ba
                                  << u"The workspace is not valid JSON: unterminated object at character 14"_s;
        QTest::newRow("top-level array") << "[]"_ba
                                         << u"The workspace must be a JSON object { ... } at the top level"_s;
        QTest::newRow("version missing")
            << "{}"_ba << u"version: required field is missing; a workspace file starts with \"version\": 1"_s;
        QTest::newRow("version string") << jsonText("{'version': '1'}")
                                        << u"version: expected a whole number of at least 1, e.g. \"version\": 1"_s;
        QTest::newRow("version zero") << jsonText("{'version': 0}")
                                      << u"version: expected a whole number of at least 1, e.g. \"version\": 1"_s;
        QTest::newRow("version fraction")
            << jsonText("{'version': 1.5}") << u"version: expected a whole number of at least 1, e.g. \"version\": 1"_s;
        QTest::newRow("providers not a list")
            << jsonText("{'version': 1, 'providers': {}}") << u"providers: expected a list [ ... ]"_s;
        QTest::newRow("provider not an object") << document("42") << u"providers[0]: expected an object { ... }"_s;
        QTest::newRow("provider id missing") << document("{'preset': 'openai', 'baseUrl': 'https://x'}")
                                             << u"providers[0].id: required field is missing"_s;
        QTest::newRow("provider id invalid")
            << document("{'id': 'Open AI', 'preset': 'openai', 'baseUrl': 'https://x'}")
            << u"providers[0].id: \"Open AI\" is not a valid id: use lowercase letters, digits, '-' and '_', starting "
               "with a letter or digit"_s;
        QTest::newRow("provider id duplicate")
            << document("{'id': 'a', 'preset': 'openai', 'baseUrl': 'https://x'}, {'id': 'b', 'preset': 'openai', "
                        "'baseUrl': 'https://x'}, {'id': 'a', 'preset': 'groq', 'baseUrl': 'https://y'}")
            << u"providers[2].id: \"a\" is already used by providers[0]"_s;
        QTest::newRow("provider preset unknown")
            << document("{'id': 'a', 'preset': 'anthropic', 'baseUrl': 'https://x'}")
            << u"providers[0].preset: \"anthropic\" is not a known preset (use one of: openai, openrouter, groq, "
               "mistral, deepseek, together, xai, ollama, lmstudio, vllm, custom)"_s;
        QTest::newRow("baseUrl ftp") << document("{'id': 'a', 'preset': 'openai', 'baseUrl': 'https://x'}, {'id': 'b', "
                                                 "'preset': 'custom', 'baseUrl': 'ftp://x'}")
                                     << u"providers[1].baseUrl: \"ftp://x\" is not an http or https URL"_s;
        QTest::newRow("baseUrl relative") << document("{'id': 'a', 'preset': 'custom', 'baseUrl': 'localhost/v1'}")
                                          << u"providers[0].baseUrl: \"localhost/v1\" is not an http or https URL"_s;
        QTest::newRow("baseUrl query")
            << document("{'id': 'a', 'preset': 'custom', 'baseUrl': 'http://h/v1?x=1'}")
            << u"providers[0].baseUrl: \"http://h/v1?x=1\" must not contain a query or fragment: requests append "
               "\"/chat/completions\" to it"_s;
        QTest::newRow("baseUrl missing") << document("{'id': 'a', 'preset': 'custom'}")
                                         << u"providers[0].baseUrl: required field is missing"_s;
        QTest::newRow("baseUrl number") << document("{'id': 'a', 'preset': 'custom', 'baseUrl': 8080}")
                                        << u"providers[0].baseUrl: expected a string"_s;
        QTest::newRow("credentialRef plain key")
            << document("{'id': 'a', 'preset': 'openai', 'baseUrl': 'https://x', 'credentialRef': 'sk-123'}")
            << u"providers[0].credentialRef: \"sk-123\" is not a credential reference: write keychain:NAME or "
               "env:VARIABLE, or leave it empty for a server that needs no key"_s;
        QTest::newRow("credentialRef bad env")
            << document("{'id': 'a', 'preset': 'openai', 'baseUrl': 'https://x', 'credentialRef': 'env:A-B'}")
            << u"providers[0].credentialRef: \"A-B\" is not a valid environment variable name: start with a letter "
               "or '_' and use only letters, digits and '_'"_s;
        QTest::newRow("provider unknown field")
            << document("{'id': 'a', 'preset': 'openai', 'baseUrl': 'https://x', 'credentialref': 'env:K'}")
            << u"providers[0]: unknown field \"credentialref\" (known fields: id, preset, displayName, baseUrl, "
               "credentialRef, extraHeaders, models)"_s;
        QTest::newRow("header name invalid")
            << document("{'id': 'a', 'preset': 'custom', 'baseUrl': 'http://h', 'extraHeaders': [{'name': 'X-Ok', "
                        "'value': '1'}, {'name': 'X Bad', 'value': '2'}]}")
            << u"providers[0].extraHeaders[1].name: \"X Bad\" is not a valid HTTP header name"_s;
        QTest::newRow("header value injection")
            << document("{'id': 'a', 'preset': 'custom', 'baseUrl': 'http://h', 'extraHeaders': [{'name': 'X-A', "
                        "'value': '1\\r\\nHost: evil'}]}")
            << u"providers[0].extraHeaders[0].value: contains a line break or other control character"_s;
        QTest::newRow("model with space")
            << document("{'id': 'a', 'preset': 'custom', 'baseUrl': 'http://h', 'models': ['ok', 'gpt 4']}")
            << u"providers[0].models[1]: \"gpt 4\" is not a model id: it is empty or contains a space or control "
               "character"_s;
        QTest::newRow("route target undefined provider")
            << document(TwoProviders,
                   ", 'routes': [{'name': 'fast', 'targets': ['openai/gpt-4o', 'groq/llama', 'mistral/small']}]")
            << u"routes[0].targets[2]: provider \"mistral\" is not defined in providers"_s;
        QTest::newRow("route target syntax")
            << document(TwoProviders, ", 'routes': [{'name': 'fast', 'targets': ['gpt-4o']}]")
            << u"routes[0].targets[0]: \"gpt-4o\" is not a route target: write provider/model, e.g. "
               "openai/gpt-4o-mini"_s;
        QTest::newRow("route targets empty")
            << document(TwoProviders, ", 'routes': [{'name': 'fast', 'targets': []}]")
            << u"routes[0].targets: a route needs at least one target (provider/model)"_s;
        QTest::newRow("route name with slash")
            << document(TwoProviders, ", 'routes': [{'name': 'team/fast', 'targets': ['groq/llama']}]")
            << u"routes[0].name: \"team/fast\" contains '/', which is reserved for provider/model names"_s;
        QTest::newRow("route name is a provider id")
            << document(TwoProviders, ", 'routes': [{'name': 'groq', 'targets': ['groq/llama']}]")
            << u"routes[0].name: \"groq\" is also a provider id; give the route another name"_s;
        QTest::newRow("route name empty") << document(TwoProviders, ", 'routes': [{'name': '', 'targets': []}]")
                                          << u"routes[0].name: must not be empty"_s;
        QTest::newRow("route name duplicate") << document(TwoProviders,
            ", 'routes': [{'name': 'fast', 'targets': ['groq/a']}, {'name': 'fast', 'targets': ['openai/b']}]")
                                              << u"routes[1].name: \"fast\" is already used by routes[0]"_s;
        QTest::newRow("local key duplicate") << document("",
            ", 'localKeys': [ {'name': 'laptop', 'sha256': "
            "'0000000000000000000000000000000000000000000000000000000000000000'}, {'name': 'laptop', 'sha256': "
            "'1111111111111111111111111111111111111111111111111111111111111111'}]")
                                             << u"localKeys[1].name: \"laptop\" is already used by localKeys[0]"_s;
        QTest::newRow("local key digest")
            << document("", ", 'localKeys': [{'name': 'laptop', 'sha256': 'sy-plaintext'}]")
            << u"localKeys[0].sha256: expected 64 hexadecimal digits (a SHA-256 digest)"_s;
        QTest::newRow("local key date")
            << document("",
                   ", 'localKeys': [{'name': 'laptop', 'createdAt': 'yesterday', 'sha256': "
                   "'0000000000000000000000000000000000000000000000000000000000000000'}]")
            << u"localKeys[0].createdAt: \"yesterday\" is not an ISO 8601 date and time, e.g. 2025-01-31T12:00:00Z"_s;
        QTest::newRow("port out of range")
            << document("", ", 'gateway': {'port': 70000}") << u"gateway.port: 70000 is out of range (1 to 65535)"_s;
        QTest::newRow("port zero") << document("", ", 'gateway': {'port': 0}")
                                   << u"gateway.port: 0 is out of range (1 to 65535)"_s;
        QTest::newRow("port string") << document("", ", 'gateway': {'port': '4000'}")
                                     << u"gateway.port: expected a whole number"_s;
        QTest::newRow("timeout zero") << document("", ", 'gateway': {'idleTimeoutMs': 0}")
                                      << u"gateway.idleTimeoutMs: 0 is out of range (1 to 86400000)"_s;
        QTest::newRow("autoStart string")
            << document("", ", 'gateway': {'autoStart': 'yes'}") << u"gateway.autoStart: expected true or false"_s;
        QTest::newRow("host empty") << document("", ", 'gateway': {'host': ''}")
                                    << u"gateway.host: \"\" is not a host name or address, e.g. 127.0.0.1"_s;
        QTest::newRow("gateway unknown field")
            << document("", ", 'gateway': {'prot': 1}")
            << u"gateway: unknown field \"prot\" (known fields: host, port, maxBodyBytes, connectTimeoutMs, "
               "firstByteTimeoutMs, idleTimeoutMs, autoStart)"_s;
        QTest::newRow("price override not an object")
            << document("", ", 'priceOverrides': [{}, 3]") << u"priceOverrides[1]: expected an object { ... }"_s;
        QTest::newRow("secret name twice")
            << document("", ", 'secretNames': ['a', 'b', 'a']") << u"secretNames[2]: \"a\" is listed twice"_s;
        QTest::newRow("secret name invalid")
            << document("", ", 'secretNames': ['my key']")
            << u"secretNames[0]: \"my key\" is not a valid keychain secret name: use 1 to 64 letters, digits, '.', "
               "'_' or '-'"_s;
    }

    void rejectsInvalidDocuments()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const Result<Workspace> workspace = WorkspaceCodec::fromJson(text);
        QCOMPARE(workspace.errorMessage(), message);
    }

    void refusesNewerVersion()
    {
        // The rest of a newer document is not looked at: it may not follow this build's rules.
        const Result<Workspace> workspace
            = WorkspaceCodec::fromJson(jsonText("{'version': 2, 'providers': 'v2 form'}"));
        QCOMPARE(workspace.errorMessage(),
            u"This workspace was written by a newer Switchyard (format version 2; this build reads up to 1). "
            "Update Switchyard to use it; the file was left unchanged."_s);
    }

    void minimalDocumentGivesDefaults()
    {
        const Result<Workspace> workspace = WorkspaceCodec::fromJson(jsonText("{'version': 1}"));
        QVERIFY2(workspace.isOk(), qPrintable(workspace.errorMessage()));
        QCOMPARE(workspace.value(), Workspace {});
        QCOMPARE(workspace->gateway.port, quint16(4000));
        QCOMPARE(workspace->gateway.maxBodyBytes, 8 * 1024 * 1024);
    }

    void roundTripsRichWorkspace()
    {
        const Workspace original = richWorkspace();
        QVERIFY2(
            WorkspaceCodec::validate(original).isOk(), qPrintable(WorkspaceCodec::validate(original).errorMessage()));
        const QByteArray json = WorkspaceCodec::toJson(original);
        const Result<Workspace> decoded = WorkspaceCodec::fromJson(json);
        QVERIFY2(decoded.isOk(), qPrintable(decoded.errorMessage()));
        QCOMPARE(decoded->providers, original.providers);
        QCOMPARE(decoded->routes, original.routes);
        QCOMPARE(decoded->localKeys, original.localKeys);
        QCOMPARE(decoded->gateway, original.gateway);
        QCOMPARE(decoded->priceOverrides, original.priceOverrides);
        QCOMPARE(decoded->secretNames, original.secretNames);
        QCOMPARE(decoded->unknownFields, original.unknownFields);
        QCOMPARE(decoded.value(), original);
        // Writing is stable, so saving an unchanged workspace does not change the file.
        QCOMPARE(WorkspaceCodec::toJson(decoded.value()), json);
    }

    void writesReadableJson()
    {
        const QByteArray json = WorkspaceCodec::toJson(richWorkspace());
        QVERIFY(json.contains("\n    \"version\": 1"));
        QVERIFY(json.contains(jsonText("'targets': [")));
        QVERIFY(json.contains(jsonText("'or/anthropic/claude-3.5-sonnet'")));
        QVERIFY(json.contains(jsonText("'credentialRef': 'keychain:openai-prod'")));
    }

    void normalisesWhileReading()
    {
        const Result<Workspace> workspace
            = WorkspaceCodec::fromJson(document("{'id': 'a', 'preset': 'custom', 'baseUrl': 'http://h:8080/v1/'}",
                ", 'localKeys': [{'name': 'k', 'sha256': "
                "'ABCDEF0000000000000000000000000000000000000000000000000000000000'}]"));
        QVERIFY2(workspace.isOk(), qPrintable(workspace.errorMessage()));
        QCOMPARE(workspace->providers.at(0).baseUrl, QUrl(u"http://h:8080/v1"_s));
        QCOMPARE(workspace->localKeys.at(0).sha256Hex,
            "abcdef0000000000000000000000000000000000000000000000000000000000"_ba);
    }

    void validateChecksInMemoryWorkspace()
    {
        Workspace workspace = richWorkspace();
        workspace.routes[1].targets.append({u"groq"_s, u"llama"_s});
        QCOMPARE(WorkspaceCodec::validate(workspace).errorMessage(),
            u"routes[1].targets[1]: provider \"groq\" is not defined in providers"_s);
    }

    void lookups()
    {
        const Workspace workspace = richWorkspace();
        QVERIFY(workspace.provider(u"or"_s));
        QCOMPARE(workspace.provider(u"or"_s)->displayName, u"OpenRouter (team)"_s);
        QVERIFY(!workspace.provider(u"fast"_s));
        QVERIFY(workspace.route(u"fast"_s));
        QCOMPARE(workspace.route(u"fast"_s)->targets.size(), 2);
        QVERIFY(!workspace.route(u"or"_s));
    }
};

QTEST_APPLESS_MAIN(TestWorkspaceCodec)
#include "tst_workspacecodec.moc"
