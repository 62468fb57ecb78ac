#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/clientsnippets.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/providers/providerpresets.h"
#include "tests/support/fakeprovider.h"
#include "ui/dialogs/createlocalkeydialog.h"
#include "ui/dialogs/keylimitsdialog.h"
#include "ui/dialogs/localkeycreateddialog.h"
#include "ui/mainwindow.h"
#include "ui/models/localkeysmodel.h"
#include "ui/widgets/clientsnippetsview.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Gateway::ClientSnippets;

namespace {

constexpr auto UpstreamKeyVariable = "SWITCHYARD_GATEWAYPAGE_UPSTREAM_KEY";
constexpr auto UpstreamKey = "sk-upstream-gatewaypage";

void clickOk(QDialog *dialog)
{
    child<QDialogButtonBox>(dialog, u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
}

QByteArray workspaceFile(const UiTestServices &services)
{
    QFile file(services.workspacePath());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

Ledger::UsageRecord usageRecord(const QString &requestId)
{
    Ledger::UsageRecord record;
    record.requestId = requestId;
    record.keyName = u"laptop"_s;
    record.route = u"fast"_s;
    record.provider = u"groq"_s;
    record.model = u"llama-3.1-8b-instant"_s;
    record.status = 200;
    record.latencyMs = 812;
    record.ttftMs = 95;
    record.usage = Usage {1200, 340, 0, 0, 0, true, {}};
    record.cost = Money::fromNanoUsd(87'000);
    return record;
}

} // namespace

// The Gateway page driven through its widgets, on real services: workspace file, SQLite ledger,
// keychain session and a gateway listening on loopback.
class TestGatewayPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchyard-tests"_s);
        qputenv(UpstreamKeyVariable, UpstreamKey);
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
    }

    void startAndStopFromTheButton()
    {
        // Hold a port so the first start fails the way a busy port does, then free it for the second.
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        const quint16 port = blocker.serverPort();
        Config::Workspace workspace = m_services->store->workspace();
        workspace.gateway.port = port;
        QVERIFY(m_services->store->save(workspace));

        m_window = m_services->createWindow();
        auto *button = child<QPushButton>(m_window.get(), u"startStopButton"_s);
        auto *error = child<QLabel>(m_window.get(), u"gatewayErrorLabel"_s);
        auto *status = child<QLabel>(m_window.get(), u"gatewayStatusLabel"_s);
        QVERIFY(button->isEnabled());
        QCOMPARE(status->text(), u"Gateway stopped"_s);

        button->click();
        Gateway::GatewayService *gateway = m_services->runtime->gateway();
        QVERIFY(!gateway->isRunning());
        QVERIFY(!error->isHidden());
        QVERIFY2(!error->text().isEmpty(), "a failed start explains itself");

        blocker.close();
        button->click();
        QVERIFY(gateway->isRunning());
        QVERIFY(error->isHidden());
        QCOMPARE(gateway->port(), port);
        const QString url = u"http://127.0.0.1:%1/v1"_s.arg(port);
        QCOMPARE(status->text(), u"Gateway running on "_s + url);
        QCOMPARE(child<QLabel>(m_window.get(), u"gatewayStateLabel"_s)->text(), u"Running on "_s + url);
        QCOMPARE(button->text(), u"Stop Gateway"_s);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected());

        button->click();
        QVERIFY(!gateway->isRunning());
        QCOMPARE(status->text(), u"Gateway stopped"_s);
        QCOMPARE(button->text(), u"Start Gateway"_s);
    }

    void listenAddressIsValidatedAndSaved()
    {
        m_window = m_services->createWindow();
        auto *host = child<QLineEdit>(m_window.get(), u"hostEdit"_s);
        auto *port = child<QSpinBox>(m_window.get(), u"portSpinBox"_s);
        auto *save = child<QPushButton>(m_window.get(), u"saveAddressButton"_s);
        auto *message = child<QLabel>(m_window.get(), u"addressMessageLabel"_s);
        QCOMPARE(host->text(), u"127.0.0.1"_s);
        QCOMPARE(port->value(), 4000);

        host->setText(u"my laptop"_s);
        save->click();
        QVERIFY(!message->isHidden());
        QVERIFY(message->text().contains(u"my laptop"_s));
        QCOMPARE(m_services->store->workspace().gateway.host, u"127.0.0.1"_s);

        host->setText(u"0.0.0.0"_s);
        port->setValue(4321);
        save->click();
        QVERIFY(message->isHidden());
        QCOMPARE(m_services->store->workspace().gateway.host, u"0.0.0.0"_s);
        QCOMPARE(m_services->store->workspace().gateway.port, 4321);
        QVERIFY(workspaceFile(*m_services).contains("4321"));
    }

