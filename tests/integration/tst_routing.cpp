// Routing through the real gateway over loopback: retries, fallback conditions, timeouts,
// circuit breakers, budgets, rate limits, nested routes, strategies and parameter overrides,
// observed from the client (status, x-switchyard-* headers), the fake provider (what reached
// it) and the SQLite ledger (one row per attempt, the decision trace on the last).
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/model/money.h"
#include "core/pricing/pricecatalog.h"
#include "core/routing/budget.h"
#include "core/routing/budgetbook.h"
#include "core/routing/route.h"
#include "core/secrets/keychain.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Routing::FallbackCondition;
using Routing::Route;
using Routing::RouteTarget;
using Testing::FakeProvider;

namespace {

QByteArray chatBody(const QString &model, bool stream, const QJsonObject &extra = {})
{
    QJsonObject body {{u"model"_s, model},
        {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
    if (stream) {
        body.insert(u"stream"_s, true);
    }
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        body.insert(it.key(), it.value());
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QString streamText(const QByteArray &bytes)
{
    QString text;
    for (const QByteArray &line : bytes.split('\n')) {
        if (!line.startsWith("data: ") || line == "data: [DONE]") {
            continue;
        }
        const QJsonObject chunk = QJsonDocument::fromJson(line.mid(6)).object();
        for (const QJsonValue &choice : chunk.value(u"choices"_s).toArray()) {
            text += choice.toObject().value(u"delta"_s).toObject().value(u"content"_s).toString();
        }
    }
    return text;
}

// What the client saw of one request.
struct Answer
{
    int status = 0; // 0: no answer within the wait
    QByteArray body;
    QByteArray target;
    QByteArray attempts;
    QByteArray trace;
    QByteArray retryAfter;

    QJsonObject error() const { return QJsonDocument::fromJson(body).object().value(u"error"_s).toObject(); }
};

RouteTarget nestedTarget(const QString &route)
{
    RouteTarget target;
    target.route = route;
    return target;
}

QJsonObject traceJson(const Ledger::UsageRecord &record)
{
    return QJsonDocument::fromJson(record.trace).object();
}

const QString DefaultAnswer = u"Hello from the fake provider."_s;

// The gateway as `switchyard serve` assembles it: a workspace file, a ledger file and the
// GatewayRuntime between them (which seeds budgets from the ledger and records breaker changes
// in it), with the fake provider as "fake" behind an env: credential.
class ServedGateway
{
public:
    ServedGateway() = default;
    ~ServedGateway()
    {
        m_runtime.reset();
        if (m_ledger) {
            m_ledger->close();
        }
    }
    Q_DISABLE_COPY_MOVE(ServedGateway)

    QString ledgerPath() const { return m_dir.filePath(u"data/ledger.sqlite"_s); }
    FakeProvider &provider() { return m_provider; }
    Gateway::GatewayService &gateway() { return *m_runtime->gateway(); }
    Ledger::Ledger &ledger() { return *m_ledger; }
    const QString &clientKey() const { return m_clientKey; }

    // Empty on success, otherwise what failed. `edit` adds routes, budgets, ... to the workspace.
    QString start(const std::function<void(Config::Workspace &)> &edit)
    {
        if (!m_dir.isValid() || !m_provider.start()) {
            return u"no temporary folder or the fake provider cannot listen"_s;
        }
        m_provider.setRequiredKey(QByteArray(Testing::GatewayFixture::UpstreamKey));
        qputenv(CredentialVariable, QByteArray(Testing::GatewayFixture::UpstreamKey));
        Providers::ProviderProfile fake;
        fake.id = u"fake"_s;
        fake.preset = u"openai"_s;
        fake.baseUrl = m_provider.baseUrl();
        fake.credentialRef = u"env:"_s + QString::fromLatin1(CredentialVariable);
        fake.models = {u"gpt-4o-mini"_s};
        Config::Workspace workspace;
        workspace.providers = {fake};
        auto [key, plaintext] = Config::LocalKey::generate(u"tests"_s);
        workspace.localKeys = {key};
        m_clientKey = plaintext;
        workspace.gateway.firstByteTimeoutMs = 2000;
        edit(workspace);

        m_store = std::make_unique<Config::WorkspaceStore>(m_dir.filePath(u"workspace.json"_s));
        if (Status saved = m_store->save(workspace); !saved) {
            return saved.errorMessage();
        }
        m_ledger = std::make_unique<Ledger::Ledger>(ledgerPath());
        if (Status opened = m_ledger->open(); !opened) {
            return opened.errorMessage();
        }
        m_keychain = std::make_unique<Secrets::Keychain>(
            u"switchyard-tst-routing-"_s + QUuid::createUuid().toString(QUuid::Id128));
        const auto catalog = Pricing::PriceCatalog::loadBundled();
        m_runtime = std::make_unique<Gateway::GatewayRuntime>(
            m_store.get(), m_ledger.get(), catalog ? catalog.value() : Pricing::PriceCatalog(), m_keychain.get());
        QSignalSpy ready(m_runtime.get(), &Gateway::GatewayRuntime::ready);
        m_runtime->refreshCredentials();
        if (!ready.wait(5000)) {
            return u"the gateway runtime did not get ready"_s;
        }
        if (Status started = gateway().start(u"127.0.0.1"_s, 0); !started) {
            return started.errorMessage();
        }
        return {};
    }

private:
    static constexpr const char *CredentialVariable = "SWITCHYARD_TST_ROUTING_UPSTREAM_KEY";

    QTemporaryDir m_dir;
    FakeProvider m_provider;
    std::unique_ptr<Config::WorkspaceStore> m_store;
    std::unique_ptr<Ledger::Ledger> m_ledger;
    std::unique_ptr<Secrets::Keychain> m_keychain;
    std::unique_ptr<Gateway::GatewayRuntime> m_runtime;
    QString m_clientKey;
};

Ledger::UsageRecord pastRecord(const QDateTime &time, const QString &keyName, qint64 promptTokens,
    qint64 completionTokens, std::optional<Money> cost)
{
    Ledger::UsageRecord record;
    record.time = time.toUTC();
    record.requestId = u"earlier"_s;
    record.keyName = keyName;
    record.provider = u"fake"_s;
    record.model = cost ? u"gpt-4o-mini"_s : u"unpriced-model"_s;
    record.status = 200;
    record.usage = Usage {promptTokens, completionTokens, 0, 0, 0, true, {}};
    record.cost = cost;
    return record;
}

} // namespace

class TestRouting : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void traceHeaderEndsWithAnsweringAttempt();
    void retriesSameTargetAfterRetryAfter();
    void fallsBackOnlyOnConfiguredConditions_data();
    void fallsBackOnlyOnConfiguredConditions();
    void contextWindowErrorFallsBackWhenConfigured_data();
    void contextWindowErrorFallsBackWhenConfigured();
    void ttftTimeoutFallsBack_data();
    void ttftTimeoutFallsBack();
    void circuitBreakerOpensSkipsAndClosesAfterProbe();
    void keyBudgetStopsBurst();
    void keyRateLimitStopsBurst();
    void nestedRouteFallsThroughToOuterTarget();
    void weightedStrategyUsesEveryTarget();
    void targetParamsOverrideRequest_data();
    void targetParamsOverrideRequest();
    void breakerTransitionsAreRecordedInLedger();
    void budgetStartsFromLedgerSpendIncludingUnpriced();

private:
    void addRoute(const Route &route);
    QNetworkReply *post(const QByteArray &body);
    QNetworkReply *post(quint16 port, const QString &clientKey, const QByteArray &body);
    Answer collect(QNetworkReply *reply);
    Answer call(const QString &model, bool stream = false, const QJsonObject &extra = {});
    QList<Ledger::UsageRecord> ledgerRecords() { return m_fixture->ledgerRecords(); }
    FakeProvider *provider() { return &m_fixture->provider(); }

    std::unique_ptr<Testing::GatewayFixture> m_fixture;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestRouting::init()
{
    m_fixture = std::make_unique<Testing::GatewayFixture>();
    const QString problem = m_fixture->start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestRouting::cleanup()
{
    m_network.reset();
    m_fixture.reset();
}

void TestRouting::addRoute(const Route &route)
{
    m_fixture->workspace().routes.append(route);
    m_fixture->applyWorkspace();
}

QNetworkReply *TestRouting::post(const QByteArray &body)
{
    return post(m_fixture->gateway().port(), m_fixture->clientKey(), body);
}

QNetworkReply *TestRouting::post(quint16 port, const QString &clientKey, const QByteArray &body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Authorization", "Bearer " + clientKey.toUtf8());
    request.setRawHeader("x-switchyard-debug", "1");
    return m_network->post(request, body);
}

Answer TestRouting::collect(QNetworkReply *reply)
{
    Answer answer;
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(15000)) {
            return answer;
        }
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.target = reply->rawHeader("x-switchyard-target");
    answer.attempts = reply->rawHeader("x-switchyard-attempts");
    answer.trace = reply->rawHeader("x-switchyard-trace");
    answer.retryAfter = reply->rawHeader("retry-after");
    return answer;
}

Answer TestRouting::call(const QString &model, bool stream, const QJsonObject &extra)
{
    std::unique_ptr<QNetworkReply> reply(post(chatBody(model, stream, extra)));
    return collect(reply.get());
}

void TestRouting::traceHeaderEndsWithAnsweringAttempt()
{
    FakeProvider::Script failing;
    failing.status = 503;
    provider()->setScript(u"first"_s, failing);

    const Answer answer = call(u"pair"_s);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.target, "fake/gpt-4o-mini"_ba);
    QCOMPARE(traceJson(ledgerRecords().last()).value(u"attempts"_s).toArray().size(), 2);
    QCOMPARE(answer.trace, "pair fallback: fake/first 503 http_5xx -> fallback; fake/gpt-4o-mini 200 ok"_ba);
}

void TestRouting::retriesSameTargetAfterRetryAfter()
{
    FakeProvider::Script overloaded;
    overloaded.status = 503;
    overloaded.retryAfter = "1"_ba;
    provider()->setScript(u"flaky"_s, overloaded);
    // The fake fixes each request's script when it arrives: from the second request on, it answers.
    connect(provider(), &FakeProvider::requestReceived, this, [this](const QString &model) {
        if (model == u"flaky"_s) {
            provider()->setScript(u"flaky"_s, FakeProvider::Script());
        }
    });
    Route route(u"retrying"_s, {{u"fake"_s, u"flaky"_s}, {u"fake"_s, u"gpt-4o-mini"_s}});
    route.retry.maxRetries = 1;
    addRoute(route);

    const Answer answer = call(u"retrying"_s);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.target, "fake/flaky"_ba);
    QCOMPARE(answer.attempts, "2"_ba);
    // The provider's Retry-After (1 s) sets the delay, not the route's jittered backoff.
    QVERIFY2(answer.trace.startsWith("retrying fallback: fake/flaky 503 http_5xx -> retry in 1000ms"),
        answer.trace.constData());
    QCOMPARE(provider()->requestCount(u"flaky"_s), 2);
    QCOMPARE(provider()->requestCount(u"gpt-4o-mini"_s), 0);

    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).attempt, 1);
    QCOMPARE(records.at(0).status, 503);
    QCOMPARE(records.at(0).errorClass, u"http_5xx"_s);
    QCOMPARE(records.at(0).model, u"flaky"_s);
    QVERIFY(records.at(0).trace.isEmpty());
    QCOMPARE(records.at(1).attempt, 2);
    QCOMPARE(records.at(1).status, 200);
    QCOMPARE(records.at(1).errorClass, QString());
    QCOMPARE(records.at(1).model, u"flaky"_s);
    QCOMPARE(records.at(1).requestId, records.at(0).requestId);
    const QJsonArray attempts = traceJson(records.at(1)).value(u"attempts"_s).toArray();
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts.at(0)[u"next"_s].toString(), u"retry"_s);
    QCOMPARE(attempts.at(0)[u"delayMs"_s].toInteger(), 1000);
    QCOMPARE(attempts.at(0)[u"condition"_s].toString(), u"http_5xx"_s);
    QCOMPARE(attempts.at(1)[u"next"_s].toString(), u"answered"_s);
}

