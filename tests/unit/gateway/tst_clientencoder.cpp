#include "core/gateway/clientencoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Gateway::ClientDialect;
using Gateway::ClientEncoder;

class TestClientEncoder : public QObject
{
    Q_OBJECT

private slots:
    // Reference §5.5: the status and type each kind of error reaches each dialect's clients with.
    void mapsErrorsPerDialect_data()
    {
        QTest::addColumn<ProviderError>("error");
        QTest::addColumn<int>("openAiStatus");
        QTest::addColumn<QString>("openAiType");
        QTest::addColumn<int>("anthropicStatus");
        QTest::addColumn<QString>("anthropicType");

        const auto error = [](int status, const QString &type, const QString &code = {}) {
            return ProviderError {status, type, code, QString(), u"message"_s};
        };
        QTest::newRow("bad request") << error(400, u"invalid_request_error"_s) << 400 << u"invalid_request_error"_s
                                     << 400 << u"invalid_request_error"_s;
        QTest::newRow("auth") << error(401, u"authentication_error"_s) << 401 << u"invalid_request_error"_s << 401
                              << u"authentication_error"_s;
        QTest::newRow("permission") << error(403, u"permission_error"_s) << 403 << u"permission_error"_s << 403
                                    << u"permission_error"_s;
        QTest::newRow("not found") << error(404, u"not_found_error"_s) << 404 << u"invalid_request_error"_s << 404
                                   << u"not_found_error"_s;
        QTest::newRow("too large") << error(413, u"request_too_large"_s) << 413 << u"invalid_request_error"_s << 413
                                   << u"request_too_large"_s;
        QTest::newRow("rate limited") << error(429, u"rate_limit_error"_s) << 429 << u"rate_limit_exceeded"_s << 429
                                      << u"rate_limit_error"_s;
        QTest::newRow("quota (Anthropic billing)")
            << error(402, u"billing_error"_s) << 429 << u"insufficient_quota"_s << 402 << u"billing_error"_s;
        QTest::newRow("quota (OpenAI)") << error(429, u"insufficient_quota"_s, u"insufficient_quota"_s) << 429
                                        << u"insufficient_quota"_s << 402 << u"billing_error"_s;
        QTest::newRow("overloaded (Anthropic)")
            << error(529, u"overloaded_error"_s) << 503 << u"server_error"_s << 529 << u"overloaded_error"_s;
        QTest::newRow("overloaded (503)")
            << error(503, u"overloaded_error"_s) << 503 << u"server_error"_s << 529 << u"overloaded_error"_s;
        QTest::newRow("upstream error") << error(502, u"api_error"_s) << 502 << u"server_error"_s << 500
                                        << u"api_error"_s;
        QTest::newRow("timeout") << error(504, u"timeout_error"_s, u"timeout"_s) << 504 << u"server_error"_s << 504
                                 << u"timeout_error"_s;
        QTest::newRow("no status") << error(0, u"api_error"_s) << 502 << u"server_error"_s << 500 << u"api_error"_s;
    }

    void mapsErrorsPerDialect()
    {
        QFETCH(ProviderError, error);
        QFETCH(int, openAiStatus);
        QFETCH(QString, openAiType);
        QFETCH(int, anthropicStatus);
        QFETCH(QString, anthropicType);

        const ClientEncoder openAi(ClientDialect::OpenAi, false);
        QCOMPARE(openAi.errorStatus(error), openAiStatus);
        const QJsonObject openAiBody = QJsonDocument::fromJson(openAi.errorBody(error)).object();
        QCOMPARE(openAiBody.value(u"error"_s)[u"type"_s].toString(), openAiType);
        QCOMPARE(openAiBody.value(u"error"_s)[u"message"_s].toString(), u"message"_s);

        const ClientEncoder anthropic(ClientDialect::Anthropic, false);
        QCOMPARE(anthropic.errorStatus(error), anthropicStatus);
        const QJsonObject anthropicBody = QJsonDocument::fromJson(anthropic.errorBody(error)).object();
        QCOMPARE(anthropicBody.value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(anthropicBody.value(u"error"_s)[u"type"_s].toString(), anthropicType);
    }

    void streamErrorsEndTheStreamInTheClientsDialect()
    {
        const ProviderError error = ClientEncoder::gatewayError(502, u"cut off"_s, u"truncated"_s);
        ClientEncoder openAi(ClientDialect::OpenAi, false);
        const QByteArray openAiFrame = openAi.streamError(error);
        QVERIFY(openAiFrame.startsWith("data: {"));
        QCOMPARE(QJsonDocument::fromJson(openAiFrame.mid(6)).object().value(u"error"_s)[u"type"_s].toString(),
            u"server_error"_s);

        ClientEncoder anthropic(ClientDialect::Anthropic, false);
        StreamEvent start;
        start.role = u"assistant"_s;
        start.contentDelta = u"Hel"_s;
        QVERIFY(anthropic.streamEvent(start).contains("event: message_start"));
        const QByteArray anthropicFrame = anthropic.streamError(error);
        QVERIFY2(anthropicFrame.contains("event: error"), anthropicFrame.constData());
        QVERIFY(anthropicFrame.contains("cut off"));
    }

    void openAiClientsGetUsageOnlyWhenTheyAsked()
    {
        StreamEvent usage;
        usage.kind = StreamEvent::Kind::Usage;
        usage.usage = Usage {10, 5, 0, 0, 0, true, {}};
        ClientEncoder without(ClientDialect::OpenAi, false);
        QVERIFY(without.streamEvent(usage).isEmpty());
        ClientEncoder with(ClientDialect::OpenAi, true);
        QVERIFY(with.streamEvent(usage).contains("\"prompt_tokens\":10"));
    }
};

QTEST_GUILESS_MAIN(TestClientEncoder)
#include "tst_clientencoder.moc"
