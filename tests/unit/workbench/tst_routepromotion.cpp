#include "core/workbench/routepromotion.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Routing::RouteTarget;
using Workbench::RoutePromotion;

namespace {

Config::Workspace workspace()
{
    Config::Workspace workspace;
    Providers::ProviderProfile openai;
    openai.id = u"openai"_s;
    openai.preset = u"openai"_s;
    openai.baseUrl = QUrl(u"https://api.openai.com/v1"_s);
    Providers::ProviderProfile groq = openai;
    groq.id = u"groq"_s;
    groq.preset = u"groq"_s;
    groq.baseUrl = QUrl(u"https://api.groq.com/openai/v1"_s);
    workspace.providers = {openai, groq};
    Routing::Route smart(u"smart"_s, {{u"openai"_s, u"gpt-4o"_s}});
    smart.strategy = Routing::Strategy::LowestLatency;
    workspace.routes = {smart};
    return workspace;
}

} // namespace

class TestRoutePromotion : public QObject
{
    Q_OBJECT

private slots:
    void addsToAnExistingRouteKeepingItsSettings()
    {
        const auto promoted
            = RoutePromotion::apply(workspace(), u"smart"_s, RouteTarget(u"groq"_s, u"llama-3.3-70b"_s));
        QVERIFY2(promoted, qPrintable(promoted.errorMessage()));
        QCOMPARE(promoted->routes.size(), 1);
        const Routing::Route &smart = promoted->routes.first();
        QCOMPARE(smart.targets,
            (QList<RouteTarget> {RouteTarget(u"openai"_s, u"gpt-4o"_s), RouteTarget(u"groq"_s, u"llama-3.3-70b"_s)}));
        QCOMPARE(smart.strategy, Routing::Strategy::LowestLatency);
    }

    void startsANewRoute()
    {
        const auto promoted
            = RoutePromotion::apply(workspace(), u"  cheap "_s, RouteTarget(u"groq"_s, u"llama-3.1-8b-instant"_s));
        QVERIFY2(promoted, qPrintable(promoted.errorMessage()));
        QCOMPARE(promoted->routes.size(), 2);
        QCOMPARE(promoted->routes.last().name, u"cheap"_s);
        QCOMPARE(
            promoted->routes.last().targets, (QList<RouteTarget> {RouteTarget(u"groq"_s, u"llama-3.1-8b-instant"_s)}));
        QCOMPARE(promoted->routes.last().strategy, Routing::Strategy::Fallback);
    }

    void refusesWithAReason_data()
    {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty name") << u" "_s << u"groq/llama"_s << u"Name the route"_s;
        QTest::newRow("already there") << u"smart"_s << u"openai/gpt-4o"_s << u"already has openai/gpt-4o"_s;
        QTest::newRow("slash in name") << u"a/b"_s << u"groq/llama"_s << u"reserved for provider/model"_s;
        QTest::newRow("provider id as name") << u"groq"_s << u"openai/gpt-4o"_s << u"also a provider id"_s;
        QTest::newRow("unknown provider") << u"smart"_s << u"mistral/small"_s << u"\"mistral\" is not defined"_s;
    }

    void refusesWithAReason()
    {
        QFETCH(QString, route);
        QFETCH(QString, target);
        QFETCH(QString, reason);
        const auto parsed = RouteTarget::parse(target);
        QVERIFY(parsed);
        const auto promoted = RoutePromotion::apply(workspace(), route, parsed.value());
        QVERIFY(!promoted);
        QVERIFY2(promoted.errorMessage().contains(reason), qPrintable(promoted.errorMessage()));
    }
};

QTEST_APPLESS_MAIN(TestRoutePromotion)
#include "tst_routepromotion.moc"