void TestRouting::fallsBackOnlyOnConfiguredConditions_data()
{
    QTest::addColumn<QString>("firstProvider");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorClass");
    QTest::addColumn<int>("secondCalls");
    QTest::addColumn<QByteArray>("trace");

    QTest::newRow("503 is not a condition: passed to the client")
        << u"fake"_s << 503 << u"http_5xx"_s << 0 << "strict fallback: fake/first 503 http_5xx"_ba;
    QTest::newRow("connect is a condition: falls back")
        << u"down"_s << 200 << u"connect"_s << 1 << "strict fallback: down/first connect -> fallback"_ba;
}

void TestRouting::fallsBackOnlyOnConfiguredConditions()
{
    QFETCH(QString, firstProvider);
    QFETCH(int, status);
    QFETCH(QString, errorClass);
    QFETCH(int, secondCalls);
    QFETCH(QByteArray, trace);
    FakeProvider::Script failing;
    failing.status = 503;
    provider()->setScript(u"first"_s, failing);
    Route route(u"strict"_s, {{firstProvider, u"first"_s}, {u"fake"_s, u"gpt-4o-mini"_s}});
    route.fallbackOn = FallbackCondition::Connect;
    addRoute(route);

    const Answer answer = call(u"strict"_s);
    QCOMPARE(answer.status, status);
    QVERIFY2(answer.trace.startsWith(trace), answer.trace.constData());
    QCOMPARE(provider()->requestCount(u"gpt-4o-mini"_s), secondCalls);
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 1 + secondCalls);
    QCOMPARE(records.first().errorClass, errorClass);
}

