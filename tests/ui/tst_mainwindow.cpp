#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "ui/mainwindow.h"
#include "ui/widgets/gatewaytrayicon.h"
#include "ui/widgets/inlinemessage.h"

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Switchyard;

namespace {

Ledger::UsageRecord pricedRecord(const QDateTime &time, std::optional<Money> cost)
{
    Ledger::UsageRecord record;
    record.time = time;
    record.requestId = u"req-%1"_s.arg(time.toMSecsSinceEpoch());
    record.keyName = u"laptop"_s;
    record.provider = u"openai"_s;
    record.model = u"gpt-4o-mini"_s;
    record.status = 200;
    record.cost = cost;
    return record;
}

} // namespace

// The window shell: sidebar, shortcuts, status bar, tray and the state kept across restarts.
class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Window state goes to a folder of the test's own.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(u"switchyard-window-tests"_s);
    }

    void init()
    {
        QSettings().clear();
        m_services = std::make_unique<UiTestServices>();
        QVERIFY(m_services->setUp());
        QTRY_VERIFY(m_services->runtime->isReady());
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
    }

    void sidebarListsThePagesAndShortcutsSwitchThem()
    {
        m_window = m_services->createWindow();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QCOMPARE(m_window->pages(),
            (QStringList {u"playground"_s, u"models"_s, u"routes"_s, u"providers"_s, u"gateway"_s, u"logs"_s}));
        auto *sidebar = child<QListWidget>(m_window.get(), u"sidebar"_s);
        QCOMPARE(sidebar->count(), 6);
        QCOMPARE(sidebar->item(0)->text(), u"Playground"_s);
        QCOMPARE(sidebar->item(1)->text(), u"Models"_s);
        QCOMPARE(sidebar->item(2)->text(), u"Routes"_s);
        QCOMPARE(sidebar->item(3)->text(), u"Providers"_s);
        QCOMPARE(sidebar->item(4)->text(), u"Gateway"_s);
        QCOMPARE(sidebar->item(5)->text(), u"Logs"_s);
        QCOMPARE(sidebar->item(5)->toolTip(), u"Logs (Ctrl+6)"_s);
        QCOMPARE(m_window->currentPage(), u"playground"_s);
        QVERIFY(child<QWidget>(m_window.get(), u"logsPage"_s));

        QTest::keyClick(m_window.get(), Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(m_window->currentPage(), u"logs"_s);
        QCOMPARE(sidebar->currentRow(), 5);
        QTest::keyClick(m_window.get(), Qt::Key_5, Qt::ControlModifier);
        QCOMPARE(m_window->currentPage(), u"gateway"_s);
        sidebar->setCurrentRow(3);
        QCOMPARE(m_window->currentPage(), u"providers"_s);
        m_window->setCurrentPage(u"no-such-page"_s);
        QCOMPARE(m_window->currentPage(), u"providers"_s);
    }

    void lastPageAndGeometryAreRestored()
    {
        m_window = m_services->createWindow();
        QCOMPARE(m_window->size(), QSize(1280, 800));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Somewhere else on the screen (the offscreen one is small), at a size the window allows.
        const QRect available = m_window->screen()->availableGeometry();
        const QSize size = m_window->minimumSizeHint().expandedTo(QSize(640, 480)) + QSize(24, 16);
        if (size.width() + 30 > available.width() || size.height() + 20 > available.height()) {
            QSKIP("The screen is too small to move the window around on.");
        }
        const QRect geometry(available.topLeft() + QPoint(30, 20), size);
        m_window->setGeometry(geometry);
        QTRY_COMPARE(m_window->geometry(), geometry);
        m_window->setCurrentPage(u"logs"_s);
        QVERIFY(m_window->close());

        m_window = m_services->createWindow();
        QCOMPARE(m_window->currentPage(), u"logs"_s);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QCOMPARE(m_window->geometry(), geometry);
        QVERIFY(QFileInfo::exists(m_settingsDir.filePath(u"switchyard-window-tests/tst_mainwindow.ini"_s)));

        // A page that no longer exists falls back to the first one.
        QSettings().setValue(u"mainWindow/page"_s, u"spend"_s);
        m_window = m_services->createWindow();
        QCOMPARE(m_window->currentPage(), u"playground"_s);
    }

    void statusBarShowsTheGatewayState()
    {
        m_window = m_services->createWindow();
        auto *status = child<QLabel>(m_window.get(), u"gatewayStatusLabel"_s);
        auto *action = child<QAction>(m_window.get(), u"gatewayAction"_s);
        QCOMPARE(status->text(), u"Gateway stopped"_s);
        QCOMPARE(action->text(), u"&Start Gateway"_s);

        // A taken port: the window says why the gateway is not running.
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        Config::Workspace workspace = m_services->store->workspace();
        workspace.gateway.port = blocker.serverPort();
        QVERIFY(m_services->store->save(workspace));
        m_window->startGateway();
        Gateway::GatewayService *gateway = m_services->runtime->gateway();
        QVERIFY(!gateway->isRunning());
        QVERIFY2(status->text().startsWith(u"Gateway not running: "_s), qPrintable(status->text()));
        QVERIFY(status->text().size() > u"Gateway not running: "_s.size());

        blocker.close();
        action->trigger();
        QVERIFY(gateway->isRunning());
        QCOMPARE(status->text(), u"Gateway running on http://127.0.0.1:%1/v1"_s.arg(workspace.gateway.port));
        QCOMPARE(action->text(), u"&Stop Gateway"_s);
        action->trigger();
        QVERIFY(!gateway->isRunning());
        QCOMPARE(status->text(), u"Gateway stopped"_s);
    }

    void statusBarShowsTodaysSpend()
    {
        const QDateTime now = QDateTime::currentDateTime();
        // Yesterday's spend does not count.
        m_services->ledger->append(pricedRecord(now.date().addDays(-1).startOfDay().toUTC(), Money::fromUsd(5)));
        m_services->ledger->flush();
        m_window = m_services->createWindow();
        auto *spend = child<QLabel>(m_window.get(), u"todaySpendLabel"_s);
        QTRY_COMPARE(spend->text(), u"Today: $0.00"_s);

        // Refreshed as records are committed; a sub-cent day keeps its digits, so it never reads as $0.
        m_services->ledger->append(pricedRecord(now.toUTC(), Money::fromNanoUsd(1'300'000)));
        QTRY_COMPARE(spend->text(), u"Today: $0.001300"_s);
        m_services->ledger->append(pricedRecord(now.toUTC(), Money::fromUsd(2.5)));
        QTRY_COMPARE(spend->text(), u"Today: $2.50"_s);

        // An unpriced request is counted apart, never as $0.
        m_services->ledger->append(pricedRecord(now.toUTC(), std::nullopt));
        // "%n unpriced" takes its plural form from the catalog, which tests do not load.
        QTRY_VERIFY2(spend->text().startsWith(u"Today: $2.50 + 1 unpriced"_s), qPrintable(spend->text()));
        QVERIFY(spend->toolTip().contains(u"since midnight"_s));
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"window"_s));
    }

    void quitIsAskedForByShortcut()
    {
        m_window = m_services->createWindow();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_window->setCurrentPage(u"gateway"_s);
        QSignalSpy quit(m_window.get(), &Ui::MainWindow::quitRequested);
        QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier);
        QCOMPARE(quit.count(), 1);
        QCOMPARE(QSettings().value(u"mainWindow/page"_s).toString(), u"gateway"_s);
    }

    void closingWithoutATrayClosesTheWindow()
    {
        m_window = m_services->createWindow();
        if (m_window->hasTrayIcon()) {
            QSKIP("This desktop has a notification area: closing hides the window instead.");
        }
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(m_window->close());
        QVERIFY(!m_window->isVisible());
    }

    void trayIconFollowsTheGateway()
    {
        m_window = m_services->createWindow();
        Gateway::GatewayService *gateway = m_services->runtime->gateway();
        QAction show(u"Show Window"_s);
        QAction quit(u"Quit"_s);
        Ui::GatewayTrayIcon tray(gateway, {&show, nullptr, &quit});
        QVERIFY(!tray.icon().isNull());
        const qint64 stoppedIcon = tray.icon().cacheKey();
        tray.setGatewayState(u"Gateway stopped"_s);
        QCOMPARE(tray.toolTip(), u"Switchyard: Gateway stopped"_s);
        QCOMPARE(tray.contextMenu()->actions().size(), 3);
        QCOMPARE(tray.contextMenu()->actions().at(0), &show);
        QVERIFY(tray.contextMenu()->actions().at(1)->isSeparator());

        QVERIFY(gateway->start(u"127.0.0.1"_s, 0));
        QVERIFY(tray.icon().cacheKey() != stoppedIcon);
        gateway->stop();
    }

    void errorTextFollowsTheSystemPalette()
    {
        QWidget parent;
        auto *message = new Ui::InlineMessage(&parent);
        QPalette light;
        light.setColor(QPalette::Window, QColor(0xf5, 0xf5, 0xf5));
        light.setColor(QPalette::WindowText, Qt::black);
        parent.setPalette(light);
        message->showError(u"The port is taken."_s);
        const QColor onLight = message->palette().color(QPalette::WindowText);
        QCOMPARE(onLight.hslHue(), 0);
        QCOMPARE(message->palette().color(QPalette::Window), light.color(QPalette::Window));

        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        parent.setPalette(dark);
        const QColor onDark = message->palette().color(QPalette::WindowText);
        QCOMPARE(onDark.hslHue(), 0);
        QVERIFY2(onDark.lightness() > onLight.lightness(), "a lighter red on a dark window");
        QCOMPARE(message->palette().color(QPalette::Window), dark.color(QPalette::Window));

        message->showInfo(u"Saved."_s);
        QCOMPARE(message->palette().color(QPalette::WindowText), dark.color(QPalette::WindowText));
    }

private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
