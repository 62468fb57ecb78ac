#include "uitestservices.h"

#include "core/gateway/gatewayruntime.h"
#include "core/ledger/ledger.h"
#include "core/routing/decisiontrace.h"
#include "ui/mainwindow.h"
#include "ui/models/requestlogmodel.h"
#include "ui/pages/logs/requestdetailview.h"

#include <QApplication>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPalette>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;

namespace {

// Picks an entry the way a user does with the keyboard, so the combo reports it as activated.
void choose(QComboBox *combo, const QString &text)
{
    const int target = combo->findText(text);
    QVERIFY2(target >= 0, qPrintable(text));
    while (combo->currentIndex() < target) {
        QTest::keyClick(combo, Qt::Key_Down);
    }
    while (combo->currentIndex() > target) {
        QTest::keyClick(combo, Qt::Key_Up);
    }
}

QStringList column(const QAbstractItemModel *model, Ui::RequestLogModel::Column column)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row) {
        values.append(model->index(row, int(column)).data().toString());
    }
    return values;
}

Routing::RouteTarget target(const QString &text)
{
    return Routing::RouteTarget::parse(text).value();
}

// The trace the gateway stores for a "smart" request whose first target failed with a 503.
QByteArray fallbackTrace()
{
    Routing::RoutePlan plan;
    plan.routeName = u"smart"_s;
    plan.strategy = Routing::Strategy::Fallback;
    plan.targets = {{target(u"openai/gpt-4o"_s), u"smart"_s, {}, u"position 1 of 2"_s},
        {target(u"anthropic/claude-sonnet-4"_s), u"smart"_s, {}, u"position 2 of 2"_s}};
    plan.skipped = {{target(u"groq/llama-3.3-70b"_s), u"smart"_s, Routing::SkippedTarget::Why::BreakerOpen,
        u"circuit breaker open, next probe in 3500 ms"_s}};
    Routing::DecisionTrace trace(plan);
    Routing::DecisionTrace::Attempt failed;
    failed.target = target(u"openai/gpt-4o"_s);
    failed.outcome.httpStatus = 503;
    failed.outcome.errorType = u"server_error"_s;
    failed.outcome.latencyMs = 812;
    failed.condition = Routing::FallbackCondition::Http5xx;
    failed.next = Routing::DecisionTrace::Next::Fallback;
    trace.addAttempt(failed);
    Routing::DecisionTrace::Attempt answered;
    answered.target = target(u"anthropic/claude-sonnet-4"_s);
    answered.startedAtMs = 815;
    answered.outcome.httpStatus = 200;
    answered.outcome.latencyMs = 402;
    trace.addAttempt(answered);
    return QJsonDocument(trace.toJson()).toJson(QJsonDocument::Compact);
}

Ledger::UsageRecord usageRecord(const QString &requestId, const QString &provider, const QString &model)
{
    Ledger::UsageRecord record;
    record.requestId = requestId;
    record.keyName = u"laptop"_s;
    record.route = u"smart"_s;
    record.provider = provider;
    record.model = model;
    record.status = 200;
    record.stream = true;
    record.latencyMs = 1240;
    record.ttftMs = 402;
    record.usage = Usage {1830, 412, 1024, 0, 0, true, {}};
    record.cost = Money::fromNanoUsd(9'732'000);
    record.priceSource = u"bundled"_s;
    return record;
}

