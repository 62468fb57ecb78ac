#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/providers/providerpresets.h"
#include "core/secrets/keychain.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/gatewayclient.h"
#include "ui/dialogs/providerdialog.h"
#include "ui/mainwindow.h"
#include "ui/models/providersmodel.h"
#include "ui/widgets/inlinemessage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;

namespace {

constexpr int KeychainTimeoutMs = 15000;
constexpr auto FakeKey = "sk-fake-upstream-1";

} // namespace

// The Providers page driven through its widgets, on a real workspace file and the session's
// keychain (see .ci/test), under a keychain service name of its own.
class TestProvidersPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchyard-tests"_s);
        qunsetenv("MISTRAL_API_KEY");
    }

    void init()
    {
        QSettings().clear(); // window state from an earlier test
        m_services = std::make_unique<UiTestServices>();
        QVERIFY(m_services->setUp());
        QTRY_VERIFY(m_services->runtime->isReady());
        // A keychain of its own for reading back, so the runtime's resolver sees no foreign answers.
        m_reader = std::make_unique<Secrets::Keychain>(m_services->keychainService());
        QSignalSpy written(m_reader.get(), &Secrets::Keychain::writeFinished);
        m_reader->write(u"probe"_s, u"probe-secret"_s);
        QVERIFY(written.wait(KeychainTimeoutMs));
        if (const QString error = written.at(0).at(1).toString(); !error.isEmpty()) {
            if (qEnvironmentVariable("KEYCHAIN_REQUIRED") == "1"_L1) {
                QFAIL(qPrintable(u"The keychain is required (KEYCHAIN_REQUIRED=1) but unusable: "_s + error));
            }
            QSKIP(qPrintable(
                u"No usable keychain in this session (set KEYCHAIN_REQUIRED=1 to fail instead): "_s + error));
        }
        m_window = m_services->createWindow();
        m_window->setCurrentPage(u"providers"_s);
    }

    void cleanup()
    {
        m_window.reset();
        if (m_reader) {
            QSignalSpy removed(m_reader.get(), &Secrets::Keychain::removeFinished);
            m_reader->remove(u"probe"_s);
            QVERIFY(removed.wait(KeychainTimeoutMs));
        }
        m_reader.reset();
        m_services.reset();
    }

    void addWithKeyThenDelete()
    {
        QPointer<Ui::ProviderDialog> dialog = openAddDialog();
        auto *preset = child<QComboBox>(dialog, u"presetCombo"_s);
        preset->setCurrentIndex(preset->findData(u"openai"_s));
        auto *id = child<QLineEdit>(dialog, u"idEdit"_s);
        auto *baseUrl = child<QLineEdit>(dialog, u"baseUrlEdit"_s);
        auto *apiKey = child<QLineEdit>(dialog, u"apiKeyEdit"_s);
        auto *error = child<QLabel>(dialog, u"errorLabel"_s);
        QCOMPARE(id->text(), u"openai"_s);
        QCOMPARE(baseUrl->text(), u"https://api.openai.com/v1"_s);
        QCOMPARE(apiKey->echoMode(), QLineEdit::Password);

        id->setText(u"work-openai"_s);
        baseUrl->setText(u"ftp://files.example.com"_s);
        apiKey->setText(u"sk-test-ui-123"_s);
        child<QLineEdit>(dialog, u"modelsEdit"_s)->setText(u"gpt-4o-mini, gpt-4o,"_s);
        clickOk(dialog);
        QVERIFY2(dialog->isVisible(), "a bad URL keeps the dialog open");
        QVERIFY(!error->isHidden());
        QVERIFY(error->text().contains(u"http://"_s));
        QVERIFY(dialog->grab().save(QCoreApplication::applicationDirPath() + u"/screenshots/provider-dialog.png"_s));

        id->setText(u"Work OpenAI"_s);
        baseUrl->setText(u"https://api.openai.com/v1/"_s);
        clickOk(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(error->text().contains(u"Work OpenAI"_s));

        id->setText(u"work-openai"_s);
        clickOk(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), KeychainTimeoutMs);

        const Providers::ProviderProfile *added = m_services->store->workspace().provider(u"work-openai"_s);
        QVERIFY(added != nullptr);
        QCOMPARE(added->credentialRef, u"keychain:work-openai"_s);
        QCOMPARE(added->baseUrl.toString(), u"https://api.openai.com/v1"_s);
        QCOMPARE(added->models, (QStringList {u"gpt-4o-mini"_s, u"gpt-4o"_s}));
        QVERIFY(m_services->store->workspace().secretNames.contains(u"work-openai"_s));
        QCOMPARE(readSecret(u"work-openai"_s), (QStringList {u"sk-test-ui-123"_s, QString()}));
        auto *view = child<QTableView>(m_window.get(), u"providersView"_s);
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, 3).data().toString(), u"keychain:work-openai"_s);
        QTRY_COMPARE(m_services->runtime->credentialProblems(), QStringList());

        QSignalSpy removed(m_services->keychain.get(), &Secrets::Keychain::removeFinished);
        view->selectRow(0);
        child<QPushButton>(m_window.get(), u"deleteProviderButton"_s)->click();
        QPointer<QMessageBox> confirmation = child<QMessageBox>(m_window.get(), u"deleteProviderConfirmation"_s);
        QVERIFY(confirmation);
        child<QPushButton>(confirmation, u"confirmButton"_s)->click();
        QVERIFY(m_services->store->workspace().provider(u"work-openai"_s) == nullptr);
        QVERIFY(!m_services->store->workspace().secretNames.contains(u"work-openai"_s));
        QCOMPARE(view->model()->rowCount(), 0);
        QVERIFY(removed.wait(KeychainTimeoutMs));
        QCOMPARE(removed.at(0), (QVariantList {u"work-openai"_s, QString()}));
        QCOMPARE(readSecret(u"work-openai"_s).value(0, u"no answer"_s), QString());
    }

    void keylessProviderShowsItsCredentialProblem()
    {
        QPointer<Ui::ProviderDialog> dialog = openAddDialog();
        auto *preset = child<QComboBox>(dialog, u"presetCombo"_s);
        preset->setCurrentIndex(preset->findData(u"mistral"_s));
        QVERIFY(child<QLabel>(dialog, u"apiKeyHint"_s)->text().contains(u"MISTRAL_API_KEY"_s));
        clickOk(dialog);
        QTRY_VERIFY(dialog.isNull());
        QCOMPARE(m_services->store->workspace().provider(u"mistral"_s)->credentialRef, u"env:MISTRAL_API_KEY"_s);

        auto *problems = child<QLabel>(m_window.get(), u"credentialProblemsLabel"_s);
        QTRY_VERIFY(!problems->isHidden());
        QVERIFY(problems->text().contains(u"mistral"_s));
        QVERIFY(
            child<QLabel>(m_window.get(), u"credentialStatusLabel"_s)->text().startsWith(u"1 credential problem"_s));

        // The same id again is refused; the dialog suggests a free one.
        dialog = openAddDialog();
        preset = child<QComboBox>(dialog, u"presetCombo"_s);
        preset->setCurrentIndex(preset->findData(u"mistral"_s));
        QCOMPARE(child<QLineEdit>(dialog, u"idEdit"_s)->text(), u"mistral-2"_s);
        child<QLineEdit>(dialog, u"idEdit"_s)->setText(u"mistral"_s);
        clickOk(dialog);
        QVERIFY(child<QLabel>(dialog, u"errorLabel"_s)->text().contains(u"already exists"_s));
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());
    }

    void deleteIsRefusedWhileARouteUsesTheProvider()
    {
        Config::Workspace workspace = m_services->store->workspace();
        workspace.providers.append(
            Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"ollama"_s), u"local"_s));
        workspace.routes.append(Routing::Route {u"fast"_s, {Routing::RouteTarget {u"local"_s, u"llama3"_s}}});
        QVERIFY(m_services->store->save(workspace));

        auto *view = child<QTableView>(m_window.get(), u"providersView"_s);
        view->selectRow(0);
        child<QPushButton>(m_window.get(), u"deleteProviderButton"_s)->click();
        QVERIFY(m_window->findChild<QMessageBox *>() == nullptr);
        auto *message = child<QLabel>(m_window.get(), u"providersMessageLabel"_s);
        QVERIFY(!message->isHidden());
        QVERIFY(message->text().contains(u"fast"_s));
        QVERIFY(m_services->store->workspace().provider(u"local"_s) != nullptr);
    }

    void editKeepsTheKeyUnlessReplacedAndSendsExtraHeaders()
    {
        Testing::FakeProvider fake;
        QVERIFY(fake.start());
        fake.setRequiredKey(FakeKey);
        addFakeProvider(fake, QString::fromLatin1(FakeKey));

        auto *view = child<QTableView>(m_window.get(), u"providersView"_s);
        QCOMPARE(view->model()->rowCount(), 1);
        view->selectRow(0);
        QPointer<Ui::ProviderDialog> dialog = openEditDialog();
        QVERIFY(dialog && dialog->isEditing());
        auto *apiKey = child<QLineEdit>(dialog, u"apiKeyEdit"_s);
        QVERIFY2(apiKey->isHidden() && apiKey->text().isEmpty(), "a stored key is never shown");
        QVERIFY(child<QLabel>(dialog, u"storedKeyLabel"_s)->text().contains(u"keychain:fake"_s));
        QVERIFY(child<QLineEdit>(dialog, u"idEdit"_s)->isReadOnly());
        QVERIFY(!child<QComboBox>(dialog, u"presetCombo"_s)->isEnabled());
        QCOMPARE(child<QLineEdit>(dialog, u"baseUrlEdit"_s)->text(), fake.baseUrl().toString());

        // A header without a valid name is refused inline.
        auto *headers = child<QTableWidget>(dialog, u"headersTable"_s);
        child<QPushButton>(dialog, u"addHeaderButton"_s)->click();
        QCOMPARE(headers->rowCount(), 1);
        headers->item(0, 0)->setText(u"X Team"_s);
        headers->item(0, 1)->setText(u"blue"_s);
        clickOk(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(child<QLabel>(dialog, u"errorLabel"_s)->text().contains(u"X Team"_s));
        headers->item(0, 0)->setText(u"X-Team"_s);
        child<QLineEdit>(dialog, u"modelsEdit"_s)->setText(u"gpt-4o-mini, house-model"_s);
        clickOk(dialog);
        QTRY_VERIFY(dialog.isNull());

        const Providers::ProviderProfile *edited = m_services->store->workspace().provider(u"fake"_s);
        QVERIFY(edited != nullptr);
        QCOMPARE(edited->credentialRef, u"keychain:fake"_s);
        QCOMPARE(edited->models, (QStringList {u"gpt-4o-mini"_s, u"house-model"_s}));
        QCOMPARE(edited->extraHeaders, (QList<std::pair<QByteArray, QByteArray>> {{"X-Team"_ba, "blue"_ba}}));
        QCOMPARE(readSecret(u"fake"_s).value(0), QString::fromLatin1(FakeKey));

        // The header reaches the provider on requests through the gateway, with the kept key.
        QTRY_VERIFY(m_services->runtime->isReady() && m_services->runtime->gateway()->tables()->provider(u"fake"_s)
            && !m_services->runtime->gateway()->tables()->provider(u"fake"_s)->extraHeaders.isEmpty());
        QCOMPARE(chatThroughGateway(u"fake/gpt-4o-mini"_s), 200);
        QVERIFY(!fake.requests().isEmpty());
        QCOMPARE(fake.requests().last().header("x-team"), "blue"_ba);

        // Replace Key… stores a new key under the same entry.
        view->selectRow(0);
        dialog = openEditDialog();
        child<QPushButton>(dialog, u"replaceKeyButton"_s)->click();
        apiKey = child<QLineEdit>(dialog, u"apiKeyEdit"_s);
        QVERIFY(!apiKey->isHidden());
        QCOMPARE(apiKey->echoMode(), QLineEdit::Password);
        apiKey->setText(u"sk-fake-upstream-2"_s);
        clickOk(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), KeychainTimeoutMs);
        QCOMPARE(readSecret(u"fake"_s).value(0), u"sk-fake-upstream-2"_s);
        QCOMPARE(m_services->store->workspace().provider(u"fake"_s)->credentialRef, u"keychain:fake"_s);
    }

    void testConnectionTellsSuccessWrongKeyUnreachableAndTls()
    {
        Testing::FakeProvider fake;
        QVERIFY(fake.start());
        fake.setRequiredKey(FakeKey);
        fake.setScript(u"gpt-4o-mini"_s, {});
        fake.setScript(u"gpt-4o"_s, {});
        fake.setScript(u"house-model"_s, {});
        addFakeProvider(fake, QString::fromLatin1(FakeKey));

        // From the page, with the stored key.
        auto *view = child<QTableView>(m_window.get(), u"providersView"_s);
        auto *pageTest = child<QPushButton>(m_window.get(), u"testProviderButton"_s);
        QVERIFY(!pageTest->isEnabled());
        view->selectRow(0);
        QVERIFY(pageTest->isEnabled());
        pageTest->click();
        auto *pageMessage = child<QLabel>(m_window.get(), u"providersMessageLabel"_s);
        QTRY_VERIFY_WITH_TIMEOUT(pageMessage->text().startsWith(u"Connected"_s), KeychainTimeoutMs);
        QVERIFY2(pageMessage->text().contains(u"3 model(s)"_s), qPrintable(pageMessage->text()));

        // From the dialog, with what is typed.
        QPointer<Ui::ProviderDialog> dialog = openEditDialog();
        auto *test = child<QPushButton>(dialog, u"testConnectionButton"_s);
        auto *result = child<QLabel>(dialog, u"testResultLabel"_s);
        child<QPushButton>(dialog, u"replaceKeyButton"_s)->click();
        child<QLineEdit>(dialog, u"apiKeyEdit"_s)->setText(u"sk-wrong"_s);
        test->click();
        QTRY_VERIFY(test->isEnabled());
        QVERIFY2(result->text().startsWith(u"Wrong API key"_s), qPrintable(result->text()));
        QVERIFY(static_cast<Ui::InlineMessage *>(result)->isError());

        child<QLineEdit>(dialog, u"apiKeyEdit"_s)->clear(); // back to the stored key
        auto *baseUrl = child<QLineEdit>(dialog, u"baseUrlEdit"_s);
        baseUrl->setText(u"http://127.0.0.1:%1/v1"_s.arg(freePort()));
        test->click();
        QTRY_VERIFY(test->isEnabled());
        QVERIFY2(result->text().startsWith(u"Unreachable"_s), qPrintable(result->text()));

        baseUrl->setText(u"https://127.0.0.1:%1/v1"_s.arg(fake.port()));
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 10000);
        QVERIFY2(result->text().startsWith(u"TLS error"_s), qPrintable(result->text()));

        baseUrl->setText(fake.baseUrl().toString());
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), KeychainTimeoutMs);
        QVERIFY2(result->text().startsWith(u"Connected"_s), qPrintable(result->text()));
        QVERIFY(!static_cast<Ui::InlineMessage *>(result)->isError());
        QVERIFY(
            dialog->grab().save(QCoreApplication::applicationDirPath() + u"/screenshots/provider-edit-dialog.png"_s));
        dialog->reject();
        QTRY_VERIFY(dialog.isNull());
    }

    void healthColumnsFollowRequestsThroughTheGateway()
    {
        Testing::FakeProvider fake;
        QVERIFY(fake.start());
        fake.setRequiredKey(FakeKey);
        Testing::FakeProvider::Script failing;
        failing.status = 500;
        fake.setScript(u"broken"_s, failing);
        addFakeProvider(fake, QString::fromLatin1(FakeKey));
        QTRY_VERIFY(m_services->runtime->isReady() && m_services->runtime->gateway()->tables()->provider(u"fake"_s));

        auto *view = child<QTableView>(m_window.get(), u"providersView"_s);
        using Column = Ui::ProvidersModel::Column;
        const auto cell = [view](Column column) { return view->model()->index(0, int(column)).data().toString(); };
        QTRY_COMPARE(cell(Column::LastSuccess), u"never"_s);
        QCOMPARE(cell(Column::ErrorRate), u"–"_s);

        QCOMPARE(chatThroughGateway(u"fake/gpt-4o-mini"_s), 200);
        QCOMPARE(chatThroughGateway(u"fake/gpt-4o-mini"_s), 200);
        QCOMPARE(chatThroughGateway(u"fake/gpt-4o-mini"_s), 200);
        QVERIFY(chatThroughGateway(u"fake/broken"_s) >= 500);
        QTRY_COMPARE(cell(Column::ErrorRate), u"25%"_s);
        QVERIFY(cell(Column::LastSuccess) != u"never"_s);
        QVERIFY2(cell(Column::MedianLatency).endsWith(u" ms"_s) || cell(Column::MedianLatency).endsWith(u" s"_s),
            qPrintable(cell(Column::MedianLatency)));

        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"providers"_s));
    }

