#include "core/routing/decisiontrace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard::Routing;

namespace {

RouteTarget target(const QString &text)
{
    return RouteTarget::parse(text).value();
}

DecisionTrace::Attempt attempt(const QString &text, qint64 startedAtMs, int status,
    std::optional<FallbackCondition> condition, DecisionTrace::Next next, qint64 delayMs = 0)
{
    DecisionTrace::Attempt result;
    result.target = target(text);
    result.startedAtMs = startedAtMs;
    result.outcome.httpStatus = status;
    result.outcome.latencyMs = 40;
    result.condition = condition;
    result.next = next;
    result.delayMs = delayMs;
    return result;
}

RoutePlan plan(const QString &routeName, Strategy strategy)
{
    RoutePlan result;
    result.routeName = routeName;
    result.strategy = strategy;
    result.targets = {{target(u"openai/gpt-4o"_s), routeName, {}, u"position 1 of 2"_s},
        {target(u"anthropic/claude-sonnet-4"_s), routeName, {}, u"position 2 of 2"_s}};
    return result;
}

} // namespace

class TestDecisionTrace : public QObject
{
    Q_OBJECT

private slots:
    void headerSummary_data()
    {
        QTest::addColumn<DecisionTrace>("trace");
        QTest::addColumn<QByteArray>("summary");

        DecisionTrace retried(plan(u"smart"_s, Strategy::Fallback));
        retried.addAttempt(
            attempt(u"openai/gpt-4o"_s, 0, 503, FallbackCondition::Http5xx, DecisionTrace::Next::Retry, 412));
        retried.addAttempt(attempt(u"openai/gpt-4o"_s, 460, 200, std::nullopt, DecisionTrace::Next::Answered));
        QTest::newRow("retry then ok")
            << retried << "smart fallback: openai/gpt-4o 503 http_5xx -> retry in 412ms; openai/gpt-4o 200 ok"_ba;

        DecisionTrace fellBack(plan(u"smart"_s, Strategy::Weighted));
        DecisionTrace::Attempt refused
            = attempt(u"openai/gpt-4o"_s, 0, 0, FallbackCondition::Connect, DecisionTrace::Next::Fallback);
        refused.outcome.transport = AttemptOutcome::Transport::Connect;
        fellBack.addAttempt(refused);
        fellBack.addAttempt(
            attempt(u"anthropic/claude-sonnet-4"_s, 3, 400, std::nullopt, DecisionTrace::Next::Answered));
        QTest::newRow("connect then client error")
            << fellBack << "smart weighted: openai/gpt-4o connect -> fallback; anthropic/claude-sonnet-4 400 error"_ba;

        RoutePlan withSkips = plan(u"long"_s, Strategy::LowestCost);
        withSkips.skipped = {{target(u"groq/llama-8b"_s), u"long"_s, SkippedTarget::Why::ContextWindow, u"…"_s},
            {target(u"x/y"_s), u"long"_s, SkippedTarget::Why::BreakerOpen, u"…"_s}};
        DecisionTrace exhausted(withSkips);
        DecisionTrace::Attempt cut
            = attempt(u"openai/gpt-4o"_s, 0, 200, FallbackCondition::Connect, DecisionTrace::Next::Exhausted);
        cut.outcome.transport = AttemptOutcome::Transport::Reset;
        exhausted.addAttempt(cut);
        QTest::newRow("skips and exhausted")
            << exhausted
            << "long lowest_cost: openai/gpt-4o 200 reset -> no target left; skipped groq/llama-8b (context_window); "
               "skipped x/y (breaker_open)"_ba;

        RoutePlan direct;
        direct.targets = {{target(u"openai/gpt-4o"_s), {}, {}, u"named directly"_s}};
        DecisionTrace directTrace(direct);
        directTrace.addAttempt(
            attempt(u"openai/gpt-4o"_s, 0, 429, FallbackCondition::Http429, DecisionTrace::Next::Exhausted));
        QTest::newRow("direct") << directTrace << "direct: openai/gpt-4o 429 http_429 -> no target left"_ba;

        QTest::newRow("nothing tried") << DecisionTrace(RoutePlan {}) << "direct: no attempts"_ba;

        RoutePlan hostile = plan(u"smart"_s, Strategy::Fallback);
        DecisionTrace injected(hostile);
        DecisionTrace::Attempt odd = attempt(u"openai/gpt-4o"_s, 0, 200, std::nullopt, DecisionTrace::Next::Answered);
        odd.target.model = u"gpt\r\nx: 1"_s;
        injected.addAttempt(odd);
        QTest::newRow("control characters") << injected << "smart fallback: openai/gpt??x: 1 200 ok"_ba;
    }

    void headerSummary()
    {
        QFETCH(DecisionTrace, trace);
        QFETCH(QByteArray, summary);
        QCOMPARE(trace.toHeaderSummary(), summary);
    }

