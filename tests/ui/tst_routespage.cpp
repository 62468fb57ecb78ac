#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/providers/providerpresets.h"
#include "core/routing/routerstate.h"
#include "ui/mainwindow.h"
#include "ui/pages/routes/routescene.h"
#include "ui/pages/routes/routespage.h"
#include "ui/pages/routes/targetnode.h"

#include <QAbstractItemModelTester>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;

namespace {

template <typename T> T *child(QObject *root, const QString &name)
{
    T *found = root->findChild<T *>(name);
    if (found == nullptr) {
        qWarning("no child named %s", qPrintable(name));
    }
    return found;
}

Providers::ProviderProfile keylessProvider(const QString &id, const QStringList &models)
{
    Providers::ProviderProfile profile
        = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"ollama"_s), id);
    profile.baseUrl = QUrl(u"http://127.0.0.1:9/v1"_s);
    profile.models = models;
    return profile;
}

Routing::RouteTarget nestedTarget(const QString &route)
{
    Routing::RouteTarget target;
    target.route = route;
    return target;
}

// "smart" falls back from alpha to beta to the weighted route "cheap".
Config::Workspace sampleWorkspace()
{
    Config::Workspace workspace;
    workspace.providers = {keylessProvider(u"alpha"_s, {u"model-a"_s, u"model-d"_s}),
        keylessProvider(u"beta"_s, {u"model-b"_s, u"model-c"_s})};
    Routing::Route cheap(u"cheap"_s, {{u"beta"_s, u"model-c"_s}, {u"alpha"_s, u"model-d"_s}});
    cheap.strategy = Routing::Strategy::Weighted;
    cheap.targets[0].weight = 3;
    Routing::Route smart(u"smart"_s, {{u"alpha"_s, u"model-a"_s}, {u"beta"_s, u"model-b"_s}, nestedTarget(u"cheap"_s)});
    workspace.routes = {smart, cheap};
    return workspace;
}

QStringList titles(const QList<Ui::TargetNode *> &nodes)
{
    QStringList result;
    for (const Ui::TargetNode *node : nodes) {
        result.append(node->content().title);
    }
    return result;
}

QStringList sceneTexts(const QGraphicsScene *scene)
{
    QStringList texts;
    for (const QGraphicsItem *item : scene->items()) {
        if (const auto *text = qgraphicsitem_cast<const QGraphicsSimpleTextItem *>(item)) {
            texts.append(text->text());
        }
    }
    return texts;
}

QList<Ui::TargetNode *> childNodes(const Ui::TargetNode *node)
{
    QList<Ui::TargetNode *> nodes;
    for (QGraphicsItem *item : node->childItems()) {
        if (auto *childNode = qgraphicsitem_cast<Ui::TargetNode *>(item)) {
            nodes.append(childNode);
        }
    }
    std::sort(nodes.begin(), nodes.end(),
        [](const Ui::TargetNode *a, const Ui::TargetNode *b) { return a->content().index < b->content().index; });
    return nodes;
}

} // namespace

// The Routes page on a real workspace file and the gateway runtime's router state.
class TestRoutesPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchyard-tests"_s);
    }

    void init()
    {
        QSettings().clear();
        m_services = std::make_unique<UiTestServices>();
        QVERIFY(m_services->setUp());
        QVERIFY(m_services->store->save(sampleWorkspace()).isOk());
        QTRY_VERIFY(m_services->runtime->isReady());
        m_window = m_services->createWindow();
        m_window->setCurrentPage(u"routes"_s);
        m_page = child<Ui::RoutesPage>(m_window.get(), u"routesPage"_s);
        QVERIFY(m_page);
        m_scene = qobject_cast<Ui::RouteScene *>(child<QGraphicsView>(m_page, u"routeGraphView"_s)->scene());
        QVERIFY(m_scene);
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
    }

    void opensWithTheRoutesDrawn()
    {
        auto *routes = child<QTreeView>(m_page, u"routesView"_s);
        QAbstractItemModelTester tester(routes->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(routes->model()->rowCount(), 2);
        QCOMPARE(routes->model()->index(0, 0).data().toString(), u"smart"_s);
        QCOMPARE(routes->model()->index(1, 1).data().toString(), u"Weighted"_s);
        QCOMPARE(m_page->currentRoute(), u"smart"_s);

        QCOMPARE(titles(m_scene->targetNodes()), (QStringList {u"model-a"_s, u"model-b"_s, u"cheap"_s}));
        const Ui::TargetNode *first = m_scene->targetNodes().at(0);
        QCOMPARE(first->content().caption, u"provider alpha"_s);
        QCOMPARE(first->content().badge, u"breaker closed"_s);
        QVERIFY(m_scene->targetNodes().at(2)->content().nested);
        QVERIFY(childNodes(m_scene->targetNodes().at(2)).isEmpty());
        // Two fallback edges between three targets, each naming the route's conditions.
        QCOMPARE(sceneTexts(m_scene).count(u"on connect, timeout, TTFT timeout, 429, 5xx"_s), 2);

        m_scene->setExpanded(u"2"_s, true);
        const QList<Ui::TargetNode *> nested = childNodes(m_scene->targetNodes().at(2));
        QCOMPARE(titles(nested), (QStringList {u"model-c"_s, u"model-d"_s}));
        QCOMPARE(nested.at(0)->content().lines.value(0), u"weight 3 (75 %)"_s);
        QCOMPARE(nested.at(1)->content().lines.value(0), u"weight 1 (25 %)"_s);

        m_page->setCurrentRoute(u"cheap"_s);
        QCOMPARE(titles(m_scene->targetNodes()), (QStringList {u"model-c"_s, u"model-d"_s}));
        QVERIFY(sceneTexts(m_scene).contains(u"Weighted"_s));
    }

    void breakerStateIsLive()
    {
        Routing::RouterState &state = m_services->runtime->gateway()->routerState();
        Routing::AttemptOutcome failure;
        failure.httpStatus = 503;
        const Routing::BreakerPolicy policy;
        for (int i = 0; i < policy.failureThreshold; ++i) {
            QVERIFY(state.attemptStarted(u"alpha/model-a"_s, policy));
            state.attemptFinished(u"alpha/model-a"_s, failure);
        }
        QCOMPARE(state.breakerState(u"alpha/model-a"_s), Routing::BreakerState::Open);
        QCOMPARE(m_scene->targetNodes().at(0)->content().badge, u"breaker open"_s);
        QCOMPARE(m_scene->targetNodes().at(1)->content().badge, u"breaker closed"_s);
    }

    void screenshot()
    {
        m_scene->setExpanded(u"2"_s, true);
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"routes"_s));
    }

private:
    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
    Ui::RoutesPage *m_page = nullptr;
    Ui::RouteScene *m_scene = nullptr;
};

QTEST_MAIN(TestRoutesPage)
#include "tst_routespage.moc"