void TestRouting::contextWindowErrorFallsBackWhenConfigured_data()
{
    QTest::addColumn<bool>("contextWindowCondition");
    QTest::newRow("ContextWindow in fallbackOn") << true;
    QTest::newRow("default fallbackOn") << false;
}

void TestRouting::contextWindowErrorFallsBackWhenConfigured()
{
    QFETCH(bool, contextWindowCondition);
    FakeProvider::Script tooLong;
    tooLong.status = 400;
    tooLong.errorBody = R"({"error":{"message":"This model's maximum context length is 8192 tokens.",)"
                        R"("type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})"_ba;
    provider()->setScript(u"small"_s, tooLong);
    Route route(u"roomy"_s, {{u"fake"_s, u"small"_s}, {u"fake"_s, u"gpt-4o-mini"_s}});
    if (contextWindowCondition) {
        route.fallbackOn |= FallbackCondition::ContextWindow;
    }
    addRoute(route);

    const Answer answer = call(u"roomy"_s);
    const auto records = ledgerRecords();
    QCOMPARE(records.first().status, 400);
    QCOMPARE(records.first().errorClass, u"http_4xx"_s);
    const QJsonArray attempts = traceJson(records.last()).value(u"attempts"_s).toArray();
    QCOMPARE(attempts.first()[u"condition"_s].toString(), u"context_window"_s);
    QCOMPARE(attempts.first()[u"errorCode"_s].toString(), u"context_length_exceeded"_s);
    if (contextWindowCondition) {
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.target, "fake/gpt-4o-mini"_ba);
        QCOMPARE(provider()->requestCount(u"gpt-4o-mini"_s), 1);
        QCOMPARE(records.size(), 2);
        QCOMPARE(attempts.first()[u"next"_s].toString(), u"fallback"_s);
    } else {
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.error().value(u"code"_s).toString(), u"context_length_exceeded"_s);
        QCOMPARE(
            answer.error().value(u"message"_s).toString(), u"This model's maximum context length is 8192 tokens."_s);
        QCOMPARE(provider()->requestCount(u"gpt-4o-mini"_s), 0);
        QCOMPARE(records.size(), 1);
        QCOMPARE(attempts.first()[u"next"_s].toString(), u"answered"_s);
    }
}

