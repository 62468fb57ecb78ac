#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/ledger/ledger.h"
#include "ui/dialogs/createlocalkeydialog.h"
#include "ui/dialogs/localkeycreateddialog.h"
#include "ui/mainwindow.h"

#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
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

namespace {

template <typename T> T *child(QObject *root, const QString &name)
{
    T *found = root->findChild<T *>(name);
    if (found == nullptr) {
        qWarning("no child named %s", qPrintable(name));
    }
    return found;
}

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

        // A second key with the same name is refused inline.
        child<QPushButton>(m_window.get(), u"createKeyButton"_s)->click();
        dialog = child<Ui::CreateLocalKeyDialog>(m_window.get(), u"createLocalKeyDialog"_s);
        child<QLineEdit>(dialog, u"nameEdit"_s)->setText(u"laptop"_s);
        clickOk(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(child<QLabel>(dialog, u"errorLabel"_s)->text().contains(u"already exists"_s));
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());

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
        QVERIFY(m_services->store->save(workspace));
        m_services->ledger->append(usageRecord(u"req-3"_s));
        QTRY_COMPARE(feed->model()->rowCount(), 3);
        QVERIFY(m_services->runtime->gateway()->start(u"127.0.0.1"_s, 0));
        m_window->setCurrentPage(u"gateway"_s);
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"gateway"_s));
    }

private:
    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
};

QTEST_MAIN(TestGatewayPage)
#include "tst_gatewaypage.moc"