    void json()
    {
        RoutePlan routePlan = plan(u"smart"_s, Strategy::Fallback);
        routePlan.skipped = {{target(u"groq/llama-8b"_s), u"smart"_s, SkippedTarget::Why::BreakerOpen,
            u"circuit breaker open, next probe in 3500 ms"_s}};
        DecisionTrace trace(routePlan);
        DecisionTrace::Attempt first
            = attempt(u"openai/gpt-4o"_s, 0, 429, FallbackCondition::Http429, DecisionTrace::Next::Retry, 1000);
        first.outcome.errorType = u"requests"_s;
        first.outcome.errorCode = u"rate_limit_exceeded"_s;
        first.outcome.errorMessage = u"may quote the prompt"_s;
        trace.addAttempt(first);
        trace.addAttempt(attempt(u"openai/gpt-4o"_s, 1010, 200, std::nullopt, DecisionTrace::Next::Answered));

        const QJsonObject expected = QJsonDocument::fromJson(R"({
            "route": "smart",
            "strategy": "fallback",
            "planned": [
                {"target": "openai/gpt-4o", "route": "smart", "reason": "position 1 of 2"},
                {"target": "anthropic/claude-sonnet-4", "route": "smart", "reason": "position 2 of 2"}
            ],
            "skipped": [
                {"target": "groq/llama-8b", "route": "smart", "why": "breaker_open",
                 "reason": "circuit breaker open, next probe in 3500 ms"}
            ],
            "attempts": [
                {"target": "openai/gpt-4o", "startedAtMs": 0, "latencyMs": 40, "status": 429,
                 "errorType": "requests", "errorCode": "rate_limit_exceeded", "condition": "http_429",
                 "next": "retry", "delayMs": 1000},
                {"target": "openai/gpt-4o", "startedAtMs": 1010, "latencyMs": 40, "status": 200, "next": "answered"}
            ]
        })"_ba)
                                         .object();
        QCOMPARE(trace.toJson(), expected);
        QCOMPARE(DecisionTrace(routePlan, trace.attempts()), trace);
    }

    void jsonKeepsAnyText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("stored");

        QTest::newRow("quotes and backslashes") << uR"(say "hi" \ C:\path\)"_s << uR"(say "hi" \ C:\path\)"_s;
        QTest::newRow("control characters")
            << u"line\nbreak\ttab\r\x01\x1f\x7f"_s << u"line\nbreak\ttab\r\x01\x1f\x7f"_s;
        QTest::newRow("latin-1 and beyond") << u"caf\u00e9 \u203a \u4e2d\u6587"_s << u"caf\u00e9 \u203a \u4e2d\u6587"_s;
        QTest::newRow("outside the BMP") << u"emoji \U0001F600 end"_s << u"emoji \U0001F600 end"_s;
        const char16_t unpaired[] = {u'a', 0xd800, u'b', 0xdc00};
        QTest::newRow("unpaired surrogates")
            << QString::fromUtf16(unpaired, std::size(unpaired)) << u"a\ufffdb\ufffd"_s;
        QTest::newRow("empty") << QString() << QString();
        const QString escapedEverywhere = u"\"\u00e9\n"_s.repeated(700);
        QTest::newRow("longer than the first buffer") << escapedEverywhere << escapedEverywhere;
    }

    // Provider error codes, route names and translated reasons end up in the trace as they are.
    void jsonKeepsAnyText()
    {
        QFETCH(QString, text);
        QFETCH(QString, stored);
        RoutePlan routePlan = plan(text, Strategy::Fallback);
        routePlan.targets.first().reason = text;
        routePlan.skipped = {{target(u"groq/llama-8b"_s), text, SkippedTarget::Why::RateLimited, text}};
        DecisionTrace::Attempt failed
            = attempt(u"openai/gpt-4o"_s, 0, 400, std::nullopt, DecisionTrace::Next::Answered);
        failed.outcome.errorType = text;
        failed.outcome.errorCode = text;
        const QJsonObject json = DecisionTrace(routePlan, {failed}).toJson();

        QCOMPARE(json.value(u"route"_s).toString(), stored);
        QCOMPARE(json.value(u"planned"_s)[0][u"reason"_s].toString(), stored);
        QCOMPARE(json.value(u"planned"_s)[1][u"reason"_s].toString(), u"position 2 of 2"_s);
        QCOMPARE(json.value(u"skipped"_s)[0][u"route"_s].toString(), stored);
        QCOMPARE(json.value(u"skipped"_s)[0][u"reason"_s].toString(), stored);
        QCOMPARE(json.value(u"skipped"_s)[0][u"why"_s].toString(), u"rate_limited"_s);
        const QJsonObject attempt = json.value(u"attempts"_s)[0].toObject();
        // Empty error fields are left out.
        QCOMPARE(attempt.contains(u"errorType"_s), !text.isEmpty());
        QCOMPARE(attempt.value(u"errorType"_s).toString(), stored);
        QCOMPARE(attempt.value(u"errorCode"_s).toString(), stored);
        QCOMPARE(attempt.value(u"status"_s).toInteger(), 400);
        QCOMPARE(attempt.value(u"latencyMs"_s).toInteger(), 40);
    }
};

QTEST_APPLESS_MAIN(TestDecisionTrace)
#include "tst_decisiontrace.moc"