void TestRouting::ttftTimeoutFallsBack_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestRouting::ttftTimeoutFallsBack()
{
    QFETCH(bool, stream);
    FakeProvider::Script slow;
    slow.headDelayMs = 2000;
    slow.chunkDelayMs = 2000;
    provider()->setScript(u"slow"_s, slow);
    RouteTarget first(u"fake"_s, u"slow"_s);
    first.ttftTimeoutMs = 200;
    addRoute(Route(u"snappy"_s, {first, {u"fake"_s, u"gpt-4o-mini"_s}}));

    const Answer answer = call(u"snappy"_s, stream);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.target, "fake/gpt-4o-mini"_ba);
    QCOMPARE(answer.attempts, "2"_ba);
    QVERIFY2(answer.trace.startsWith("snappy fallback: fake/slow ttft_timeout -> fallback"), answer.trace.constData());
    if (stream) {
        QCOMPARE(streamText(answer.body), DefaultAnswer);
    }
    QCOMPARE(provider()->requestCount(u"slow"_s), 1);
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).errorClass, u"ttft_timeout"_s);
    QCOMPARE(records.at(0).model, u"slow"_s);
    QCOMPARE(records.at(1).errorClass, QString());
    QCOMPARE(records.at(1).model, u"gpt-4o-mini"_s);
}