    void bodyCaptureIsOffUntilSwitchedOn()
    {
        m_window = m_services->createWindow();
        auto *capture = child<QCheckBox>(m_window.get(), u"captureBodiesCheck"_s);
        QVERIFY(!capture->isChecked());
        capture->click();
        QVERIFY(m_services->store->workspace().gateway.captureBodies);
        QVERIFY(workspaceFile(*m_services).contains("\"captureBodies\": true"));

        // A change made elsewhere (another window, the file) shows here.
        Config::Workspace workspace = m_services->store->workspace();
        workspace.gateway.captureBodies = false;
        QVERIFY(m_services->store->save(workspace));
        QVERIFY(!capture->isChecked());
    }

    void createShowsTheKeyOnceAndRevokeRemovesIt()
    {
        m_window = m_services->createWindow();
        child<QPushButton>(m_window.get(), u"createKeyButton"_s)->click();
        QPointer<QDialog> dialog = child<Ui::CreateLocalKeyDialog>(m_window.get(), u"createLocalKeyDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());

        clickOk(dialog);
        QVERIFY2(dialog->isVisible(), "an empty name is refused inline");
        QVERIFY(!child<QLabel>(dialog, u"errorLabel"_s)->isHidden());

        child<QLineEdit>(dialog, u"nameEdit"_s)->setText(u"laptop"_s);
        clickOk(dialog);
        QTRY_VERIFY(dialog.isNull());

        const auto shownDialogs = m_window->findChildren<Ui::LocalKeyCreatedDialog *>();
        QCOMPARE(shownDialogs.size(), 1);
        QPointer<QDialog> shown = shownDialogs.first();
        QVERIFY(shown->isVisible());
        const QString plaintext = child<QLineEdit>(shown, u"plaintextKeyEdit"_s)->text();
        QVERIFY2(plaintext.startsWith(u"sy-"_s) && plaintext.size() == 43, qPrintable(plaintext));
        QVERIFY(child<QLabel>(shown, u"notShownAgainLabel"_s)->text().contains(u"not be shown again"_s));
        QVERIFY(child<QPushButton>(shown, u"copyButton"_s));
        const QString withKey = child<QPlainTextEdit>(shown, u"snippetText-curl"_s)->toPlainText();
        QVERIFY2(withKey.contains(u"Bearer "_s + plaintext), "the snippets shown with the new key use it");

        const QByteArray sha256 = QCryptographicHash::hash(plaintext.toUtf8(), QCryptographicHash::Sha256).toHex();
        const QByteArray saved = workspaceFile(*m_services);
        QVERIFY(saved.contains(sha256));
        QVERIFY2(!saved.contains(plaintext.toUtf8()), "only the hash is stored");
        auto *keysView = child<QTableView>(m_window.get(), u"localKeysView"_s);
        QCOMPARE(keysView->model()->rowCount(), 1);
        QCOMPARE(keysView->model()->index(0, 0).data().toString(), u"laptop"_s);

        shown->close();
        QTRY_VERIFY(shown.isNull());
        for (const QLineEdit *edit : m_window->findChildren<QLineEdit *>()) {
            QVERIFY2(!edit->text().contains(plaintext), "the key is not shown again");
        }
        for (const QPlainTextEdit *edit : m_window->findChildren<QPlainTextEdit *>()) {
            QVERIFY2(!edit->toPlainText().contains(plaintext), "the key is not shown again");
        }

        // A second key with the same name is refused inline.
        child<QPushButton>(m_window.get(), u"createKeyButton"_s)->click();
        dialog = child<Ui::CreateLocalKeyDialog>(m_window.get(), u"createLocalKeyDialog"_s);
        child<QLineEdit>(dialog, u"nameEdit"_s)->setText(u"laptop"_s);
        clickOk(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(child<QLabel>(dialog, u"errorLabel"_s)->text().contains(u"already exists"_s));
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());

        // A key with a budget and a limit is revoked with them.
        Config::Workspace limited = m_services->store->workspace();
        limited.budgets.append(
            {Routing::Budget::Scope::Key, u"laptop"_s, Money::fromUsd(5), Routing::Budget::Window::Day});
        limited.limits.append({Routing::RateLimit::Scope::Key, u"laptop"_s, 60, 0});
        QVERIFY(m_services->store->save(limited));

        auto *revoke = child<QPushButton>(m_window.get(), u"revokeKeyButton"_s);
        QVERIFY(!revoke->isEnabled());
        keysView->selectRow(0);
        QVERIFY(revoke->isEnabled());
        revoke->click();
        QPointer<QMessageBox> confirmation = child<QMessageBox>(m_window.get(), u"revokeKeyConfirmation"_s);
        QVERIFY(confirmation);
        child<QPushButton>(confirmation, u"confirmButton"_s)->click();
        QTRY_VERIFY(confirmation.isNull());
        QVERIFY(m_services->store->workspace().localKeys.isEmpty());
        QVERIFY(m_services->store->workspace().budgets.isEmpty());
        QVERIFY(m_services->store->workspace().limits.isEmpty());
        QVERIFY(!workspaceFile(*m_services).contains(sha256));
        QCOMPARE(keysView->model()->rowCount(), 0);
    }

    void feedShowsHistoryThenLiveRecords()
    {
        m_services->ledger->append(usageRecord(u"req-history"_s));
        m_services->ledger->flush();
        m_window = m_services->createWindow();
        auto *feed = child<QTableView>(m_window.get(), u"requestFeedView"_s);
        QTRY_COMPARE(feed->model()->rowCount(), 1);

        Ledger::UsageRecord failed = usageRecord(u"req-live"_s);
        failed.provider = u"openai"_s;
        failed.model = u"gpt-4o-mini"_s;
        failed.status = 503;
        failed.attempt = 2;
        failed.ttftMs = -1;
        failed.cost.reset();
        failed.errorClass = u"http_5xx"_s;
        m_services->ledger->append(failed);
        QTRY_COMPARE(feed->model()->rowCount(), 2);
        const auto text = [feed](int row, int column) { return feed->model()->index(row, column).data().toString(); };
        QCOMPARE(text(0, 3), u"openai/gpt-4o-mini"_s);
        QCOMPARE(text(0, 10), u"unknown"_s);
        QCOMPARE(text(0, 11), u"http_5xx"_s);
        QCOMPARE(text(1, 3), u"groq/llama-3.1-8b-instant"_s);

        // Enough to make the screenshot look like a working gateway.
        Config::Workspace workspace = m_services->store->workspace();
        workspace.localKeys
            = {Config::LocalKey::generate(u"laptop"_s).first, Config::LocalKey::generate(u"ci-runner"_s).first};
        Providers::ProviderProfile groq
            = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"groq"_s), u"groq"_s);
        groq.models = {u"llama-3.1-8b-instant"_s};
        workspace.providers = {groq};
        workspace.routes = {Routing::Route(u"fast"_s, {{u"groq"_s, u"llama-3.1-8b-instant"_s}})};
        workspace.budgets
            = {{Routing::Budget::Scope::Key, u"laptop"_s, Money::fromUsd(5), Routing::Budget::Window::Day}};
        workspace.limits = {{Routing::RateLimit::Scope::Key, u"ci-runner"_s, 60, 200'000}};
        QVERIFY(m_services->store->save(workspace));
        m_services->ledger->append(usageRecord(u"req-3"_s));
        QTRY_COMPARE(feed->model()->rowCount(), 3);
        QVERIFY(m_services->runtime->gateway()->start(u"127.0.0.1"_s, 0));
        m_window->setCurrentPage(u"gateway"_s);
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"gateway"_s));
    }

    void keyBudgetAndLimitsAreValidatedInlineAndSaved()
    {
        Config::Workspace workspace = m_services->store->workspace();
        workspace.localKeys = {Config::LocalKey::generate(u"laptop"_s).first};
        QVERIFY(m_services->store->save(workspace));
        m_window = m_services->createWindow();
        auto *keysView = child<QTableView>(m_window.get(), u"localKeysView"_s);
        QAbstractItemModelTester tester(keysView->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto cell = [keysView](Ui::LocalKeysModel::Column column) {
            return keysView->model()->index(0, int(column)).data().toString();
        };
        QCOMPARE(cell(Ui::LocalKeysModel::Column::Budget), u"none"_s);
        auto *limitsButton = child<QPushButton>(m_window.get(), u"keyLimitsButton"_s);
        QVERIFY(!limitsButton->isEnabled());
        keysView->selectRow(0);
        limitsButton->click();
        QPointer<Ui::KeyLimitsDialog> dialog = child<Ui::KeyLimitsDialog>(m_window.get(), u"keyLimitsDialog"_s);
        QVERIFY(dialog);
        auto *daily = child<QLineEdit>(dialog, u"dailyBudgetEdit"_s);
        auto *monthly = child<QLineEdit>(dialog, u"monthlyBudgetEdit"_s);
        auto *requests = child<QLineEdit>(dialog, u"requestsPerMinuteEdit"_s);
        auto *tokens = child<QLineEdit>(dialog, u"tokensPerMinuteEdit"_s);
        auto *error = child<QLabel>(dialog, u"errorLabel"_s);
        QVERIFY(daily->text().isEmpty() && requests->text().isEmpty());

        const QByteArray before = workspaceFile(*m_services);
        daily->setText(u"five"_s);
        clickOk(dialog);
        QVERIFY2(dialog->isVisible(), "a budget that is not a number is refused");
        QVERIFY(!error->isHidden());
        QVERIFY(error->text().contains(u"\"five\""_s));
        QCOMPARE(workspaceFile(*m_services), before);

        daily->setText(u"-1"_s);
        clickOk(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(error->text().contains(u"\"-1\""_s));

        daily->setText(u"5"_s);
        monthly->setText(u"100.50"_s);
        requests->setText(u"0"_s);
        clickOk(dialog);
        QVERIFY2(dialog->isVisible(), "zero requests per minute is refused: empty means no limit");
        QVERIFY(error->text().startsWith(u"Requests per minute"_s));

        requests->setText(u"60"_s);
        tokens->setText(u"200000"_s);
        clickOk(dialog);
        QTRY_VERIFY(dialog.isNull());
        const QList<Routing::Budget> expectedBudgets {
            {Routing::Budget::Scope::Key, u"laptop"_s, Money::fromUsd(5), Routing::Budget::Window::Day},
            {Routing::Budget::Scope::Key, u"laptop"_s, Money::fromUsd(100.5), Routing::Budget::Window::Month},
        };
        QCOMPARE(m_services->store->workspace().budgets, expectedBudgets);
        const QList<Routing::RateLimit> expectedLimits {{Routing::RateLimit::Scope::Key, u"laptop"_s, 60, 200'000}};
        QCOMPARE(m_services->store->workspace().limits, expectedLimits);
        QVERIFY(workspaceFile(*m_services).contains("\"rpm\": 60"));
        QVERIFY2(cell(Ui::LocalKeysModel::Column::Budget).contains(u"5.00"_s)
                && cell(Ui::LocalKeysModel::Column::Budget).contains(u"/month"_s),
            qPrintable(cell(Ui::LocalKeysModel::Column::Budget)));
        QVERIFY(cell(Ui::LocalKeysModel::Column::Limits).startsWith(u"60 requests/min"_s));
        // The column may cut the text; the tooltip never does.
        QCOMPARE(keysView->model()->index(0, int(Ui::LocalKeysModel::Column::Limits)).data(Qt::ToolTipRole).toString(),
            cell(Ui::LocalKeysModel::Column::Limits));

        // Reopened, the dialog shows what was saved; emptied, it removes it.
        keysView->selectRow(0);
        limitsButton->click();
        dialog = child<Ui::KeyLimitsDialog>(m_window.get(), u"keyLimitsDialog"_s);
        QVERIFY(dialog);
        QCOMPARE(child<QLineEdit>(dialog, u"monthlyBudgetEdit"_s)->text(), u"100.50"_s);
        QCOMPARE(child<QLineEdit>(dialog, u"requestsPerMinuteEdit"_s)->text(), u"60"_s);
        for (QLineEdit *edit : dialog->findChildren<QLineEdit *>()) {
            edit->clear();
        }
        clickOk(dialog);
        QTRY_VERIFY(dialog.isNull());
        QVERIFY(m_services->store->workspace().budgets.isEmpty());
        QVERIFY(m_services->store->workspace().limits.isEmpty());
        QCOMPARE(cell(Ui::LocalKeysModel::Column::Limits), u"none"_s);
    }

    void snippetsUseTheListenAddressAndTheCurlOneWorks()
    {
        Testing::FakeProvider fake;
        QVERIFY(fake.start());
        fake.setRequiredKey(UpstreamKey);
        Testing::FakeProvider::Script script;
        script.answer = u"Hello through the snippet."_s;
        fake.setScript(u"gpt-4o-mini"_s, script);
        Config::Workspace workspace = m_services->store->workspace();
        Providers::ProviderProfile provider
            = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"openai"_s), u"fake"_s);
        provider.baseUrl = fake.baseUrl();
        provider.credentialRef = u"env:"_s + QLatin1StringView(UpstreamKeyVariable);
        provider.models = {u"gpt-4o-mini"_s};
        workspace.providers = {provider};
        workspace.routes = {Routing::Route(u"smart"_s, {{u"fake"_s, u"gpt-4o-mini"_s}})};
        auto [localKey, plaintext] = Config::LocalKey::generate(u"snippets"_s);
        workspace.localKeys = {localKey};
        QVERIFY(m_services->store->save(workspace));
        QTRY_VERIFY(m_services->runtime->isReady() && m_services->runtime->gateway()->tables()->provider(u"fake"_s));

        m_window = m_services->createWindow();
        auto *view = child<Ui::ClientSnippetsView>(m_window.get(), u"clientSnippetsView"_s);
        QCOMPARE(child<QComboBox>(m_window.get(), u"snippetModelCombo"_s)->currentText(), u"smart"_s);
        // Stopped: the saved address.
        QVERIFY(view->text(ClientSnippets::Kind::Curl).contains(u"http://127.0.0.1:4000/v1/chat/completions"_s));

        Gateway::GatewayService *gateway = m_services->runtime->gateway();
        QVERIFY(gateway->start(u"127.0.0.1"_s, 0));
        const QString origin = u"http://127.0.0.1:%1"_s.arg(gateway->port());
        const QString curl = view->text(ClientSnippets::Kind::Curl);
        QVERIFY2(curl.contains(origin + u"/v1/chat/completions"_s), qPrintable(curl));
        QVERIFY(curl.contains(u"$SWITCHYARD_API_KEY"_s));
        QVERIFY(curl.contains(u"\"model\":\"smart\""_s));
        QVERIFY(view->text(ClientSnippets::Kind::PythonOpenAi).contains(u"base_url=\"%1/v1\""_s.arg(origin)));
        QVERIFY(view->text(ClientSnippets::Kind::NodeAnthropic).contains(u"baseURL: \"%1\""_s.arg(origin)));
        const QString claude = view->text(ClientSnippets::Kind::ClaudeCode);
        QVERIFY(claude.contains(u"ANTHROPIC_BASE_URL='%1'"_s.arg(origin)));
        QVERIFY(claude.contains(u"ANTHROPIC_AUTH_TOKEN=\"$SWITCHYARD_API_KEY\""_s));

        child<QPushButton>(m_window.get(), u"copySnippetButton-python-anthropic"_s)->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), view->text(ClientSnippets::Kind::PythonAnthropic));

        const QString curlPath = QStandardPaths::findExecutable(u"curl"_s);
        if (curlPath.isEmpty()) {
            QSKIP("curl is not installed, so the curl snippet cannot be run");
        }
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(ClientSnippets::KeyVariable.toString(), plaintext);
        process.setProcessEnvironment(environment);
        process.start(u"/bin/sh"_s, {u"-c"_s, curl});
        QVERIFY(process.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 20000);
        const QByteArray output = process.readAllStandardOutput();
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(output.contains("Hello through the snippet."), output.constData());
        QCOMPARE(fake.requestCount(u"gpt-4o-mini"_s), 1);
    }

private:
    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
};

QTEST_MAIN(TestGatewayPage)
#include "tst_gatewaypage.moc"