private:
    // A provider "fake" on the fake provider, with its key in the keychain, as the dialog saves it.
    void addFakeProvider(const Testing::FakeProvider &fake, const QString &key)
    {
        QSignalSpy written(m_reader.get(), &Secrets::Keychain::writeFinished);
        m_reader->write(u"fake"_s, key);
        QVERIFY(written.wait(KeychainTimeoutMs));
        Config::Workspace workspace = m_services->store->workspace();
        Providers::ProviderProfile profile
            = Providers::ProviderProfile::fromPreset(*Providers::ProviderPresets::find(u"openai"_s), u"fake"_s);
        profile.displayName = u"Fake OpenAI"_s;
        profile.baseUrl = fake.baseUrl();
        profile.credentialRef = u"keychain:fake"_s;
        profile.models = {u"gpt-4o-mini"_s};
        workspace.providers.append(profile);
        workspace.secretNames.append(u"fake"_s);
        QVERIFY(m_services->store->save(workspace));
    }

    Ui::ProviderDialog *openEditDialog()
    {
        child<QPushButton>(m_window.get(), u"editProviderButton"_s)->click();
        const auto dialogs = m_window->findChildren<Ui::ProviderDialog *>(u"providerDialog"_s);
        return dialogs.isEmpty() ? nullptr : dialogs.last();
    }

    // The status of a chat request through the runtime's gateway (started on first use).
    int chatThroughGateway(const QString &model)
    {
        Gateway::GatewayService *gateway = m_services->runtime->gateway();
        if (!gateway->isRunning() && !gateway->start(u"127.0.0.1"_s, 0)) {
            return -1;
        }
        Testing::GatewayClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(gateway->port())),
            {{"Authorization"_ba, "Bearer "_ba + m_services->runtime->workbenchKey().toLatin1()}});
        const QByteArray body
            = u"{\"model\": \"%1\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"_s.arg(model).toUtf8();
        return client.post(u"/v1/chat/completions"_s, body).status;
    }

    // A loopback port that nothing listens on.
    static quint16 freePort()
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        return server.serverPort();
    }

    Ui::ProviderDialog *openAddDialog()
    {
        child<QPushButton>(m_window.get(), u"addProviderButton"_s)->click();
        const auto dialogs = m_window->findChildren<Ui::ProviderDialog *>(u"providerDialog"_s);
        return dialogs.isEmpty() ? nullptr : dialogs.last();
    }

    static void clickOk(QDialog *dialog)
    {
        child<QDialogButtonBox>(dialog, u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
    }

    // {secret, error} as the keychain answers for `name`.
    QStringList readSecret(const QString &name)
    {
        QSignalSpy read(m_reader.get(), &Secrets::Keychain::readFinished);
        m_reader->read(name);
        if (!read.wait(KeychainTimeoutMs)) {
            return {};
        }
        return {read.at(0).at(1).toString(), read.at(0).at(2).isNull() ? QString() : read.at(0).at(2).toString()};
    }

    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Secrets::Keychain> m_reader;
    std::unique_ptr<Ui::MainWindow> m_window;
};

QTEST_MAIN(TestProvidersPage)
#include "tst_providerspage.moc"