void TestRouting::circuitBreakerOpensSkipsAndClosesAfterProbe()
{
    FakeProvider::Script failing;
    failing.status = 503;
    provider()->setScript(u"flaky"_s, failing);
    Route route(u"guarded"_s, {{u"fake"_s, u"flaky"_s}, {u"fake"_s, u"gpt-4o-mini"_s}});
    route.breaker = {2, 60000, 500};
    addRoute(route);

    for (int i = 0; i < 2; ++i) {
        const Answer answer = call(u"guarded"_s);
        QCOMPARE(answer.status, 200);
        QVERIFY2(
            answer.trace.startsWith("guarded fallback: fake/flaky 503 http_5xx -> fallback"), answer.trace.constData());
    }
    QCOMPARE(provider()->requestCount(u"flaky"_s), 2);

    // Open: the target is passed over without a request.
    const Answer skipped = call(u"guarded"_s);
    QCOMPARE(skipped.status, 200);
    QCOMPARE(skipped.target, "fake/gpt-4o-mini"_ba);
    QCOMPARE(skipped.attempts, "1"_ba);
    QVERIFY2(skipped.trace.endsWith("skipped fake/flaky (breaker_open)"), skipped.trace.constData());
    QCOMPARE(provider()->requestCount(u"flaky"_s), 2);

    // After the cooldown one probe goes through; it succeeds and closes the breaker.
    provider()->setScript(u"flaky"_s, FakeProvider::Script());
    // Polls with requests; once one reached the target, the check holds without sending more
    // (QTRY evaluates its condition again after it held).
    Answer probe;
    bool probed = false;
    const auto probeReachedFlaky = [&] {
        if (!probed) {
            probe = call(u"guarded"_s);
            probed = probe.status == 0 || probe.target == "fake/flaky"_ba;
        }
        return probed;
    };
    QTRY_VERIFY_WITH_TIMEOUT(probeReachedFlaky(), 10000);
    QCOMPARE(probe.status, 200);
    QVERIFY2(!probe.trace.contains("skipped"), probe.trace.constData());
    QCOMPARE(provider()->requestCount(u"flaky"_s), 3);

    const Answer closed = call(u"guarded"_s);
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.target, "fake/flaky"_ba);
    QVERIFY2(!closed.trace.contains("skipped"), closed.trace.constData());
    QCOMPARE(provider()->requestCount(u"flaky"_s), 4);
}

