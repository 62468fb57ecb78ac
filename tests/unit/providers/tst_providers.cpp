#include "core/providers/credentialref.h"
#include "core/providers/providerpresets.h"
#include "core/providers/providerprofile.h"
#include "core/routing/route.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Providers::CredentialRef;

class TestProviders : public QObject
{
    Q_OBJECT

private slots:
    void presetsAreComplete()
    {
        const QStringList expected {u"openai"_s, u"anthropic"_s, u"gemini"_s, u"openrouter"_s, u"groq"_s, u"mistral"_s, u"deepseek"_s, u"together"_s,
            u"xai"_s, u"ollama"_s, u"lmstudio"_s, u"vllm"_s, u"custom"_s};
        QStringList ids;
        for (const Providers::ProviderPreset &preset : Providers::ProviderPresets::all()) {
            ids.append(preset.id);
            QVERIFY2(preset.defaultBaseUrl.isValid(), qPrintable(preset.id));
            QVERIFY2(preset.defaultBaseUrl.scheme() == "https"_L1 || preset.defaultBaseUrl.scheme() == "http"_L1,
                qPrintable(preset.id));
            QVERIFY2(!preset.defaultBaseUrl.host().isEmpty(), qPrintable(preset.id));
            QVERIFY2(!preset.defaultBaseUrl.path().endsWith(u'/'), qPrintable(preset.id));
            QVERIFY2(!preset.displayName.isEmpty(), qPrintable(preset.id));
            QVERIFY2(Providers::ProviderProfile::isValidId(preset.id), qPrintable(preset.id));
            // A preset that needs a key must point somewhere by default; a keyless one must not.
            QCOMPARE(preset.defaultCredentialRef.isEmpty(), !preset.requiresKey);
            QVERIFY2(CredentialRef::parse(preset.defaultCredentialRef).isOk(), qPrintable(preset.id));
        }
        QCOMPARE(ids, expected);
    }

    void presetLookup()
    {
        const auto groq = Providers::ProviderPresets::find(u"groq"_s);
        QVERIFY(groq.has_value());
        QCOMPARE(groq->defaultBaseUrl, QUrl(u"https://api.groq.com/openai/v1"_s));
        QCOMPARE(groq->pricingPrefix, u"groq"_s);
        QCOMPARE(Providers::ProviderPresets::find(u"openai"_s)->pricingPrefix, QString());
        QCOMPARE(Providers::ProviderPresets::find(u"anthropic"_s)->wireFormat,
            Providers::WireFormat::AnthropicMessages);
        QCOMPARE(Providers::ProviderPresets::find(u"gemini"_s)->wireFormat, Providers::WireFormat::GeminiGenerate);
        QCOMPARE(groq->wireFormat, Providers::WireFormat::OpenAiChat);
        QVERIFY(!Providers::ProviderPresets::find(u"bedrock"_s).has_value());
        QVERIFY(!Providers::ProviderPresets::find(QString()).has_value());
    }

