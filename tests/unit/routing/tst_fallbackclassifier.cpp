#include "core/routing/fallbackclassifier.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard::Routing;

using Transport = AttemptOutcome::Transport;

Q_DECLARE_METATYPE(Switchyard::Routing::AttemptOutcome::Transport)
Q_DECLARE_METATYPE(Switchyard::Routing::FallbackCondition)
Q_DECLARE_METATYPE(std::optional<Switchyard::Routing::FallbackCondition>)

class TestFallbackClassifier : public QObject
{
    Q_OBJECT

private slots:
    void classifies_data()
    {
        QTest::addColumn<Transport>("transport");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<std::optional<FallbackCondition>>("expected");

        const std::optional<FallbackCondition> none;
        auto row = [](const char *name, Transport transport, int status, const QString &type, const QString &code,
                       const QString &message, std::optional<FallbackCondition> expected) {
            QTest::newRow(name) << transport << status << type << code << message << expected;
        };

        row("success", Transport::None, 200, {}, {}, {}, none);
        row("connect", Transport::Connect, 0, {}, {}, {}, FallbackCondition::Connect);
        row("reset counts as connect", Transport::Reset, 0, {}, {}, {}, FallbackCondition::Connect);
        row("reset mid-stream after 200", Transport::Reset, 200, {}, {}, {}, FallbackCondition::Connect);
        row("timeout", Transport::Timeout, 0, {}, {}, {}, FallbackCondition::Timeout);
        row("ttft timeout", Transport::TtftTimeout, 200, {}, {}, {}, FallbackCondition::TtftTimeout);
        row("invalid response is a bad gateway", Transport::InvalidResponse, 200, {}, {}, {},
            FallbackCondition::Http5xx);
        row("408", Transport::None, 408, {}, {}, {}, FallbackCondition::Http408);
        row("409", Transport::None, 409, {}, {}, {}, FallbackCondition::Http409);
        row("429 rate limit", Transport::None, 429, u"requests"_s, u"rate_limit_exceeded"_s,
            u"Rate limit reached for gpt-4o"_s, FallbackCondition::Http429);
        row("429 anthropic rate limit", Transport::None, 429, u"rate_limit_error"_s, {},
            u"Number of request tokens has exceeded your per-minute rate limit"_s, FallbackCondition::Http429);
        row("429 gemini resource exhausted", Transport::None, 429, u"RESOURCE_EXHAUSTED"_s, {},
            u"Resource has been exhausted (e.g. check quota)."_s, FallbackCondition::Http429);
        row("429 openai insufficient quota is billing", Transport::None, 429, u"insufficient_quota"_s,
            u"insufficient_quota"_s, u"You exceeded your current quota, please check your plan and billing details."_s,
            none);
        row("429 anthropic spend limit is billing", Transport::None, 429, u"rate_limit_error"_s,
            u"enforced_spend_limit_reached"_s, u"Spend limit reached"_s, none);
        row("500", Transport::None, 500, u"server_error"_s, {}, u"The server had an error"_s,
            FallbackCondition::Http5xx);
        row("502", Transport::None, 502, {}, {}, {}, FallbackCondition::Http5xx);
        row("503", Transport::None, 503, u"server_error"_s, {}, u"Slow down"_s, FallbackCondition::Http5xx);
        row("504", Transport::None, 504, u"timeout_error"_s, {}, {}, FallbackCondition::Http5xx);
        row("529 anthropic overloaded", Transport::None, 529, u"overloaded_error"_s, {}, u"Overloaded"_s,
            FallbackCondition::Http5xx);
        row("401", Transport::None, 401, u"invalid_request_error"_s, u"invalid_api_key"_s,
            u"Incorrect API key provided"_s, FallbackCondition::Auth);
        row("403 permission", Transport::None, 403, u"permission_error"_s, {},
            u"Your API key does not have permission to use the specified resource."_s, FallbackCondition::Auth);
        row("400 gemini invalid key", Transport::None, 400, u"INVALID_ARGUMENT"_s, u"API_KEY_INVALID"_s,
            u"API key not valid. Please pass a valid API key."_s, FallbackCondition::Auth);
        row("openai context code", Transport::None, 400, u"invalid_request_error"_s, u"context_length_exceeded"_s,
            u"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 "
            "tokens."_s,
            FallbackCondition::ContextWindow);
        row("anthropic prompt too long", Transport::None, 400, u"invalid_request_error"_s, {},
            u"prompt is too long: 215000 tokens > 200000 maximum"_s, FallbackCondition::ContextWindow);
        row("gemini input token count", Transport::None, 400, u"INVALID_ARGUMENT"_s, {},
            u"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."_s,
            FallbackCondition::ContextWindow);
        row("together 403 context length", Transport::None, 403, u"invalid_request_error"_s, {},
            u"Input validation error: inputs tokens + max_new_tokens must be <= 8193. Given: 9000 inputs tokens. "
            "input + max_tokens exceeds context length"_s,
            FallbackCondition::ContextWindow);
        row("mistral maximum context length", Transport::None, 400, u"invalid_request_error"_s, u"3051"_s,
            u"Prompt contains 40000 tokens, too large for model with 32768 maximum context length"_s,
            FallbackCondition::ContextWindow);
        row("vllm maximum context length", Transport::None, 400, u"BadRequestError"_s, {},
            u"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens."_s,
            FallbackCondition::ContextWindow);
        row("context window wording", Transport::None, 400, {}, {}, u"Request exceeds the context window"_s,
            FallbackCondition::ContextWindow);
        row("openai content policy code", Transport::None, 400, u"invalid_request_error"_s,
            u"content_policy_violation"_s, u"Your request was rejected as a result of our safety system."_s,
            FallbackCondition::ContentPolicy);
        row("azure content filter code", Transport::None, 400, u"invalid_request_error"_s, u"content_filter"_s,
            u"The response was filtered"_s, FallbackCondition::ContentPolicy);
        row("anthropic content policy wording", Transport::None, 400, u"invalid_request_error"_s, {},
            u"Output blocked by content policy"_s, FallbackCondition::ContentPolicy);
        row("safety wording", Transport::None, 400, {}, {}, u"Request blocked by SAFETY filters"_s,
            FallbackCondition::ContentPolicy);
        row("400 bad parameter goes back", Transport::None, 400, u"invalid_request_error"_s, u"unsupported_parameter"_s,
            u"Unsupported parameter: 'max_tokens'"_s, none);
        row("404 goes back", Transport::None, 404, u"invalid_request_error"_s, u"model_not_found"_s,
            u"The model does not exist"_s, none);
        row("402 billing goes back", Transport::None, 402, u"billing_error"_s, {}, u"Payment required"_s, none);
        row("413 goes back", Transport::None, 413, u"request_too_large"_s, {}, u"Request too large"_s, none);
        row("422 goes back", Transport::None, 422, {}, {}, u"extra_forbidden"_s, none);
        row("no status no failure", Transport::None, 0, {}, {}, {}, none);
        row("3xx", Transport::None, 302, {}, {}, {}, none);
    }