void TestRouting::keyBudgetStopsBurst()
{
    constexpr int Burst = 5;
    constexpr int Admitted = 2;
    const QByteArray body = chatBody(u"smart"_s, false, {{u"max_tokens"_s, 2}});
    // The gateway reserves the dearest target's price for (body bytes / 4) prompt tokens and
    // max_tokens output tokens, and settles the fake's usage (12 prompt, 4 of them cached, 8
    // completion). gpt-4o-mini in the bundled catalog: $0.15/M input, $0.075/M cached, $0.60/M output.
    const qint64 estimate = Money::fromUsd(0.15e-6 * double(body.size() / 4) + 0.60e-6 * 2.0).nanoUsd();
    constexpr qint64 charged = 6300;
    const qint64 high = qMax(estimate, charged);
    const qint64 low = qMin(estimate, charged);
    // Whatever order the reservations and settlements interleave in, the spend after k admitted
    // requests lies between k*low and k*high; a limit in [high + estimate, 2*low + estimate)
    // admits exactly two.
    QVERIFY2(2 * low > high, "the request's estimate is too far from its charge for an exact count");
    const qint64 limit = estimate + (high + 2 * low) / 2;
    m_fixture->workspace().budgets = {Routing::Budget {
        Routing::Budget::Scope::Key, u"tests"_s, Money::fromNanoUsd(limit), Routing::Budget::Window::Month}};
    m_fixture->applyWorkspace();
    FakeProvider::Script slowish;
    slowish.headDelayMs = 300; // the admitted requests are still in flight while the rest arrive
    provider()->setScript(u"gpt-4o-mini"_s, slowish);

    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < Burst; ++i) {
        replies.emplace_back(post(body));
    }
    int succeeded = 0;
    for (const auto &reply : replies) {
        const Answer answer = collect(reply.get());
        if (answer.status == 200) {
            ++succeeded;
            continue;
        }
        QCOMPARE(answer.status, 429);
        QCOMPARE(answer.error().value(u"code"_s).toString(), u"budget_exceeded"_s);
        QVERIFY(!answer.error().value(u"message"_s).toString().isEmpty());
        QVERIFY2(answer.retryAfter.toInt() > 0, answer.retryAfter.constData());
        QCOMPARE(answer.attempts, "0"_ba);
    }
    QCOMPARE(succeeded, Admitted);
    QCOMPARE(provider()->totalRequests(), Admitted);
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), Admitted);
    for (const auto &record : records) {
        QVERIFY(record.cost.has_value());
        QCOMPARE(record.cost->nanoUsd(), charged);
    }
}

void TestRouting::keyRateLimitStopsBurst()
{
    constexpr int Burst = 3;
    constexpr int Admitted = 2;
    m_fixture->workspace().limits = {Routing::RateLimit {Routing::RateLimit::Scope::Key, u"tests"_s, Admitted, 0}};
    m_fixture->applyWorkspace();

    std::vector<std::unique_ptr<QNetworkReply>> replies;
    for (int i = 0; i < Burst; ++i) {
        replies.emplace_back(post(chatBody(u"smart"_s, false)));
    }
    int succeeded = 0;
    int refused = 0;
    for (const auto &reply : replies) {
        const Answer answer = collect(reply.get());
        if (answer.status == 200) {
            ++succeeded;
            continue;
        }
        ++refused;
        QCOMPARE(answer.status, 429);
        QCOMPARE(answer.error().value(u"code"_s).toString(), u"rate_limit_exceeded"_s);
        QVERIFY2(answer.retryAfter.toInt() > 0, answer.retryAfter.constData());
    }
    QCOMPARE(succeeded, Admitted);
    QCOMPARE(refused, Burst - Admitted);
    QCOMPARE(provider()->totalRequests(), Admitted);
}

void TestRouting::nestedRouteFallsThroughToOuterTarget()
{
    addRoute(Route(u"inner"_s, {{u"down"_s, u"gpt-4o"_s}}));
    addRoute(Route(u"outer"_s, {nestedTarget(u"inner"_s), {u"fake"_s, u"gpt-4o-mini"_s}}));

    const Answer answer = call(u"outer"_s);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.target, "fake/gpt-4o-mini"_ba);
    QCOMPARE(answer.attempts, "2"_ba);
    QVERIFY2(answer.trace.startsWith("outer fallback: down/gpt-4o connect -> fallback"), answer.trace.constData());
    const auto records = ledgerRecords();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).provider, u"down"_s);
    QCOMPARE(records.at(0).errorClass, u"connect"_s);
    QCOMPARE(records.at(0).route, u"outer"_s);
    const QJsonArray planned = traceJson(records.at(1)).value(u"planned"_s).toArray();
    QCOMPARE(planned.size(), 2);
    QCOMPARE(planned.at(0)[u"target"_s].toString(), u"down/gpt-4o"_s);
    QCOMPARE(planned.at(0)[u"route"_s].toString(), u"inner"_s);
    QCOMPARE(planned.at(1)[u"target"_s].toString(), u"fake/gpt-4o-mini"_s);
    QCOMPARE(planned.at(1)[u"route"_s].toString(), u"outer"_s);
}

