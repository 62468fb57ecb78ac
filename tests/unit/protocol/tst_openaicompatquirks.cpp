#include "core/protocol/openaicompatquirks.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Protocol::OpenAiCompatQuirks;

namespace {
ChatRequest requestWithEverything()
{
    ChatRequest request;
    request.model = u"m"_s;
    ChatMessage developer;
    developer.role = u"developer"_s;
    developer.text = u"Be brief."_s;
    ChatMessage user;
    user.role = u"user"_s;
    user.text = u"Hi"_s;
    user.name = u"ann"_s;
    ChatMessage assistant;
    assistant.role = u"assistant"_s;
    assistant.toolCalls = {QJsonObject {{u"id"_s, u"toolu_01ABC"_s}, {u"type"_s, u"function"_s},
        {u"function"_s, QJsonObject {{u"name"_s, u"f"_s}, {u"arguments"_s, u"{}"_s}}}}};
    ChatMessage tool;
    tool.role = u"tool"_s;
    tool.toolCallId = u"toolu_01ABC"_s;
    tool.text = u"42"_s;
    request.messages = {developer, user, assistant, tool};
    request.toolChoice = QJsonObject {{u"type"_s, u"function"_s}, {u"function"_s, QJsonObject {{u"name"_s, u"f"_s}}}};
    request.extra
        = QJsonObject {{u"seed"_s, 3}, {u"logprobs"_s, true}, {u"top_logprobs"_s, 2}, {u"n"_s, 1}, {u"store"_s, true},
            {u"metadata"_s, QJsonObject()}, {u"user"_s, QJsonValue()}, {u"logit_bias"_s, QJsonObject()}};
    return request;
}
} // namespace

class TestOpenAiCompatQuirks : public QObject
{
    Q_OBJECT

private slots:
    void onlyMistralAndGroqNeedRewrites()
    {
        QVERIFY(OpenAiCompatQuirks::rewritesRequests(u"mistral"_s));
        QVERIFY(OpenAiCompatQuirks::rewritesRequests(u"groq"_s));
        for (const QString &preset : {u"openai"_s, u"openrouter"_s, u"deepseek"_s, u"ollama"_s, u"custom"_s}) {
            QVERIFY2(!OpenAiCompatQuirks::rewritesRequests(preset), qPrintable(preset));
        }
    }

    void openAiGetsTheRequestUnchanged()
    {
        ChatRequest request = requestWithEverything();
        OpenAiCompatQuirks::apply(u"openai"_s, request);
        QCOMPARE(request, requestWithEverything());
    }

    void mistral()
    {
        ChatRequest request = requestWithEverything();
        OpenAiCompatQuirks::apply(u"mistral"_s, request);
        QCOMPARE(request.messages[0].role, u"system"_s);
        QCOMPARE(request.toolChoice.toString(), u"any"_s);
        QCOMPARE(request.extra.value(u"random_seed"_s).toInt(), 3);
        QVERIFY(!request.extra.contains(u"seed"_s));
        QVERIFY(!request.extra.contains(u"user"_s)); // null
        QVERIFY(!request.extra.contains(u"store"_s));
        const QString id = request.messages[2].toolCalls[0][u"id"_s].toString();
        QVERIFY2(QRegularExpression(u"^[a-zA-Z0-9]{9}$"_s).match(id).hasMatch(), qPrintable(id));
        QCOMPARE(request.messages[3].toolCallId, id);
        QCOMPARE(OpenAiCompatQuirks::mistralToolCallId(u"abcDEF123"_s), u"abcDEF123"_s);
        QVERIFY(
            OpenAiCompatQuirks::mistralToolCallId(u"call_1"_s) != OpenAiCompatQuirks::mistralToolCallId(u"call_2"_s));
    }

    void groq()
    {
        ChatRequest request = requestWithEverything();
        OpenAiCompatQuirks::apply(u"groq"_s, request);
        QCOMPARE(request.messages[0].role, u"system"_s);
        QVERIFY(request.messages[1].name.isEmpty());
        for (const QString &field : {u"logprobs"_s, u"top_logprobs"_s, u"logit_bias"_s, u"n"_s, u"store"_s}) {
            QVERIFY2(!request.extra.contains(field), qPrintable(field));
        }
        QCOMPARE(request.extra.value(u"seed"_s).toInt(), 3);
        QVERIFY(request.toolChoice.isObject());
    }

    void openRouterKeepsOpenAiFields()
    {
        ChatRequest request = requestWithEverything();
        OpenAiCompatQuirks::apply(u"openrouter"_s, request);
        QCOMPARE(request.messages[0].role, u"system"_s);
        QVERIFY(request.extra.contains(u"store"_s));
        QVERIFY(request.extra.contains(u"metadata"_s));
    }
};

QTEST_GUILESS_MAIN(TestOpenAiCompatQuirks)
#include "tst_openaicompatquirks.moc"
