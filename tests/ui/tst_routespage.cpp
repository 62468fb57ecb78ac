#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/providers/providerpresets.h"
#include "core/routing/routerstate.h"
#include "ui/dialogs/routesettingsdialog.h"
#include "ui/dialogs/targetdialog.h"
#include "ui/mainwindow.h"
#include "ui/pages/routes/rehearsalpanel.h"
#include "ui/pages/routes/routescene.h"
#include "ui/pages/routes/routespage.h"
#include "ui/pages/routes/targetnode.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Switchyard;

namespace {

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

QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Presses on `from`, moves there in steps with the button held (as a hand does) and releases at `to`.
void drag(QWidget *viewport, QPoint from, QPoint to)
{
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    constexpr int Steps = 5;
    for (int step = 1; step <= Steps; ++step) {
        const QPointF at = from + (to - from) * step / Steps;
        QMouseEvent move(
            QEvent::MouseMove, at, viewport->mapToGlobal(at), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &move);
    }
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
}

void clickOk(QDialog *dialog)
{
    dialog->findChild<QDialogButtonBox *>(u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
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
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
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

    void dragReorderIsSavedAndUndone()
    {
        const QList<Ui::TargetNode *> nodes = m_scene->targetNodes();
        auto *view = child<QGraphicsView>(m_page, u"routeGraphView"_s);
        const QRectF first = nodes.at(0)->sceneBoundingRect();
        const QRectF second = nodes.at(1)->sceneBoundingRect();
        drag(view->viewport(), view->mapFromScene(first.center()),
            view->mapFromScene(QPointF(first.center().x(), second.bottom() - 2)));
        QTRY_COMPARE(titles(m_scene->targetNodes()), (QStringList {u"model-b"_s, u"model-a"_s, u"cheap"_s}));
        QVERIFY(m_page->hasUnsavedChanges());
        QCOMPARE(m_services->store->workspace().route(u"smart"_s)->targets.at(0).model, u"model-a"_s);

        child<QAction>(m_page, u"saveRoutesAction"_s)->trigger();
        QVERIFY(!m_page->hasUnsavedChanges());
        QCOMPARE(savedTargets(u"smart"_s), (QStringList {u"beta/model-b"_s, u"alpha/model-a"_s, u"route:cheap"_s}));

        view->setFocus();
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(titles(m_scene->targetNodes()), (QStringList {u"model-a"_s, u"model-b"_s, u"cheap"_s}));
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(titles(m_scene->targetNodes()), (QStringList {u"model-b"_s, u"model-a"_s, u"cheap"_s}));
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(savedTargets(u"smart"_s), (QStringList {u"alpha/model-a"_s, u"beta/model-b"_s, u"route:cheap"_s}));
    }

    void dialogEditsAreSavedAndUndone()
    {
        m_scene->selectTarget(1);
        child<QAction>(m_page, u"editTargetAction"_s)->trigger();
        QPointer<Ui::TargetDialog> dialog = child<Ui::TargetDialog>(m_page, u"targetDialog"_s);
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(child<QComboBox>(dialog, u"modelCombo"_s)->currentText(), u"model-b"_s);
        child<QSpinBox>(dialog, u"retriesSpin"_s)->setValue(3);
        clickOk(dialog);
        QTRY_VERIFY(dialog.isNull());
        QCOMPARE(m_scene->targetNodes().at(1)->content().lines.value(0), u"3 retries"_s);

        m_page->setCurrentRoute(u"cheap"_s);
        child<QAction>(m_page, u"routeSettingsAction"_s)->trigger();
        QPointer<Ui::RouteSettingsDialog> settings = child<Ui::RouteSettingsDialog>(m_page, u"routeSettingsDialog"_s);
        QVERIFY(settings);
        child<QSpinBox>(settings, u"routeRetriesSpin"_s)->setValue(2);
        clickOk(settings);
        QTRY_VERIFY(settings.isNull());

        child<QAction>(m_page, u"saveRoutesAction"_s)->trigger();
        QCOMPARE(m_services->store->workspace().route(u"smart"_s)->targets.at(1).retries, 3);
        QCOMPARE(m_services->store->workspace().route(u"cheap"_s)->retry.maxRetries, 2);
        QVERIFY(fileContents(m_services->workspacePath()).contains("\"maxRetries\": 2"));

        child<QAction>(m_page, u"undoAction"_s)->trigger();
        child<QAction>(m_page, u"undoAction"_s)->trigger();
        QCOMPARE(m_page->currentRoute(), u"smart"_s);
        child<QAction>(m_page, u"saveRoutesAction"_s)->trigger();
        QCOMPARE(m_services->store->workspace().route(u"smart"_s)->targets.at(1).retries, -1);
        QCOMPARE(m_services->store->workspace().route(u"cheap"_s)->retry.maxRetries, 0);
    }

    void renameCarriesNestedTargetsAndAddRouteAsksForATarget()
    {
        m_page->setCurrentRoute(u"cheap"_s);
        child<QPushButton>(m_page, u"routeSettingsButton"_s)->click();
        QPointer<Ui::RouteSettingsDialog> settings = child<Ui::RouteSettingsDialog>(m_page, u"routeSettingsDialog"_s);
        QVERIFY(settings);
        child<QLineEdit>(settings, u"nameEdit"_s)->setText(u"alpha"_s);
        clickOk(settings);
        QVERIFY2(child<QLabel>(settings, u"errorLabel"_s)->text().contains(u"provider id"_s),
            qPrintable(child<QLabel>(settings, u"errorLabel"_s)->text()));
        child<QLineEdit>(settings, u"nameEdit"_s)->setText(u"budget"_s);
        clickOk(settings);
        QTRY_VERIFY(settings.isNull());
        QCOMPARE(m_page->currentRoute(), u"budget"_s);

        child<QPushButton>(m_page, u"addRouteButton"_s)->click();
        QPointer<Ui::RouteSettingsDialog> added = child<Ui::RouteSettingsDialog>(m_page, u"routeSettingsDialog"_s);
        QVERIFY(added);
        auto *first = child<QComboBox>(added, u"firstTargetCombo"_s);
        QCOMPARE(first->count(), 4);
        first->setEditText(u"gamma/model-x"_s);
        clickOk(added);
        QVERIFY(child<QLabel>(added, u"errorLabel"_s)->text().contains(u"gamma"_s));
        first->setEditText(u"alpha/model-a"_s);
        clickOk(added);
        QTRY_VERIFY(added.isNull());
        QCOMPARE(m_page->currentRoute(), u"new-route"_s);

        child<QAction>(m_page, u"saveRoutesAction"_s)->trigger();
        QCOMPARE(savedTargets(u"smart"_s), (QStringList {u"alpha/model-a"_s, u"beta/model-b"_s, u"route:budget"_s}));
        QCOMPARE(savedTargets(u"new-route"_s), QStringList {u"alpha/model-a"_s});
    }

    void invalidEditsShowInlineAndSaveNothing()
    {
        const QByteArray before = fileContents(m_services->workspacePath());
        m_scene->selectTarget(0);
        child<QAction>(m_page, u"editTargetAction"_s)->trigger();
        QPointer<Ui::TargetDialog> dialog = child<Ui::TargetDialog>(m_page, u"targetDialog"_s);
        QVERIFY(dialog);
        child<QComboBox>(dialog, u"modelCombo"_s)->setEditText(u"bad model"_s);
        clickOk(dialog);
        QVERIFY(dialog->isVisible());
        auto *error = child<QLabel>(dialog, u"errorLabel"_s);
        QVERIFY(!error->isHidden());
        QVERIFY2(
            error->text().contains(u"bad model"_s) && error->text().contains(u"space"_s), qPrintable(error->text()));
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());
        QVERIFY(!m_page->hasUnsavedChanges());

        // "cheap" is used by "smart", so it stays.
        m_page->setCurrentRoute(u"cheap"_s);
        child<QPushButton>(m_page, u"deleteRouteButton"_s)->click();
        QVERIFY(child<QLabel>(m_page, u"routesMessageLabel"_s)->text().contains(u"smart"_s));
        QCOMPARE(m_page->currentRoute(), u"cheap"_s);

        // A route without targets is shown as a problem and cannot be saved.
        for (int i = 0; i < 2; ++i) {
            m_scene->selectTarget(0);
            child<QAction>(m_page, u"removeTargetAction"_s)->trigger();
        }
        QVERIFY(m_scene->targetNodes().isEmpty());
        auto *validation = child<QLabel>(m_page, u"routeValidationLabel"_s);
        QVERIFY(!validation->isHidden());
        QVERIFY2(validation->text().contains(u"a route needs at least one target"_s), qPrintable(validation->text()));
        child<QAction>(m_page, u"saveRoutesAction"_s)->trigger();
        QVERIFY(child<QLabel>(m_page, u"routesMessageLabel"_s)->text().startsWith(u"Nothing was saved"_s));
        QCOMPARE(fileContents(m_services->workspacePath()), before);
        QCOMPARE(m_services->store->workspace().route(u"cheap"_s)->targets.size(), 2);
    }

    void rehearsalShowsTheDistribution()
    {
        auto *panel = child<Ui::RehearsalPanel>(m_page, u"rehearsalPanel"_s);
        auto *scenarioView = child<QTableView>(panel, u"scenarioView"_s);
        auto *resultsView = child<QTableView>(panel, u"rehearsalResultsView"_s);
        QAbstractItemModelTester scenarioTester(
            scenarioView->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester resultsTester(
            resultsView->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Every target "smart" can reach, nested ones included.
        QCOMPARE(scenarioView->model()->rowCount(), 4);
        QCOMPARE(scenarioView->model()->index(0, 0).data().toString(), u"alpha/model-a"_s);

        auto *preset = child<QComboBox>(panel, u"scenarioCombo"_s);
        preset->setCurrentIndex(preset->findText(u"First target fails every time"_s));
        QCOMPARE(scenarioView->model()->index(0, 1).data(Qt::EditRole).toInt(), 100);
        QCOMPARE(scenarioView->model()->index(1, 1).data().toString(), u"0 %"_s);
        child<QSpinBox>(panel, u"requestsSpin"_s)->setValue(200);
        child<QPushButton>(panel, u"runRehearsalButton"_s)->click();
        QTRY_VERIFY(resultsView->model()->rowCount() > 0);

        const QAbstractItemModel *results = resultsView->model();
        QHash<QString, int> served;
        for (int row = 0; row < results->rowCount(); ++row) {
            served.insert(results->index(row, 0).data().toString(), results->index(row, 1).data().toInt());
        }
        QCOMPARE(served.value(u"alpha/model-a"_s), 0);
        QCOMPARE(served.value(u"beta/model-b"_s), 200);
        QVERIFY(child<QLabel>(panel, u"rehearsalSummaryLabel"_s)->text().startsWith(u"200 of 200 requests answered"_s));
        const QList<Ui::TargetNode *> nodes = m_scene->targetNodes();
        QCOMPARE(nodes.at(0)->content().share, 0.0);
        QCOMPARE(nodes.at(1)->content().share, 1.0);
        QVERIFY(nodes.at(1)->content().lines.last().startsWith(u"served 100 %"_s));
        QCOMPARE(nodes.at(2)->content().share, 0.0);

        m_scene->setExpanded(u"2"_s, true);
        m_scene->selectTarget(1);
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"routes"_s));

        // An edit makes the report stale: it is taken off the chain.
        m_scene->selectTarget(2);
        child<QAction>(m_page, u"removeTargetAction"_s)->trigger();
        QCOMPARE(results->rowCount(), 0);
        QCOMPARE(m_scene->targetNodes().at(0)->content().share, -1.0);
    }

private:
    QStringList savedTargets(const QString &route) const
    {
        Config::WorkspaceStore reader(m_services->workspacePath());
        if (!reader.load()) {
            return {};
        }
        QStringList targets;
        for (const Routing::RouteTarget &target : reader.workspace().route(route)->targets) {
            targets.append(target.toString());
        }
        return targets;
    }

    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
    Ui::RoutesPage *m_page = nullptr;
    Ui::RouteScene *m_scene = nullptr;
};

QTEST_MAIN(TestRoutesPage)
#include "tst_routespage.moc"
