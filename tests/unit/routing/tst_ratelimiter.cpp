#include "core/routing/ratelimiter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Routing::RateLimit;
using Routing::RateLimiter;

namespace {

RateLimit limit(RateLimit::Scope scope, const QString &name, int rpm, qint64 tpm)
{
    RateLimit result;
    result.scope = scope;
    result.name = name;
    result.requestsPerMinute = rpm;
    result.tokensPerMinute = tpm;
    return result;
}

// Any origin: the limiter only looks at differences.
constexpr qint64 StartMs = 1'000'000'000;

} // namespace

class TestRateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_nowMs = StartMs; }

    // Each step of a script is "SECONDS[/TOKENS]:OUTCOME" (admit a request of TOKENS estimated
    // tokens at SECONDS after the start; OUTCOME is ok, the retry-after seconds, or never) or
    // "SECONDS#N=TOKENS" (record the actual tokens of the Nth admitted request).
    void slidingWindow_data()
    {
        QTest::addColumn<int>("rpm");
        QTest::addColumn<qint64>("tpm");
        QTest::addColumn<QString>("script");

        QTest::newRow("requests") << 3 << qint64(0)
                                  << u"0:ok 0.5:ok 10.2:ok 20:40 59.9:1 60:ok 60:ok 60:10 69.999:1 70:ok"_s;
        QTest::newRow("requests, one per minute") << 1 << qint64(0) << u"0.25:ok 0.25:60 59.999:1 60:ok"_s;
        QTest::newRow("tokens") << 0 << qint64(1000) << u"0/600:ok 5/300:ok 10/200:50 59/100:ok 59/1:1 60/200:ok"_s;
        QTest::newRow("tokens corrected down") << 0 << qint64(1000) << u"0/600:ok 1#1=100 1/900:ok 2/1:58"_s;
        QTest::newRow("tokens corrected up") << 0 << qint64(1000) << u"0/100:ok 0#1=900 1/200:59 60/1000:ok"_s;
        QTest::newRow("correction after the window")
            << 0 << qint64(1000) << u"0/600:ok 60/100:ok 60#1=1000 60/900:ok 61/1:59"_s;
        QTest::newRow("request larger than the limit") << 0 << qint64(1000) << u"0/1001:never 0/1000:ok 0/1:60"_s;
        QTest::newRow("refused requests do not count")
            << 2 << qint64(1000) << u"0/100:ok 30/950:30 30/100:ok 31/100:29 60/800:ok"_s;
        QTest::newRow("no limit") << 0 << qint64(0) << u"0/100000000:ok 0:ok 0:ok 0:ok"_s;
    }

    void slidingWindow()
    {
        QFETCH(int, rpm);
        QFETCH(qint64, tpm);
        QFETCH(QString, script);

        RateLimiter limiter = makeLimiter();
        limiter.setLimits({limit(RateLimit::Scope::Target, u"openai/gpt-4o"_s, rpm, tpm)});
        QList<RateLimiter::Admission> admitted;
        for (const QString &step : script.split(u' ', Qt::SkipEmptyParts)) {
            const qsizetype hash = step.indexOf(u'#');
            const qsizetype colon = step.indexOf(u':');
            const QString time = step.left(hash >= 0 ? hash : colon).section(u'/', 0, 0);
            m_nowMs = StartMs + qint64(time.toDouble() * 1000);
            if (hash >= 0) {
                const QStringList correction = step.mid(hash + 1).split(u'=');
                limiter.recordTokens(admitted.at(correction.at(0).toInt() - 1), correction.at(1).toLongLong());
                continue;
            }
            const qint64 tokens = step.left(colon).section(u'/', 1, 1).toLongLong();
            const QString outcome = step.mid(colon + 1);

            RateLimiter::Refusal refusal;
            const Result<RateLimiter::Admission> admission
                = limiter.admit(u"laptop"_s, u"openai/gpt-4o"_s, tokens, &refusal);
            if (outcome == "ok"_L1) {
                QVERIFY2(admission.isOk(), qPrintable(step + u": "_s + admission.errorMessage()));
                admitted.append(admission.value());
            } else {
                QVERIFY2(!admission.isOk(), qPrintable(step));
                QCOMPARE(refusal.retryAfterSeconds, outcome == "never"_L1 ? -1 : outcome.toInt());
            }
        }
    }

    void keyAndTargetLimitsBothApply()
    {
        RateLimiter limiter = makeLimiter();
        limiter.setLimits({limit(RateLimit::Scope::Key, u"laptop"_s, 2, 0),
            limit(RateLimit::Scope::Target, u"openai/gpt-4o"_s, 1, 0)});

        QVERIFY(limiter.admit(u"laptop"_s, u"openai/gpt-4o"_s, 10).isOk());
        RateLimiter::Refusal refusal;
        QVERIFY(!limiter.admit(u"laptop"_s, u"openai/gpt-4o"_s, 10, &refusal).isOk());
        QCOMPARE(refusal.limit.scope, RateLimit::Scope::Target);
        QCOMPARE(refusal.kind, RateLimiter::Refusal::Kind::Requests);
        QCOMPARE(refusal.inWindow, qint64(1));
        // The refused request did not count against the key.
        QVERIFY(limiter.admit(u"laptop"_s, u"groq/llama"_s, 10).isOk());
        QVERIFY(!limiter.admit(u"laptop"_s, u"groq/llama"_s, 10, &refusal).isOk());
        QCOMPARE(refusal.limit.scope, RateLimit::Scope::Key);
        QCOMPARE(refusal.inWindow, qint64(2));
        // Other keys, and requests naming no key, have no limit here.
        QVERIFY(limiter.admit(u"ci"_s, u"groq/llama"_s, 10).isOk());
        QVERIFY(limiter.admit(QString(), u"groq/llama"_s, 10).isOk());
    }

    void refusalMessages_data()
    {
        QTest::addColumn<RateLimit>("limit");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("second");
        QTest::addColumn<QString>("message");

        QTest::newRow("requests")
            << limit(RateLimit::Scope::Key, u"laptop"_s, 1, 0) << qint64(10) << qint64(10)
            << u"Rate limit for key \"laptop\" reached: 1 requests per minute; retry after 60 s."_s;
        QTest::newRow("tokens")
            << limit(RateLimit::Scope::Target, u"openai/gpt-4o"_s, 0, 1000) << qint64(600) << qint64(500)
            << u"Token limit for target \"openai/gpt-4o\" reached: 1000 tokens per minute (600 used "
               "in the last minute, this request needs about 500); retry after 60 s."_s;
        QTest::newRow("too large") << limit(RateLimit::Scope::Target, u"openai/gpt-4o"_s, 0, 1000) << qint64(0)
                                   << qint64(5000)
                                   << u"The request needs about 5000 tokens, more than the 1000 tokens per minute "
                                      "allowed for target \"openai/gpt-4o\"; raise the limit under \"limits\" in the "
                                      "workspace."_s;
    }

    void refusalMessages()
    {
        QFETCH(RateLimit, limit);
        QFETCH(qint64, first);
        QFETCH(qint64, second);
        QFETCH(QString, message);

        RateLimiter limiter = makeLimiter();
        limiter.setLimits({limit});
        QVERIFY(limiter.admit(u"laptop"_s, u"openai/gpt-4o"_s, first).isOk());
        RateLimiter::Refusal refusal;
        const Result<RateLimiter::Admission> refused = limiter.admit(u"laptop"_s, u"openai/gpt-4o"_s, second, &refusal);
        QCOMPARE(refused.errorMessage(), message);
        QCOMPARE(refusal.limit, limit);
    }

    void changingLimitsKeepsCounts()
    {
        RateLimiter limiter = makeLimiter();
        const RateLimit two = limit(RateLimit::Scope::Key, u"laptop"_s, 2, 0);
        limiter.setLimits({two});
        QVERIFY(limiter.admit(u"laptop"_s, QString(), 0).isOk());
        QVERIFY(limiter.admit(u"laptop"_s, QString(), 0).isOk());
        QVERIFY(!limiter.admit(u"laptop"_s, QString(), 0).isOk());

        limiter.setLimits({limit(RateLimit::Scope::Key, u"laptop"_s, 3, 0)});
        QCOMPARE(limiter.limits().at(0).requestsPerMinute, 3);
        QVERIFY(limiter.admit(u"laptop"_s, QString(), 0).isOk());
        QVERIFY(!limiter.admit(u"laptop"_s, QString(), 0).isOk());

        // A limit removed and added again starts from nothing.
        limiter.setLimits({});
        limiter.setLimits({two});
        QVERIFY(limiter.admit(u"laptop"_s, QString(), 0).isOk());
    }

    void clockGoingBackwardsDoesNotReopenTheWindow()
    {
        RateLimiter limiter = makeLimiter();
        limiter.setLimits({limit(RateLimit::Scope::Key, u"laptop"_s, 1, 0)});
        m_nowMs = StartMs + 30'000;
        QVERIFY(limiter.admit(u"laptop"_s, QString(), 0).isOk());
        m_nowMs = StartMs - 3'600'000;
        RateLimiter::Refusal refusal;
        QVERIFY(!limiter.admit(u"laptop"_s, QString(), 0, &refusal).isOk());
        QCOMPARE(refusal.retryAfterSeconds, 60);
    }

private:
    RateLimiter makeLimiter()
    {
        return RateLimiter([this] { return m_nowMs; });
    }

    qint64 m_nowMs = 0;
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