// A morning of gateway traffic: a fallback, a direct request, a timeout, an unpriced model.
QList<Ledger::UsageRecord> traffic()
{
    QList<Ledger::UsageRecord> records;
    for (int i = 0; i < 6; ++i) {
        Ledger::UsageRecord r = usageRecord(u"req-%1"_s.arg(100 + i), u"openai"_s, u"gpt-4o-mini"_s);
        r.keyName = i % 2 == 0 ? u"laptop"_s : u"ci-runner"_s;
        r.route = u"fast"_s;
        r.usage = Usage {420 + 10 * i, 96 + i, 0, 0, 0, true, {}};
        r.cost = Money::fromNanoUsd(120'000 + 1000 * i);
        r.trace = R"({"route":"fast","strategy":"lowest_latency","planned":[],"skipped":[],"attempts":[]})"_ba;
        records.append(r);
    }
    Ledger::UsageRecord direct = usageRecord(u"req-200"_s, u"groq"_s, u"llama-3.1-8b-instant"_s);
    direct.route.clear();
    direct.cost = Money::fromNanoUsd(21'000);
    records.append(direct);
    Ledger::UsageRecord timeout = usageRecord(u"req-201"_s, u"mistral"_s, u"mistral-small-latest"_s);
    timeout.keyName = u"ci-runner"_s;
    timeout.status = 0;
    timeout.ttftMs = -1;
    timeout.usage = {};
    timeout.cost.reset();
    timeout.errorClass = u"timeout"_s;
    records.append(timeout);
    Ledger::UsageRecord unpriced = usageRecord(u"req-202"_s, u"local"_s, u"qwen2.5-coder:7b"_s);
    unpriced.route.clear();
    unpriced.cost.reset();
    records.append(unpriced);
    Ledger::UsageRecord first = usageRecord(u"req-300"_s, u"openai"_s, u"gpt-4o"_s);
    first.status = 503;
    first.errorClass = u"http_5xx"_s;
    first.usage = {};
    first.cost.reset();
    first.ttftMs = -1;
    first.latencyMs = 812;
    records.append(first);
    Ledger::UsageRecord second = usageRecord(u"req-300"_s, u"anthropic"_s, u"claude-sonnet-4"_s);
    second.attempt = 2;
    second.trace = fallbackTrace();
    records.append(second);
    return records;
}

} // namespace

// The Logs page in the main window, on a real ledger file read by the page's worker thread.
class TestLogsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchyard-tests"_s);
        m_lightPalette = QApplication::palette();
    }

    void init()
    {
        QSettings().clear(); // window state from an earlier test
        m_services = std::make_unique<UiTestServices>();
        QVERIFY(m_services->setUp());
        QTRY_VERIFY(m_services->runtime->isReady());
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
        QApplication::setPalette(m_lightPalette);
    }

    void tableShowsTheLedgerNewestFirst()
    {
        appendTraffic();
        openLogs();
        QAbstractItemModel *model = m_view->model();
        QTRY_COMPARE(model->rowCount(), 11);
        using Column = Ui::RequestLogModel::Column;
        QCOMPARE(model->index(0, int(Column::Target)).data().toString(), u"anthropic/claude-sonnet-4"_s);
        QCOMPARE(model->index(1, int(Column::Error)).data().toString(), u"http_5xx"_s);
        QCOMPARE(model->index(1, int(Column::Cost)).data().toString(), u"unknown"_s);
        QCOMPARE(model->index(2, int(Column::Cost)).data().toString(), u"unknown"_s);
        QCOMPARE(model->index(3, int(Column::Status)).data().toString(), u"–"_s);
        QCOMPARE(model->index(4, int(Column::Route)).data().toString(), u"–"_s);
        QCOMPARE(model->index(5, int(Column::Cost)).data().toString(), Money::fromNanoUsd(125'000).toString());
        // Plural forms come from the translation catalog, which tests do not load.
        auto *status = child<QLabel>(m_window.get(), u"logsStatusLabel"_s);
        QTRY_VERIFY2(status->text().startsWith(u"11 record"_s) && status->text().endsWith(u"all shown"_s),
            qPrintable(status->text()));

        // Committed records appear on top.
        m_services->ledger->append(usageRecord(u"req-400"_s, u"openai"_s, u"o3-mini"_s));
        QTRY_COMPARE(model->rowCount(), 12);
        QCOMPARE(model->index(0, int(Column::Target)).data().toString(), u"openai/o3-mini"_s);
    }

    void filtersNarrowTheTable()
    {
        appendTraffic();
        openLogs();
        QAbstractItemModel *model = m_view->model();
        QTRY_COMPARE(model->rowCount(), 11);
        using Column = Ui::RequestLogModel::Column;

        auto *outcome = child<QComboBox>(m_window.get(), u"logsOutcomeCombo"_s);
        choose(outcome, u"Errors"_s);
        QTRY_COMPARE(column(model, Column::Error), (QStringList {u"http_5xx"_s, u"timeout"_s}));
        choose(outcome, u"All statuses"_s);
        QTRY_COMPARE(model->rowCount(), 11);

        // The value lists come from the ledger, off the GUI thread.
        auto *provider = child<QComboBox>(m_window.get(), u"logsProviderCombo"_s);
        QTRY_COMPARE(provider->count(), 6);
        QCOMPARE(provider->itemText(1), u"anthropic"_s);
        choose(provider, u"openai"_s);
        QTRY_COMPARE(model->rowCount(), 7);
        choose(provider, u"All providers"_s);

        auto *route = child<QComboBox>(m_window.get(), u"logsRouteCombo"_s);
        QTRY_COMPARE(route->count(), 4);
        choose(route, u"Direct requests"_s);
        QTRY_COMPARE(
            column(model, Column::Target), (QStringList {u"local/qwen2.5-coder:7b"_s, u"groq/llama-3.1-8b-instant"_s}));
        choose(route, u"All routes"_s);

        auto *key = child<QComboBox>(m_window.get(), u"logsKeyCombo"_s);
        QTRY_COMPARE(key->count(), 4);
        choose(key, u"ci-runner"_s);
        QTRY_COMPARE(model->rowCount(), 4);
        choose(key, u"All keys"_s);

        auto *search = child<QLineEdit>(m_window.get(), u"logsSearchEdit"_s);
        QTest::keyClicks(search, u"CLAUDE"_s);
        QTRY_COMPARE(column(model, Column::Target), (QStringList {u"anthropic/claude-sonnet-4"_s}));
        search->clear();
        QTest::keyClicks(search, u"req-20"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE(model->rowCount(), 3);
        search->clear();
        QTRY_COMPARE(model->rowCount(), 11);

        // Everything was recorded just now, so the time ranges only tell themselves apart by a
        // record from last week.
        Ledger::UsageRecord old = usageRecord(u"req-old"_s, u"openai"_s, u"gpt-4"_s);
        old.time = QDateTime::currentDateTimeUtc().addDays(-8);
        m_services->ledger->append(old);
        QTRY_COMPARE(model->rowCount(), 12);
        choose(child<QComboBox>(m_window.get(), u"logsTimeCombo"_s), u"Last 7 days"_s);
        QTRY_COMPARE(model->rowCount(), 11);

        // A live record that does not match the filter stays out.
        choose(outcome, u"Errors"_s);
        QTRY_COMPARE(model->rowCount(), 2);
        m_services->ledger->append(usageRecord(u"req-401"_s, u"openai"_s, u"o3-mini"_s));
        Ledger::UsageRecord refused = usageRecord(u"req-402"_s, u"openai"_s, u"o3-mini"_s);
        refused.status = 429;
        refused.errorClass = u"http_429"_s;
        m_services->ledger->append(refused);
        QTRY_COMPARE(model->rowCount(), 3);
        QCOMPARE(model->index(0, int(Column::Error)).data().toString(), u"http_429"_s);
    }

    void detailPaneShowsTheRequestsTrace()
    {
        appendTraffic();
        openLogs();
        QAbstractItemModel *model = m_view->model();
        QTRY_COMPARE(model->rowCount(), 11);
        auto *detail = child<Ui::RequestDetailView>(m_window.get(), u"requestDetailView"_s);
        QVERIFY(detail->toPlainText().contains(u"Select a request"_s));

        // The first attempt's record has no trace of its own; the request's last attempt has.
        m_view->selectRow(1);
        QCOMPARE(detail->record()->requestId, u"req-300"_s);
        QCOMPARE(detail->record()->attempt, 1);
        const auto text = [detail] { return detail->toPlainText(); };
        QTRY_VERIFY2(text().contains(u"fell back to the next target"_s), qPrintable(text()));
        for (const QString &expected : {u"Request req-300, Attempt 1"_s, u"openai/gpt-4o"_s, u"HTTP 503"_s,
                 u"http_5xx"_s, u"Route smart, strategy fallback"_s, u"position 2 of 2"_s,
                 u"groq/llama-3.3-70b — circuit breaker open, next probe in 3500 ms"_s, u"server_error"_s,
                 u"HTTP 503, server_error, after 812 ms, counts as http_5xx"_s, u"+815 ms"_s, u"answered the client"_s,
                 u"unknown: no price"_s, u"Request and Response Bodies"_s, u"Not stored"_s}) {
            QVERIFY2(text().contains(expected), qPrintable(expected + u" not in:\n"_s + text()));
        }

        // A direct request's trace says so; an untraced one says it has none.
        m_view->selectRow(2);
        QTRY_VERIFY2(text().contains(u"No routing trace is stored"_s), qPrintable(text()));
        QVERIFY(text().contains(u"none (a direct provider/model request)"_s));
        m_view->selectRow(5);
        QTRY_VERIFY2(text().contains(u"strategy lowest latency"_s), qPrintable(text()));
        const QLocale locale;
        const QString tokens = u"%1 in (0 cached, 0 written to the cache), %2 out (0 reasoning)"_s.arg(
            locale.toString(470), locale.toString(101));
        QVERIFY2(text().contains(tokens), qPrintable(text()));

        // A new filter empties the table and the pane.
        choose(child<QComboBox>(m_window.get(), u"logsOutcomeCombo"_s), u"Errors"_s);
        QVERIFY(text().contains(u"Select a request"_s));
    }

    void detailPaneShowsCapturedBodies()
    {
        Ledger::UsageRecord captured = usageRecord(u"req-400"_s, u"openai"_s, u"gpt-4o-mini"_s);
        Ledger::CapturedBodies bodies;
        bodies.request = "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}"_ba;
        bodies.response = "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\ndata: [DONE]\n\n"_ba;
        bodies.truncated = true;
        captured.bodies = std::make_shared<const Ledger::CapturedBodies>(bodies);
        m_services->ledger->append(captured);
        m_services->ledger->flush();
        openLogs();
        QTRY_COMPARE(m_view->model()->rowCount(), 1);
        auto *detail = child<Ui::RequestDetailView>(m_window.get(), u"requestDetailView"_s);
        m_view->selectRow(0);
        const auto text = [detail] { return detail->toPlainText(); };
        // The JSON request indented, the stream as its frames.
        QTRY_VERIFY2(text().contains(u"\"content\": \"Hi there\""_s), qPrintable(text()));
        QVERIFY2(text().contains(u"data: [DONE]"_s), qPrintable(text()));
        QVERIFY(text().contains(u"Cut at 256 KiB per body."_s));
        QVERIFY(!text().contains(u"Not stored"_s));
    }

    void screenshots()
    {
        appendTraffic();
        openLogs();
        QTRY_COMPARE(m_view->model()->rowCount(), 11);
        m_view->selectRow(0);
        auto *detail = child<Ui::RequestDetailView>(m_window.get(), u"requestDetailView"_s);
        QTRY_VERIFY(detail->toPlainText().contains(u"answered the client"_s));
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"logs"_s));

        // A dark system palette, as a desktop in dark mode hands it to Qt.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x6e, 0xb5));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        QApplication::setPalette(dark);
        m_view->selectRow(1);
        QTRY_VERIFY(detail->toPlainText().contains(u"fell back to the next target"_s));
        QCOMPARE(detail->palette().color(QPalette::Base), dark.color(QPalette::Base));
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"logs-dark"_s));
    }

private:
    void appendTraffic()
    {
        for (const Ledger::UsageRecord &record : traffic()) {
            m_services->ledger->append(record);
        }
        m_services->ledger->flush();
    }

    void openLogs()
    {
        m_window = m_services->createWindow();
        m_window->setCurrentPage(u"logs"_s);
        m_view = child<QTableView>(m_window.get(), u"requestLogView"_s);
        QVERIFY(m_view);
    }

    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
    QTableView *m_view = nullptr;
    QPalette m_lightPalette;
};

QTEST_MAIN(TestLogsPage)
#include "tst_logspage.moc"