    void classifies()
    {
        QFETCH(Transport, transport);
        QFETCH(int, status);
        QFETCH(QString, type);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(std::optional<FallbackCondition>, expected);

        AttemptOutcome outcome;
        outcome.transport = transport;
        outcome.httpStatus = status;
        outcome.errorType = type;
        outcome.errorCode = code;
        outcome.errorMessage = message;
        const auto condition = FallbackClassifier::classify(outcome);
        QCOMPARE(condition.has_value(), expected.has_value());
        if (expected) {
            QCOMPARE(FallbackClassifier::key(*condition), FallbackClassifier::key(*expected));
        }
    }

    void sameTargetRetries_data()
    {
        QTest::addColumn<FallbackCondition>("condition");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<bool>("againstTarget");
        QTest::addColumn<QString>("key");

        QTest::newRow("connect") << FallbackCondition::Connect << true << true << u"connect"_s;
        QTest::newRow("timeout") << FallbackCondition::Timeout << true << true << u"timeout"_s;
        QTest::newRow("ttft") << FallbackCondition::TtftTimeout << false << true << u"ttft_timeout"_s;
        QTest::newRow("408") << FallbackCondition::Http408 << true << true << u"http_408"_s;
        QTest::newRow("409") << FallbackCondition::Http409 << true << false << u"http_409"_s;
        QTest::newRow("429") << FallbackCondition::Http429 << true << true << u"http_429"_s;
        QTest::newRow("5xx") << FallbackCondition::Http5xx << true << true << u"http_5xx"_s;
        QTest::newRow("context") << FallbackCondition::ContextWindow << false << false << u"context_window"_s;
        QTest::newRow("content") << FallbackCondition::ContentPolicy << false << false << u"content_policy"_s;
        QTest::newRow("auth") << FallbackCondition::Auth << false << true << u"auth"_s;
    }

    void sameTargetRetries()
    {
        QFETCH(FallbackCondition, condition);
        QFETCH(bool, retryable);
        QFETCH(bool, againstTarget);
        QFETCH(QString, key);
        QCOMPARE(FallbackClassifier::isRetryableOnSameTarget(condition), retryable);
        QCOMPARE(FallbackClassifier::countsAgainstTarget(condition), againstTarget);
        QCOMPARE(QString(FallbackClassifier::key(condition)), key);
    }
};

QTEST_APPLESS_MAIN(TestFallbackClassifier)
#include "tst_fallbackclassifier.moc"
