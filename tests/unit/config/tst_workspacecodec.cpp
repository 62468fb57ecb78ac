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

QByteArray document(const char *providers, const QByteArray &rest = {})
{
    QByteArray text = "{'version': 2, 'providers': [" + QByteArray(providers) + "]" + rest + "}";
    return text.replace('\'', '"');
}

constexpr const char *TwoProviders
    = "{'id': 'openai', 'preset': 'openai', 'baseUrl': 'https://api.openai.com/v1', 'credentialRef': "
      "'env:OPENAI_API_KEY'}, {'id': 'groq', 'preset': 'groq', 'baseUrl': 'https://api.groq.com/openai/v1'}";

// Two providers, two routes (smart, cheap) and a local key (laptop); rows append budgets or limits.
QByteArray withBudgets(const char *rest)
{
    return document(TwoProviders,
        QByteArray(", 'routes': [{'name': 'smart', 'targets': ['openai/gpt-4o']}, {'name': 'cheap', 'targets': "
                   "['groq/llama']}], 'localKeys': [{'name': 'laptop', 'sha256': "
                   "'0000000000000000000000000000000000000000000000000000000000000000'}], ")
            + rest);
}

// A route "r" with one target object (or other value) and the given further route members.
QByteArray withTarget(const QByteArray &target, const char *members = "")
{
    return document(
        TwoProviders, QByteArray(", 'routes': [{'name': 'r', 'targets': [") + target + "]" + members + "}]");
}

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
    Routing::RouteTarget tuned(u"openai"_s, u"gpt-4o"_s);
    tuned.weight = 3;
    tuned.timeoutMs = 30000;
    tuned.ttftTimeoutMs = 5000;
    tuned.retries = 2;
    tuned.params = QJsonObject {{u"temperature"_s, 0.2}, {u"max_tokens"_s, 512}};
    Routing::RouteTarget nested;
    nested.route = u"fast"_s;
    nested.weight = 2;
    Routing::Route balanced(u"balanced"_s, {tuned, {u"or"_s, u"anthropic/claude-3.5-sonnet"_s}, nested});
    balanced.strategy = Routing::Strategy::Weighted;
    balanced.fallbackOn = Routing::FallbackConditions(Routing::FallbackCondition::Connect)
        | Routing::FallbackCondition::Http429 | Routing::FallbackCondition::ContextWindow
        | Routing::FallbackCondition::Auth;
    balanced.retry = {2, 250, 4000};
    balanced.breaker = {3, 30000, 10000};
    balanced.deadlineMs = 120000;
    workspace.routes.append(balanced);
    Routing::Route cheapest(u"cheapest"_s, {{u"local_1"_s, u"llama3.1:8b"_s}, {u"openai"_s, u"gpt-4o-mini"_s}});
    cheapest.strategy = Routing::Strategy::LowestCost;
    cheapest.fallbackOn = {};
    workspace.routes.append(cheapest);

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
    workspace.gateway.captureBodies = true;

    workspace.priceOverrides = QJsonArray {QJsonObject {{u"model"_s, u"or/x"_s}, {u"inputPerMillion"_s, 0.5}}};
    workspace.secretNames = {u"openai-prod"_s, u"spare.key"_s};

    using Routing::Budget;
    using Routing::RateLimit;
    workspace.budgets = {
        {Budget::Scope::Key, u"laptop"_s, Money::fromUsd(5), Budget::Window::Day},
        {Budget::Scope::Key, u"laptop"_s, Money::fromUsd(50), Budget::Window::Month},
        {Budget::Scope::Route, u"balanced"_s, Money::fromNanoUsd(20'123'456'789), Budget::Window::Week},
        {Budget::Scope::Provider, u"openai"_s, Money::fromUsd(100), Budget::Window::Month},
    };
    workspace.limits = {
        {RateLimit::Scope::Key, u"ci runner"_s, 60, 100000},
        {RateLimit::Scope::Target, u"or/anthropic/claude-3.5-sonnet"_s, 0, 50000},
    };
    workspace.unpricedCostPerMillionTokens = 12.5;
    workspace.unknownFields = QJsonObject {{u"dashboards"_s, QJsonArray {QJsonObject {{u"title"_s, u"spend"_s}}}}};
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
            << "{}"_ba << u"version: required field is missing; a workspace file starts with \"version\": 2"_s;
        QTest::newRow("version string") << jsonText("{'version': '1'}")
                                        << u"version: expected a whole number of at least 1, e.g. \"version\": 2"_s;
        QTest::newRow("version zero") << jsonText("{'version': 0}")
                                      << u"version: expected a whole number of at least 1, e.g. \"version\": 2"_s;
        QTest::newRow("version fraction")
            << jsonText("{'version': 1.5}") << u"version: expected a whole number of at least 1, e.g. \"version\": 2"_s;
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
            << document("{'id': 'a', 'preset': 'bedrock', 'baseUrl': 'https://x'}")
            << u"providers[0].preset: \"bedrock\" is not a known preset (use one of: openai, anthropic, gemini, "
               "openrouter, groq, mistral, deepseek, together, xai, ollama, lmstudio, vllm, custom)"_s;
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
               "firstByteTimeoutMs, idleTimeoutMs, autoStart, captureBodies)"_s;
        QTest::newRow("price override not an object")
            << document("", ", 'priceOverrides': [{}, 3]") << u"priceOverrides[1]: expected an object { ... }"_s;
        QTest::newRow("secret name twice")
            << document("", ", 'secretNames': ['a', 'b', 'a']") << u"secretNames[2]: \"a\" is listed twice"_s;
        QTest::newRow("secret name invalid")
            << document("", ", 'secretNames': ['my key']")
            << u"secretNames[0]: \"my key\" is not a valid keychain secret name: use 1 to 64 letters, digits, '.', "
               "'_' or '-'"_s;

        // Routes, version 2.
        QTest::newRow("route unknown field")
            << withTarget("'groq/llama'", ", 'fallback': ['timeout']")
            << u"routes[0]: unknown field \"fallback\" (known fields: name, strategy, targets, fallbackOn, retry, "
               "breaker, deadlineMs)"_s;
        QTest::newRow("strategy unknown")
            << withTarget("'groq/llama'", ", 'strategy': 'fastest'")
            << u"routes[0].strategy: \"fastest\" is not a known strategy (use one of: fallback, weighted, "
               "lowest-latency, lowest-cost, least-busy)"_s;
        QTest::newRow("strategy not a string")
            << withTarget("'groq/llama'", ", 'strategy': 1") << u"routes[0].strategy: expected a string"_s;
        QTest::newRow("fallbackOn unknown")
            << withTarget("'groq/llama'", ", 'fallbackOn': ['timeout', 'http-404']")
            << u"routes[0].fallbackOn[1]: \"http-404\" is not a known fallback condition (use one of: connect, "
               "timeout, ttft-timeout, http-408, http-409, http-429, http-5xx, context-window, content-policy, "
               "auth)"_s;
        QTest::newRow("fallbackOn twice") << withTarget("'groq/llama'", ", 'fallbackOn': ['timeout', 'timeout']")
                                          << u"routes[0].fallbackOn[1]: \"timeout\" is listed twice"_s;
        QTest::newRow("fallbackOn not a list") << withTarget("'groq/llama'", ", 'fallbackOn': 'timeout'")
                                               << u"routes[0].fallbackOn: expected a list [ ... ]"_s;
        QTest::newRow("retry delays") << withTarget("'groq/llama'", ", 'retry': {'maxRetries': 1, 'maxDelayMs': 100}")
                                      << u"routes[0].retry.maxDelayMs: 100 is less than baseDelayMs (500)"_s;
        QTest::newRow("retry unknown field")
            << withTarget("'groq/llama'", ", 'retry': {'retries': 1}")
            << u"routes[0].retry: unknown field \"retries\" (known fields: maxRetries, baseDelayMs, maxDelayMs)"_s;
        QTest::newRow("retry count") << withTarget("'groq/llama'", ", 'retry': {'maxRetries': -1}")
                                     << u"routes[0].retry.maxRetries: -1 is out of range (0 to 100)"_s;
        QTest::newRow("breaker window") << withTarget("'groq/llama'", ", 'breaker': {'windowMs': 0}")
                                        << u"routes[0].breaker.windowMs: 0 is out of range (1 to 86400000)"_s;
        QTest::newRow("breaker not an object")
            << withTarget("'groq/llama'", ", 'breaker': 5") << u"routes[0].breaker: expected an object { ... }"_s;
        QTest::newRow("deadline string") << withTarget("'groq/llama'", ", 'deadlineMs': '2m'")
                                         << u"routes[0].deadlineMs: expected a whole number"_s;
        QTest::newRow("deadline negative") << withTarget("'groq/llama'", ", 'deadlineMs': -1")
                                           << u"routes[0].deadlineMs: -1 is out of range (0 to 86400000)"_s;
        QTest::newRow("target number") << withTarget("7")
                                       << u"routes[0].targets[0]: expected \"provider/model\" or an object { ... }"_s;
        QTest::newRow("target unknown field")
            << withTarget("{'provider': 'groq', 'model': 'llama', 'wieght': 2}")
            << u"routes[0].targets[0]: unknown field \"wieght\" (known fields: provider, model, route, weight, "
               "timeoutMs, ttftTimeoutMs, retries, params)"_s;
        QTest::newRow("target neither") << withTarget("{'weight': 2}")
                                        << u"routes[0].targets[0]: a target needs \"provider\" and \"model\", or "
                                           "\"route\""_s;
        QTest::newRow("target both") << withTarget("{'provider': 'groq', 'model': 'llama', 'route': 'r'}")
                                     << u"routes[0].targets[0]: a target names either \"provider\" and \"model\", or "
                                        "\"route\", not both"_s;
        QTest::newRow("target model missing")
            << withTarget("{'provider': 'groq'}") << u"routes[0].targets[0].model: required field is missing"_s;
        QTest::newRow("target provider missing")
            << withTarget("{'model': 'llama'}") << u"routes[0].targets[0].provider: required field is missing"_s;
        QTest::newRow("target provider undefined")
            << withTarget("{'provider': 'mistral', 'model': 'small'}")
            << u"routes[0].targets[0].provider: provider \"mistral\" is not defined in providers"_s;
        QTest::newRow("target model with space")
            << withTarget("{'provider': 'groq', 'model': 'llama 3'}")
            << u"routes[0].targets[0].model: \"llama 3\" is not a model id: it is empty or contains a space or control "
               "character"_s;
        QTest::newRow("weight zero") << withTarget("{'provider': 'groq', 'model': 'llama', 'weight': 0}")
                                     << u"routes[0].targets[0].weight: 0 is out of range (1 to 1000000)"_s;
        QTest::newRow("weight fraction") << withTarget("{'provider': 'groq', 'model': 'llama', 'weight': 1.5}")
                                         << u"routes[0].targets[0].weight: expected a whole number"_s;
        QTest::newRow("timeout negative") << withTarget("{'provider': 'groq', 'model': 'llama', 'timeoutMs': -1}")
                                          << u"routes[0].targets[0].timeoutMs: -1 is out of range (0 to 86400000)"_s;
        QTest::newRow("ttft timeout negative")
            << withTarget("{'provider': 'groq', 'model': 'llama', 'ttftTimeoutMs': -5}")
            << u"routes[0].targets[0].ttftTimeoutMs: -5 is out of range (0 to 86400000)"_s;
        QTest::newRow("target retries") << withTarget("{'provider': 'groq', 'model': 'llama', 'retries': 101}")
                                        << u"routes[0].targets[0].retries: 101 is out of range (0 to 100)"_s;
        QTest::newRow("params not an object") << withTarget("{'provider': 'groq', 'model': 'llama', 'params': [1]}")
                                              << u"routes[0].targets[0].params: expected an object { ... }"_s;
        for (const char *reserved : {"model", "messages", "stream"}) {
            QTest::addRow("params set %s", reserved)
                << withTarget(QByteArray("{'provider': 'groq', 'model': 'llama', 'params': {'top_p': 1, '") + reserved
                       + "': 1}}")
                << u"routes[0].targets[0].params: must not set \"%1\": the gateway sets model, messages and stream "
                   "itself"_s.arg(QLatin1StringView(reserved));
        }
        QTest::newRow("nested route undefined")
            << withTarget("'groq/llama', {'route': 'cheap'}")
            << u"routes[0].targets[1].route: route \"cheap\" is not defined in routes"_s;
        QTest::newRow("nested route empty")
            << withTarget("{'route': ''}") << u"routes[0].targets[0].route: must not be empty"_s;
        QTest::newRow("route leads to itself")
            << withTarget("{'route': 'r'}") << u"routes[0].targets[0]: route \"r\" leads back to itself (r -> r)"_s;
        QTest::newRow("cycle of two") << document(TwoProviders,
            ", 'routes': [{'name': 'x', 'targets': ['groq/l']}, {'name': 'y', 'targets': ['groq/l']}, {'name': 'a', "
            "'targets': ['groq/l', {'route': 'b'}]}, {'name': 'b', 'targets': [{'route': 'a'}]}]")
                                      << u"routes[2].targets[1]: route \"a\" leads back to itself (a -> b -> a)"_s;
        QTest::newRow("cycle behind a shared route") << document(TwoProviders,
            ", 'routes': [{'name': 'a', 'targets': [{'route': 'shared'}, {'route': 'c'}]}, {'name': 'shared', "
            "'targets': ['groq/l']}, {'name': 'c', 'targets': [{'route': 'shared'}, {'route': 'd'}]}, {'name': 'd', "
            "'targets': [{'route': 'a'}]}]")
                                                     << u"routes[0].targets[1]: route \"a\" leads back to itself (a -> "
                                                        u"c "
                                                        "-> d -> a)"_s;
        QTest::newRow("cycle not through the first route") << document(TwoProviders,
            ", 'routes': [{'name': 'top', 'targets': [{'route': 'm'}]}, {'name': 'm', 'targets': [{'route': 'n'}]}, "
            "{'name': 'n', 'targets': ['openai/x', {'route': 'm'}]}]")
                                                           << u"routes[1].targets[0]: route \"m\" leads back to itself "
                                                              "(m -> n -> m)"_s;

        // Budgets and limits.
        QTest::newRow("budget scope missing") << withBudgets("'budgets': [{'name': 'laptop', 'limitUsd': 5}]")
                                              << u"budgets[0].scope: required field is missing"_s;
        QTest::newRow("budget scope unknown")
            << withBudgets("'budgets': [{'scope': 'team', 'name': 'laptop', 'limitUsd': 5}]")
            << u"budgets[0].scope: \"team\" is not a known scope (use one of: key, route, provider)"_s;
        QTest::newRow("budget key undefined")
            << withBudgets("'budgets': [{'scope': 'key', 'name': 'desktop', 'limitUsd': 5}]")
            << u"budgets[0].name: local key \"desktop\" is not defined in localKeys"_s;
        QTest::newRow("budget route undefined")
            << withBudgets("'budgets': [{'scope': 'route', 'name': 'fast', 'limitUsd': 5}]")
            << u"budgets[0].name: route \"fast\" is not defined in routes"_s;
        QTest::newRow("budget provider undefined")
            << withBudgets("'budgets': [{'scope': 'provider', 'name': 'smart', 'limitUsd': 5}]")
            << u"budgets[0].name: provider \"smart\" is not defined in providers"_s;
        QTest::newRow("budget limit missing") << withBudgets("'budgets': [{'scope': 'key', 'name': 'laptop'}]")
                                              << u"budgets[0].limitUsd: required field is missing"_s;
        QTest::newRow("budget limit negative")
            << withBudgets("'budgets': [{'scope': 'key', 'name': 'laptop', 'limitUsd': -0.5}]")
            << u"budgets[0].limitUsd: -0.5 is out of range (0 to 1000000000)"_s;
        QTest::newRow("budget limit string")
            << withBudgets("'budgets': [{'scope': 'key', 'name': 'laptop', 'limitUsd': '5'}]")
            << u"budgets[0].limitUsd: expected a number"_s;
        QTest::newRow("budget window unknown")
            << withBudgets("'budgets': [{'scope': 'key', 'name': 'laptop', 'limitUsd': 5, 'window': 'year'}]")
            << u"budgets[0].window: \"year\" is not a known window (use one of: day, week, month)"_s;
        QTest::newRow("budget unknown field")
            << withBudgets("'budgets': [{'scope': 'key', 'name': 'laptop', 'limit': 5}]")
            << u"budgets[0]: unknown field \"limit\" (known fields: scope, name, limitUsd, window)"_s;
        QTest::newRow("budget twice") << withBudgets(
            "'budgets': [{'scope': 'key', 'name': 'laptop', 'limitUsd': 5, 'window': 'day'}, {'scope': "
            "'key', 'name': 'laptop', 'limitUsd': 50}, {'scope': 'key', 'name': 'laptop', 'limitUsd': "
            "6, 'window': 'day'}]") << u"budgets[2]: the same scope, name and window as budgets[0]; keep one of them"_s;
        QTest::newRow("budgets not a list") << withBudgets("'budgets': {}") << u"budgets: expected a list [ ... ]"_s;
        QTest::newRow("limit scope unknown")
            << withBudgets("'limits': [{'scope': 'route', 'name': 'smart', 'rpm': 5}]")
            << u"limits[0].scope: \"route\" is not a known scope (use one of: key, target)"_s;
        QTest::newRow("limit key undefined") << withBudgets("'limits': [{'scope': 'key', 'name': 'ci', 'rpm': 5}]")
                                             << u"limits[0].name: local key \"ci\" is not defined in localKeys"_s;
        QTest::newRow("limit target syntax")
            << withBudgets("'limits': [{'scope': 'target', 'name': 'gpt-4o', 'rpm': 5}]")
            << u"limits[0].name: \"gpt-4o\" is not a route target: write provider/model, e.g. openai/gpt-4o-mini"_s;
        QTest::newRow("limit target provider undefined")
            << withBudgets("'limits': [{'scope': 'target', 'name': 'mistral/small', 'tpm': 5}]")
            << u"limits[0].name: provider \"mistral\" is not defined in providers"_s;
        QTest::newRow("limit without rpm or tpm")
            << withBudgets("'limits': [{'scope': 'key', 'name': 'laptop', 'rpm': 0}]")
            << u"limits[0]: a limit needs \"rpm\", \"tpm\" or both, greater than 0"_s;
        QTest::newRow("limit rpm negative") << withBudgets("'limits': [{'scope': 'key', 'name': 'laptop', 'rpm': -5}]")
                                            << u"limits[0].rpm: -5 is out of range (0 to 1000000000)"_s;
        QTest::newRow("limit twice") << withBudgets("'limits': [{'scope': 'key', 'name': 'laptop', 'rpm': 5}, "
                                                    "{'scope': 'target', 'name': 'groq/llama', 'rpm': 5}, {'scope': "
                                                    "'key', 'name': 'laptop', 'tpm': 5}]")
                                     << u"limits[2]: the same scope and name as limits[0]; keep one of them"_s;
        QTest::newRow("unpriced cost zero")
            << withBudgets("'unpricedCostPerMillionTokens': 0")
            << u"unpricedCostPerMillionTokens: 0 is out of range (more than 0, at most 1000000): requests whose price "
               "is unknown are charged this many US dollars per million tokens, never nothing"_s;
        QTest::newRow("unpriced cost string") << withBudgets("'unpricedCostPerMillionTokens': 'ten'")
                                              << u"unpricedCostPerMillionTokens: expected a number"_s;
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
            = WorkspaceCodec::fromJson(jsonText("{'version': 3, 'providers': 'v3 form'}"));
        QCOMPARE(workspace.errorMessage(),
            u"This workspace was written by a newer Switchyard (format version 3; this build reads up to 2). "
            "Update Switchyard to use it; the file was left unchanged."_s);
    }

    void minimalDocumentGivesDefaults_data()
    {
        QTest::addColumn<int>("version");
        QTest::newRow("version 1") << 1;
        QTest::newRow("version 2") << 2;
    }

    void minimalDocumentGivesDefaults()
    {
        QFETCH(int, version);
        const Result<Workspace> workspace
            = WorkspaceCodec::fromJson(jsonText("{'version': %1}").replace("%1", QByteArray::number(version)));
        QVERIFY2(workspace.isOk(), qPrintable(workspace.errorMessage()));
        QCOMPARE(workspace.value(), Workspace {});
        QCOMPARE(workspace->version, WorkspaceCodec::CurrentVersion);
        QCOMPARE(workspace->gateway.port, quint16(4000));
        QCOMPARE(workspace->gateway.maxBodyBytes, 8 * 1024 * 1024);
        QCOMPARE(workspace->unpricedCostPerMillionTokens, 10.0);
        QVERIFY(workspace->budgets.isEmpty());
        QVERIFY(workspace->limits.isEmpty());
    }

    void migratesVersion1()
    {
        // As the previous format wrote it.
        const QByteArray v1 = jsonText(R"({
    'gateway': {'autoStart': true, 'connectTimeoutMs': 10000, 'firstByteTimeoutMs': 60000, 'host': '127.0.0.1',
        'idleTimeoutMs': 120000, 'maxBodyBytes': 8388608, 'port': 4000},
    'localKeys': [],
    'priceOverrides': [],
    'providers': [
        {'baseUrl': 'https://api.openai.com/v1', 'credentialRef': 'keychain:openai', 'id': 'openai', 'preset': 'openai'},
        {'baseUrl': 'https://openrouter.ai/api/v1', 'credentialRef': '', 'id': 'or', 'preset': 'openrouter'}
    ],
    'routes': [{'name': 'smart', 'targets': ['openai/gpt-4o', 'or/anthropic/claude-3.5-sonnet']}],
    'secretNames': ['openai'],
    'version': 1
})");
        const Result<Workspace> workspace = WorkspaceCodec::fromJson(v1);
        QVERIFY2(workspace.isOk(), qPrintable(workspace.errorMessage()));
        QCOMPARE(workspace->version, 2);
        QCOMPARE(workspace->routes.size(), 1);
        const Routing::Route &smart = workspace->routes.at(0);
        QCOMPARE(smart.targets,
            (QList<Routing::RouteTarget> {{u"openai"_s, u"gpt-4o"_s}, {u"or"_s, u"anthropic/claude-3.5-sonnet"_s}}));
        // Everything a version 1 route could not say takes its default.
        QCOMPARE(smart.strategy, Routing::Strategy::Fallback);
        QCOMPARE(smart.fallbackOn, Routing::Route::defaultFallbackConditions());
        QCOMPARE(smart.retry, Routing::RetryPolicy {});
        QCOMPARE(smart.breaker, Routing::BreakerPolicy {});
        QCOMPARE(smart.deadlineMs, 0);
        QVERIFY(workspace->unknownFields.isEmpty());

        // Written back as version 2, with the routes unchanged in their compact form.
        const QJsonObject written = QJsonDocument::fromJson(WorkspaceCodec::toJson(workspace.value())).object();
        const QJsonObject original = QJsonDocument::fromJson(v1).object();
        QCOMPARE(written.value("version"_L1), QJsonValue(2));
        QCOMPARE(written.value("routes"_L1), original.value("routes"_L1));
        QCOMPARE(written.value("providers"_L1), original.value("providers"_L1));
        QCOMPARE(written.value("budgets"_L1), QJsonValue(QJsonArray {}));
        QCOMPARE(written.value("limits"_L1), QJsonValue(QJsonArray {}));
        QCOMPARE(written.value("unpricedCostPerMillionTokens"_L1), QJsonValue(10.0));
        QCOMPARE(WorkspaceCodec::fromJson(WorkspaceCodec::toJson(workspace.value())).value(), workspace.value());
    }

    void readsTheDocumentedRouteForm()
    {
        const Result<Workspace> workspace = WorkspaceCodec::fromJson(document(TwoProviders,
            ", 'routes': [{'name': 'smart', 'strategy': 'weighted', 'targets': ['openai/gpt-4o', {'provider': 'groq', "
            "'model': 'llama-3.3-70b-versatile', 'weight': 2, 'timeoutMs': 30000, 'ttftTimeoutMs': 5000, 'retries': 1, "
            "'params': {'temperature': 0.2}}, {'route': 'cheap'}], 'fallbackOn': ['connect', 'timeout', "
            "'ttft-timeout', 'http-408', 'http-409', 'http-429', 'http-5xx', 'context-window', 'content-policy', "
            "'auth'], 'retry': {'maxRetries': 1, 'baseDelayMs': 500, 'maxDelayMs': 8000}, 'breaker': "
            "{'failureThreshold': 5, 'windowMs': 60000, 'cooldownMs': 30000}, 'deadlineMs': 120000}, {'name': "
            "'cheap', 'strategy': 'lowest-cost', 'targets': ['groq/llama-3.1-8b-instant', 'openai/gpt-4o-mini']}], "
            "'localKeys': [{'name': 'laptop', 'sha256': "
            "'0000000000000000000000000000000000000000000000000000000000000000'}], 'budgets': [{'scope': 'key', "
            "'name': 'laptop', 'limitUsd': 5.0, 'window': 'day'}, {'scope': 'route', 'name': 'smart', 'limitUsd': "
            "0.25}, {'scope': 'provider', 'name': 'openai', 'limitUsd': 100, 'window': 'week'}], 'limits': "
            "[{'scope': 'key', 'name': 'laptop', 'rpm': 60, 'tpm': 100000}, {'scope': 'target', 'name': "
            "'openai/gpt-4o', 'tpm': 30000}], 'unpricedCostPerMillionTokens': 2.5"));
        QVERIFY2(workspace.isOk(), qPrintable(workspace.errorMessage()));

        const Routing::Route &smart = workspace->routes.at(0);
        QCOMPARE(smart.strategy, Routing::Strategy::Weighted);
        QCOMPARE(smart.targets.size(), 3);
        QCOMPARE(smart.targets.at(0), Routing::RouteTarget(u"openai"_s, u"gpt-4o"_s));
        const Routing::RouteTarget &groq = smart.targets.at(1);
        QCOMPARE(groq.provider, u"groq"_s);
        QCOMPARE(groq.model, u"llama-3.3-70b-versatile"_s);
        QCOMPARE(groq.weight, 2);
        QCOMPARE(groq.timeoutMs, 30000);
        QCOMPARE(groq.ttftTimeoutMs, 5000);
        QCOMPARE(groq.retries, 1);
        QCOMPARE(groq.params, (QJsonObject {{u"temperature"_s, 0.2}}));
        QVERIFY(smart.targets.at(2).isNested());
        QCOMPARE(smart.targets.at(2).route, u"cheap"_s);
        QCOMPARE(smart.targets.at(2).weight, 1);
        QCOMPARE(int(smart.fallbackOn.toInt()), (1 << 10) - 1);
        QCOMPARE(smart.retry, (Routing::RetryPolicy {1, 500, 8000}));
        QCOMPARE(smart.breaker, (Routing::BreakerPolicy {5, 60000, 30000}));
        QCOMPARE(smart.deadlineMs, 120000);
        QCOMPARE(workspace->routes.at(1).strategy, Routing::Strategy::LowestCost);

        using Routing::Budget;
        using Routing::RateLimit;
        QCOMPARE(workspace->budgets,
            (QList<Budget> {{Budget::Scope::Key, u"laptop"_s, Money::fromUsd(5), Budget::Window::Day},
                {Budget::Scope::Route, u"smart"_s, Money::fromNanoUsd(250'000'000), Budget::Window::Month},
                {Budget::Scope::Provider, u"openai"_s, Money::fromUsd(100), Budget::Window::Week}}));
        QCOMPARE(workspace->limits,
            (QList<RateLimit> {{RateLimit::Scope::Key, u"laptop"_s, 60, 100000},
                {RateLimit::Scope::Target, u"openai/gpt-4o"_s, 0, 30000}}));
        QCOMPARE(workspace->unpricedCostPerMillionTokens, 2.5);
    }

    void writesTheCompactForm()
    {
        Workspace workspace;
        workspace.providers
            = {Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"groq"_s), u"groq"_s)};
        Routing::RouteTarget weighted(u"groq"_s, u"b"_s);
        weighted.weight = 2;
        Routing::RouteTarget nested;
        nested.route = u"other"_s;
        Routing::Route route(u"r"_s, {{u"groq"_s, u"a"_s}, weighted, nested});
        route.retry.maxRetries = 1;
        route.breaker.cooldownMs = 1000;
        workspace.routes = {route, Routing::Route(u"other"_s, {{u"groq"_s, u"c"_s}})};
        workspace.budgets
            = {{Routing::Budget::Scope::Route, u"r"_s, Money::fromUsd(1.5), Routing::Budget::Window::Month}};
        workspace.limits = {{Routing::RateLimit::Scope::Target, u"groq/a"_s, 30, 0}};

        const QJsonObject root = QJsonDocument::fromJson(WorkspaceCodec::toJson(workspace)).object();
        const QJsonArray routes = root.value("routes"_L1).toArray();
        QCOMPARE(routes.at(0).toObject(),
            QJsonDocument::fromJson(jsonText("{'name': 'r', 'targets': ['groq/a', {'provider': 'groq', 'model': 'b', "
                                             "'weight': 2}, {'route': 'other'}], 'retry': {'maxRetries': 1}, "
                                             "'breaker': {'cooldownMs': 1000}}"))
                .object());
        QCOMPARE(routes.at(1).toObject(),
            QJsonDocument::fromJson(jsonText("{'name': 'other', 'targets': ['groq/c']}")).object());
        QCOMPARE(root.value("budgets"_L1).toArray(),
            QJsonDocument::fromJson(jsonText("[{'scope': 'route', 'name': 'r', 'limitUsd': 1.5, 'window': 'month'}]"))
                .array());
        QCOMPARE(root.value("limits"_L1).toArray(),
            QJsonDocument::fromJson(jsonText("[{'scope': 'target', 'name': 'groq/a', 'rpm': 30}]")).array());
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
        QCOMPARE(decoded->budgets, original.budgets);
        QCOMPARE(decoded->limits, original.limits);
        QCOMPARE(decoded->unpricedCostPerMillionTokens, original.unpricedCostPerMillionTokens);
        QCOMPARE(decoded->unknownFields, original.unknownFields);
        QCOMPARE(decoded.value(), original);
        // Writing is stable, so saving an unchanged workspace does not change the file.
        QCOMPARE(WorkspaceCodec::toJson(decoded.value()), json);
    }

    void writesReadableJson()
    {
        const QByteArray json = WorkspaceCodec::toJson(richWorkspace());
        QVERIFY(json.contains("\n    \"version\": 2"));
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

    void validateChecksInMemoryRoutingSettings_data()
    {
        QTest::addColumn<int>("change");
        QTest::addColumn<QString>("message");
        QTest::newRow("cycle") << 0
                               << u"routes[0].targets[2]: route \"fast\" leads back to itself (fast -> balanced -> "
                                  "fast)"_s;
        QTest::newRow("target both kinds")
            << 1 << u"routes[2].targets[2]: a target names either \"provider\" and \"model\", or \"route\", not both"_s;
        QTest::newRow("budget of a removed route")
            << 2 << u"budgets[2].name: route \"balanced\" is not defined in routes"_s;
        QTest::newRow("unpriced free") << 3
                                       << u"unpricedCostPerMillionTokens: 0 is out of range (more than 0, at most "
                                          "1000000): requests whose price is unknown are charged this many US dollars "
                                          "per million tokens, never nothing"_s;
    }

    void validateChecksInMemoryRoutingSettings()
    {
        QFETCH(int, change);
        QFETCH(QString, message);
        Workspace workspace = richWorkspace();
        switch (change) {
        case 0: {
            Routing::RouteTarget nested;
            nested.route = u"balanced"_s;
            workspace.routes[0].targets.append(nested);
            break;
        }
        case 1:
            workspace.routes[2].targets[2].provider = u"openai"_s;
            break;
        case 2:
            workspace.routes.removeAt(2);
            break;
        default:
            workspace.unpricedCostPerMillionTokens = 0;
        }
        QCOMPARE(WorkspaceCodec::validate(workspace).errorMessage(), message);
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