void TestRouting::weightedStrategyUsesEveryTarget()
{
    constexpr int Requests = 40;
    RouteTarget heavy(u"fake"_s, u"heavy"_s);
    heavy.weight = 2;
    RouteTarget light(u"fake"_s, u"light"_s);
    Route route(u"spread"_s, {heavy, light});
    route.strategy = Routing::Strategy::Weighted;
    addRoute(route);

    for (int i = 0; i < Requests; ++i) {
        const Answer answer = call(u"spread"_s);
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.attempts, "1"_ba);
        QVERIFY(answer.trace.startsWith("spread weighted: "));
    }
    QCOMPARE(provider()->totalRequests(), Requests);
    QVERIFY(provider()->requestCount(u"heavy"_s) > 0);
    QVERIFY(provider()->requestCount(u"light"_s) > 0);
}

void TestRouting::targetParamsOverrideRequest_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestRouting::targetParamsOverrideRequest()
{
    QFETCH(bool, stream);
    RouteTarget tuned(u"fake"_s, u"gpt-4o"_s);
    tuned.params = {{u"temperature"_s, 0.1}};
    addRoute(Route(u"tuned"_s, {tuned}));

    const Answer answer = call(u"tuned"_s, stream, {{u"temperature"_s, 0.9}, {u"max_tokens"_s, 7}});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.target, "fake/gpt-4o"_ba);
    if (stream) {
        QCOMPARE(streamText(answer.body), DefaultAnswer);
    }
    QCOMPARE(provider()->requests().size(), 1);
    const QJsonObject upstream = QJsonDocument::fromJson(provider()->requests().first().body).object();
    QCOMPARE(upstream.value(u"model"_s).toString(), u"gpt-4o"_s);
    QCOMPARE(upstream.value(u"temperature"_s).toDouble(), 0.1);
    QCOMPARE(upstream.value(u"max_tokens"_s).toInt(), 7);
    QCOMPARE(upstream.value(u"messages"_s)[0][u"content"_s].toString(), u"Hi"_s);
    QCOMPARE(upstream.value(u"stream"_s).toBool(), stream);
    QCOMPARE(upstream.value(u"stream_options"_s)[u"include_usage"_s].toBool(), stream);
}

void TestRouting::breakerTransitionsAreRecordedInLedger()
{
    ServedGateway served;
    const QString problem = served.start([](Config::Workspace &workspace) {
        Route route(u"guarded"_s, {{u"fake"_s, u"flaky"_s}, {u"fake"_s, u"gpt-4o-mini"_s}});
        route.breaker = {2, 60000, 500};
        workspace.routes = {route};
    });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();
    const auto callGuarded = [&] {
        std::unique_ptr<QNetworkReply> reply(
            post(served.gateway().port(), served.clientKey(), chatBody(u"guarded"_s, false)));
        return collect(reply.get());
    };
    FakeProvider::Script failing;
    failing.status = 503;
    served.provider().setScript(u"flaky"_s, failing);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(callGuarded().status, 200);
    }
    QCOMPARE(served.provider().requestCount(u"flaky"_s), 2);

    // After the cooldown the probe reaches the target, succeeds and closes the breaker.
    served.provider().setScript(u"flaky"_s, FakeProvider::Script());
    bool probed = false;
    const auto probeReachedFlaky = [&] {
        if (!probed) {
            const Answer answer = callGuarded();
            probed = answer.status == 0 || answer.target == "fake/flaky"_ba;
        }
        return probed;
    };
    QTRY_VERIFY_WITH_TIMEOUT(probeReachedFlaky(), 10000);
    QCOMPARE(served.provider().requestCount(u"flaky"_s), 3);

    served.ledger().flush();
    auto reader = Ledger::LedgerReader::open(served.ledgerPath());
    QVERIFY2(reader.isOk(), qPrintable(reader.errorMessage()));
    const auto events = reader->breakerEvents(QDateTime(), 10);
    QVERIFY2(events.isOk(), qPrintable(events.errorMessage()));
    QCOMPARE(events->size(), 3); // newest first
    const QStringList expected[] = {
        {u"half_open"_s, u"closed"_s, u"probe succeeded"_s},
        {u"open"_s, u"half_open"_s, u"cooldown of 500 ms ended"_s},
        {u"closed"_s, u"open"_s, u"2 failure(s) within 60 s"_s},
    };
    for (qsizetype i = 0; i < events->size(); ++i) {
        const Ledger::BreakerEvent &event = events->at(i);
        QCOMPARE(event.provider, u"fake"_s);
        QCOMPARE(event.model, u"flaky"_s);
        QCOMPARE((QStringList {event.fromState, event.toState, event.reason}), expected[i]);
        QVERIFY(event.time >= startedAt.addMSecs(-1));
        QVERIFY(event.time <= QDateTime::currentDateTimeUtc());
    }
    // Half-open dates from the end of the cooldown, not from the request that noticed it.
    QVERIFY(events->at(2).time < events->at(1).time);
}