    void profileFromPreset()
    {
        const auto profile
            = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"openrouter"_s), u"or"_s);
        QCOMPARE(profile.id, u"or"_s);
        QCOMPARE(profile.preset, u"openrouter"_s);
        QCOMPARE(profile.baseUrl, QUrl(u"https://openrouter.ai/api/v1"_s));
        QCOMPARE(profile.credentialRef, u"env:OPENROUTER_API_KEY"_s);
        QVERIFY(profile.extraHeaders.isEmpty());
        QVERIFY(profile.models.isEmpty());
    }

    void providerIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << u"openai"_s << true;
        QTest::newRow("digits, dash, underscore") << u"0pen-ai_2"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("upper case") << u"OpenAI"_s << false;
        QTest::newRow("leading dash") << u"-x"_s << false;
        QTest::newRow("slash") << u"a/b"_s << false;
        QTest::newRow("trailing newline") << u"abc\n"_s << false;
    }

    void providerIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(Providers::ProviderProfile::isValidId(id), valid);
    }

    void headerNamesAndValues_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("nameValid");
        QTest::addColumn<bool>("valueValid");
        QTest::newRow("plain") << u"OpenAI-Organization"_s << u"org-123"_s << true << true;
        QTest::newRow("token characters") << u"X_a.b~c!#$%&'*+^`|"_s << u"a b\tc ü"_s << true << true;
        QTest::newRow("space in name") << u"X Team"_s << QString() << false << true;
        QTest::newRow("colon in name") << u"X-Team:"_s << u"x"_s << false << true;
        QTest::newRow("empty name") << QString() << u"x"_s << false << true;
        QTest::newRow("line break in value") << u"X-Team"_s << u"blue\r\nX-Evil: 1"_s << true << false;
    }

    void headerNamesAndValues()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(bool, nameValid);
        QFETCH(bool, valueValid);
        QCOMPARE(Providers::ProviderProfile::isValidHeaderName(name), nameValid);
        QCOMPARE(Providers::ProviderProfile::isValidHeaderValue(value), valueValid);
    }

    void credentialRefParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");

        const int none = int(CredentialRef::Kind::None);
        const int keychain = int(CredentialRef::Kind::Keychain);
        const int env = int(CredentialRef::Kind::Env);
        QTest::newRow("empty") << QString() << none << QString() << QString();
        QTest::newRow("keychain") << u"keychain:openai.prod-2_x"_s << keychain << u"openai.prod-2_x"_s << QString();
        QTest::newRow("keychain 64") << u"keychain:"_s + QString(64, u'a') << keychain << QString(64, u'a')
                                     << QString();
        QTest::newRow("env") << u"env:OPENAI_API_KEY"_s << env << u"OPENAI_API_KEY"_s << QString();
        QTest::newRow("env underscore") << u"env:_k1"_s << env << u"_k1"_s << QString();
        QTest::newRow("keychain empty")
            << u"keychain:"_s << none << QString()
            << u"\"keychain:\" names no keychain secret: write keychain:NAME, e.g. keychain:openai"_s;
        QTest::newRow("keychain 65") << u"keychain:"_s + QString(65, u'a') << none << QString()
                                     << u"\""_s + QString(65, u'a')
                + u"\" is not a valid keychain secret name: use 1 to 64 letters, digits, '.', '_' or '-'"_s;
        QTest::newRow("keychain space")
            << u"keychain:my key"_s << none << QString()
            << u"\"my key\" is not a valid keychain secret name: use 1 to 64 letters, digits, '.', '_' or '-'"_s;
        QTest::newRow("env empty")
            << u"env:"_s << none << QString()
            << u"\"env:\" names no environment variable: write env:VARIABLE, e.g. env:OPENAI_API_KEY"_s;
        QTest::newRow("env digit first") << u"env:1KEY"_s << none << QString()
                                         << u"\"1KEY\" is not a valid environment variable name: start with a letter "
                                            "or '_' and use only letters, digits and '_'"_s;
        QTest::newRow("env dash") << u"env:MY-KEY"_s << none << QString()
                                  << u"\"MY-KEY\" is not a valid environment variable name: start with a letter or "
                                     "'_' and use only letters, digits and '_'"_s;
        QTest::newRow("plain key pasted") << u"sk-abc123"_s << none << QString()
                                          << u"\"sk-abc123\" is not a credential reference: write keychain:NAME or "
                                             "env:VARIABLE, or leave it empty for a server that needs no key"_s;
        QTest::newRow("prefix case") << u"ENV:X"_s << none << QString()
                                     << u"\"ENV:X\" is not a credential reference: write keychain:NAME or "
                                        "env:VARIABLE, or leave it empty for a server that needs no key"_s;
    }

    void credentialRefParse()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, name);
        QFETCH(QString, error);

        const Result<CredentialRef> ref = CredentialRef::parse(text);
        QCOMPARE(ref.errorMessage(), error);
        if (error.isEmpty()) {
            QCOMPARE(int(ref->kind), kind);
            QCOMPARE(ref->name, name);
            QCOMPARE(ref->toString(), text);
        }
    }

    void routeTargetParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("error");

        QTest::newRow("simple") << u"openai/gpt-4o-mini"_s << u"openai"_s << u"gpt-4o-mini"_s << QString();
        QTest::newRow("nested model") << u"openrouter/anthropic/claude-3.5-sonnet"_s << u"openrouter"_s
                                      << u"anthropic/claude-3.5-sonnet"_s << QString();
        QTest::newRow("model with colon") << u"ollama/llama3.1:8b"_s << u"ollama"_s << u"llama3.1:8b"_s << QString();
        QTest::newRow("no slash")
            << u"gpt-4o"_s << QString() << QString()
            << u"\"gpt-4o\" is not a route target: write provider/model, e.g. openai/gpt-4o-mini"_s;
        QTest::newRow("empty") << QString() << QString() << QString()
                               << u"\"\" is not a route target: write provider/model, e.g. openai/gpt-4o-mini"_s;
        QTest::newRow("no provider") << u"/gpt-4o"_s << QString() << QString()
                                     << u"\"/gpt-4o\" does not start with a provider id: write provider/model, where "
                                        "the provider id uses lowercase letters, digits, '-' and '_'"_s;
        QTest::newRow("bad provider") << u"Open AI/gpt-4o"_s << QString() << QString()
                                      << u"\"Open AI/gpt-4o\" does not start with a provider id: write provider/model, "
                                         "where the provider id uses lowercase letters, digits, '-' and '_'"_s;
        QTest::newRow("no model")
            << u"openai/"_s << QString() << QString()
            << u"\"openai/\" names no model after the '/': write provider/model, e.g. openai/gpt-4o-mini"_s;
        QTest::newRow("space in model") << u"openai/gpt 4o"_s << QString() << QString()
                                        << u"\"openai/gpt 4o\" contains a space or control character in the model "
                                           "name"_s;
    }

    void routeTargetParse()
    {
        QFETCH(QString, text);
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(QString, error);

        const Result<Routing::RouteTarget> target = Routing::RouteTarget::parse(text);
        QCOMPARE(target.errorMessage(), error);
        if (error.isEmpty()) {
            QCOMPARE(target->provider, provider);
            QCOMPARE(target->model, model);
            QCOMPARE(target->toString(), text);
            QCOMPARE(target.value(), (Routing::RouteTarget {provider, model}));
        }
    }
};

QTEST_APPLESS_MAIN(TestProviders)
#include "tst_providers.moc"
