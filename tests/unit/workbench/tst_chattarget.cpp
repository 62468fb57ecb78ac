#include "core/config/workspace.h"
#include "core/workbench/chattarget.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Workbench::ChatTarget;

class TestChatTarget : public QObject
{
    Q_OBJECT

private slots:
    void routesThenEachProvidersModels()
    {
        Config::Workspace workspace;
        Providers::ProviderProfile openai;
        openai.id = u"openai"_s;
        openai.models = {u"gpt-4o-mini"_s, u"gpt-4o"_s};
        Providers::ProviderProfile groq;
        groq.id = u"groq"_s;
        workspace.providers = {openai, groq};
        Routing::RouteTarget nested;
        nested.route = u"fast"_s;
        workspace.routes = {Routing::Route(u"smart"_s, {{u"openai"_s, u"gpt-4o"_s}, {u"groq"_s, u"llama-3.3-70b"_s}}),
            Routing::Route(u"fast"_s, {{u"openai"_s, u"o4-mini"_s}}), Routing::Route(u"outer"_s, {nested})};

        const QList<ChatTarget> expected {{ChatTarget::Kind::Route, u"smart"_s}, {ChatTarget::Kind::Route, u"fast"_s},
            {ChatTarget::Kind::Route, u"outer"_s}, {ChatTarget::Kind::Model, u"openai/gpt-4o-mini"_s},
            {ChatTarget::Kind::Model, u"openai/gpt-4o"_s}, {ChatTarget::Kind::Model, u"openai/o4-mini"_s},
            {ChatTarget::Kind::Model, u"groq/llama-3.3-70b"_s}};
        QCOMPARE(ChatTarget::listFrom(workspace), expected);
        QVERIFY(ChatTarget::listFrom(Config::Workspace()).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestChatTarget)
#include "tst_chattarget.moc"