void TestRouting::budgetStartsFromLedgerSpendIncludingUnpriced()
{
    constexpr double UnpricedUsdPerMillion = 100.0;
    const Money limit = Money::fromUsd(0.15);
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime windowStart = Routing::BudgetBook::windowStart(Routing::Budget::Window::Month, now);

    ServedGateway served;
    {
        // What earlier runs left in the ledger.
        Ledger::Ledger earlier(served.ledgerPath());
        QVERIFY(earlier.open().isOk());
        earlier.append(pastRecord(now, u"tests"_s, 1000, 500, Money::fromUsd(0.01)));
        earlier.append(pastRecord(now, u"tests"_s, 600, 400, std::nullopt)); // $0.10 at the unpriced rate
        earlier.append(pastRecord(now, u"other"_s, 1000, 500, Money::fromUsd(1.0)));
        earlier.append(pastRecord(windowStart.addSecs(-3600), u"tests"_s, 1000, 500, Money::fromUsd(1.0)));
        earlier.append(pastRecord(windowStart.addSecs(-3600), u"tests"_s, 6000, 4000, std::nullopt));
        earlier.close();
    }
    const QString problem = served.start([&limit](Config::Workspace &workspace) {
        workspace.routes = {Route(u"smart"_s, {{u"fake"_s, u"gpt-4o-mini"_s}})};
        workspace.unpricedCostPerMillionTokens = UnpricedUsdPerMillion;
        workspace.budgets
            = {Routing::Budget {Routing::Budget::Scope::Key, u"tests"_s, limit, Routing::Budget::Window::Month}};
    });
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const auto accounts = served.gateway().budgets().accounts();
    QCOMPARE(accounts.size(), 1);
    // $0.01 priced + 1000 unpriced tokens at $100 per million; the other key and the rows
    // before this month do not count.
    QCOMPARE(accounts.first().spent.nanoUsd(), Money::fromUsd(0.11).nanoUsd());

    const auto callSmart = [&](int maxTokens) {
        std::unique_ptr<QNetworkReply> reply(post(
            served.gateway().port(), served.clientKey(), chatBody(u"smart"_s, false, {{u"max_tokens"_s, maxTokens}})));
        return collect(reply.get());
    };
    // gpt-4o-mini output is $0.60 per million tokens: 100000 of them ($0.06) exceed the $0.04
    // left, though they would fit if the unpriced tokens were forgotten.
    const Answer refused = callSmart(100000);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.error().value(u"code"_s).toString(), u"budget_exceeded"_s);
    const QString message = refused.error().value(u"message"_s).toString();
    QVERIFY2(message.contains(u"key \"tests\""_s), qPrintable(message));
    QCOMPARE(served.provider().totalRequests(), 0);

    const Answer admitted = callSmart(1000);
    QCOMPARE(admitted.status, 200);
    QCOMPARE(served.provider().totalRequests(), 1);
}

QTEST_GUILESS_MAIN(TestRouting)
#include "tst_routing.moc"
