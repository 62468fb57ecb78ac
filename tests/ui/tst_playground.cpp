// The Playground page driven through its widgets, on real services: a workspace file naming the
// fake provider, the SQLite ledger, the runtime's gateway on loopback, conversations on disk.
#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "core/ledger/ledger.h"
#include "core/ledger/ledgerreader.h"
#include "core/pricing/pricecatalog.h"
#include "tests/support/fakeprovider.h"
#include "ui/dialogs/promotedialog.h"
#include "ui/mainwindow.h"
#include "ui/pages/playground/comparecolumn.h"
#include "ui/pages/playground/comparepanel.h"
#include "ui/pages/playground/playgroundpage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeProvider;

namespace {

constexpr auto UpstreamKeyVariable = "SWITCHYARD_TEST_PLAYGROUND_UPSTREAM_KEY";
constexpr auto UpstreamKey = "sk-playground-upstream";

QString transcriptText(QObject *root)
{
    return child<QTextBrowser>(root, u"transcriptView"_s)->toPlainText();
}

QString costText(const QString &model, const Usage &usage)
{
    const auto catalog = Pricing::PriceCatalog::loadBundled();
    return Pricing::PriceCatalog::cost(*catalog->find(QString(), model), usage).toString();
}

FakeProvider::Script answering(const QString &answer)
{
    FakeProvider::Script script;
    script.answer = answer;
    script.chunks = 6;
    return script;
}

} // namespace

class TestPlayground : public QObject
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
        QSettings().clear();
        m_provider = std::make_unique<FakeProvider>();
        QVERIFY(m_provider->start());
        m_provider->setRequiredKey(UpstreamKey);
        m_provider->setScript(u"gpt-4o-mini"_s,
            answering(u"Time to first token is **how long** the first word takes.\n\n1. Measure it\n2. Compare it"_s));
        m_provider->setScript(u"gpt-4o"_s, answering(u"TTFT: the wait before the answer starts."_s));
        m_provider->setScript(u"house-model"_s, answering(u"First-token latency, in short."_s));

        m_services = std::make_unique<UiTestServices>();
        QVERIFY(m_services->setUp());
        Config::Workspace workspace;
        Providers::ProviderProfile fake;
        fake.id = u"fake"_s;
        fake.preset = u"openai"_s;
        fake.displayName = u"Fake OpenAI"_s;
        fake.baseUrl = m_provider->baseUrl();
        fake.credentialRef = u"env:"_s + QLatin1StringView(UpstreamKeyVariable);
        fake.models = {u"gpt-4o-mini"_s, u"gpt-4o"_s, u"house-model"_s};
        workspace.providers = {fake};
        workspace.routes = {Routing::Route(u"smart"_s, {{u"fake"_s, u"gpt-4o-mini"_s}}),
            Routing::Route(u"cheap"_s, {{u"fake"_s, u"house-model"_s}})};
        QVERIFY(m_services->store->save(workspace));
        QTRY_VERIFY(m_services->runtime->isReady() && m_services->runtime->gateway()->tables()->provider(u"fake"_s));
        m_window = m_services->createWindow();
        m_window->setCurrentPage(u"playground"_s);
        m_page = m_window->findChild<Ui::PlaygroundPage *>();
        QVERIFY(m_page);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
        m_provider.reset();
    }

    void stoppedGatewayOffersToStartIt()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        Config::Workspace workspace = m_services->store->workspace();
        workspace.gateway.port = port;
        QVERIFY(m_services->store->save(workspace));

        auto *banner = child<QWidget>(m_page, u"gatewayBanner"_s);
        QVERIFY(banner->isVisible());
        QVERIFY(!child<QPushButton>(m_page, u"sendButton"_s)->isEnabled());

        child<QPushButton>(m_page, u"startGatewayButton"_s)->click();
        QVERIFY(m_services->runtime->gateway()->isRunning());
        QCOMPARE(m_services->runtime->gateway()->port(), port);
        QVERIFY(!banner->isVisible());

        m_services->runtime->gateway()->stop();
        QVERIFY(banner->isVisible());
    }

    void chatStreamsTheAnswerWithItsFiguresAndIsSaved()
    {
        startGateway();
        auto *target = child<QComboBox>(m_page, u"targetCombo"_s);
        QCOMPARE(target->count(), 5); // smart, cheap, and the provider's three models
        target->setCurrentIndex(0);
        QCOMPARE(target->currentText(), u"smart (route)"_s);
        child<QPlainTextEdit>(chat(), u"systemPromptEdit"_s)->setPlainText(u"Answer briefly."_s);
        child<QDoubleSpinBox>(chat(), u"temperatureSpinBox"_s)->setValue(0.7);
        ask(u"What is TTFT?"_s);

        QTRY_VERIFY(transcriptText(m_page).contains(u"how long the first word takes"_s));
        const FakeProvider::Script script = answering(QString());
        QTRY_VERIFY(transcriptText(m_page).contains(u"TTFT "_s));
        const QString text = transcriptText(m_page);
        QVERIFY2(text.contains(u"What is TTFT?"_s), qPrintable(text));
        QVERIFY2(text.contains(u"fake/gpt-4o-mini via smart"_s), qPrintable(text));
        QVERIFY2(text.contains(u"12 in · 8 out"_s), qPrintable(text));
        QVERIFY2(text.contains(costText(u"gpt-4o-mini"_s, script.usage)), qPrintable(text));
        // Rendered as Markdown: the emphasis markers are gone.
        QVERIFY(!text.contains(u"**how long**"_s));

        // The request went through the gateway like any client's, with the system prompt first.
        const QJsonObject sent = QJsonDocument::fromJson(m_provider->requests().constLast().body).object();
        const QJsonArray messages = sent.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
        QCOMPARE(sent.value(u"temperature"_s).toDouble(), 0.7);
        QVERIFY2(
            !sent.contains(u"top_p"_s) && !sent.contains(u"max_tokens"_s) && !sent.contains(u"max_completion_tokens"_s),
            "parameters left at the model's default are not sent");
        QTRY_COMPARE(workbenchRecords(), 1);

        // Saved, listed, and reopened from disk.
        auto *list = child<QAbstractItemView>(m_page, u"conversationList"_s);
        QTRY_COMPARE(list->model()->rowCount(), 1);
        QCOMPARE(list->model()->index(0, 0).data().toString(), u"What is TTFT?"_s);
        const QDir conversations(QFileInfo(m_services->ledgerPath()).dir().filePath(u"conversations"_s));
        QCOMPARE(conversations.entryList({u"*.json"_s}, QDir::Files).size(), 1);

        child<QPushButton>(m_page, u"newConversationButton"_s)->click();
        QTRY_VERIFY(!transcriptText(m_page).contains(u"What is TTFT?"_s));
        child<QPlainTextEdit>(chat(), u"systemPromptEdit"_s)->clear();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(list->model()->index(0, 0)).center());
        QTRY_VERIFY(transcriptText(m_page).contains(u"how long the first word takes"_s));
        QCOMPARE(child<QPlainTextEdit>(chat(), u"systemPromptEdit"_s)->toPlainText(), u"Answer briefly."_s);

        // A follow-up, sent from the keyboard, carries the history; HTML in it stays text.
        auto *prompt = child<QPlainTextEdit>(chat(), u"promptEdit"_s);
        prompt->setPlainText(u"And in one <b>word</b>?"_s);
        prompt->setFocus();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(prompt->toPlainText().isEmpty());
        QTRY_VERIFY(transcriptText(m_page).contains(u"And in one <b>word</b>?"_s));
        QTRY_COMPARE(m_provider->totalRequests(), 2);
        QTRY_VERIFY(child<QPushButton>(m_page, u"newConversationButton"_s)->isEnabled());
        const QJsonArray followUp
            = QJsonDocument::fromJson(m_provider->requests().constLast().body).object().value(u"messages"_s).toArray();
        QCOMPARE(followUp.size(), 4);
        QTRY_COMPARE(list->model()->index(0, 0).data(Qt::ToolTipRole).toString().contains(u"4 message"_s), true);
    }

    void failedRequestShowsTheGatewaysMessage()
    {
        FakeProvider::Script refusing;
        refusing.status = 400;
        refusing.errorBody
            = R"({"error":{"message":"This model cannot read images.","type":"invalid_request_error"}})"_ba;
        m_provider->setScript(u"gpt-4o"_s, refusing);
        startGateway();
        auto *target = child<QComboBox>(m_page, u"targetCombo"_s);
        target->setCurrentIndex(target->findText(u"fake/gpt-4o"_s));
        ask(u"Hello"_s);
        QTRY_VERIFY(transcriptText(m_page).contains(u"This model cannot read images."_s));
        QVERIFY(transcriptText(m_page).contains(u"Failed:"_s));
    }

    void stopEndsTheAnswer()
    {
        FakeProvider::Script slow
            = answering(u"A slow answer that keeps on coming, one word at a time, for a while."_s);
        slow.chunks = 12;
        slow.chunkDelayMs = 250;
        m_provider->setScript(u"gpt-4o-mini"_s, slow);
        startGateway();
        ask(u"Take your time."_s);
        auto *stop = child<QPushButton>(m_page, u"stopButton"_s);
        QVERIFY(stop->isEnabled());
        QTRY_VERIFY(transcriptText(m_page).contains(u"A slow"_s));
        stop->click();
        QTRY_VERIFY(transcriptText(m_page).contains(u"Stopped."_s));
        QVERIFY(!stop->isEnabled());
        QVERIFY(!transcriptText(m_page).contains(u"for a while"_s));
    }

    void attachedImageGoesAsADataUrl()
    {
        startGateway();
        QTemporaryDir dir;
        QImage image(64, 48, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        const QString path = dir.filePath(u"chart.png"_s);
        QVERIFY(image.save(path));

        child<QPushButton>(m_page, u"attachButton"_s)->click();
        QPointer<QFileDialog> dialog = child<QFileDialog>(m_page, u"attachImageDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog.data())->accept(); // QFileDialog::accept() reads the chosen file
        auto *attachments = child<QLabel>(m_page, u"attachmentsLabel"_s);
        QTRY_VERIFY(attachments->text().contains(u"chart.png"_s));

        ask(u"What does the chart show?"_s);
        QTRY_COMPARE(m_provider->totalRequests(), 1);
        QVERIFY(attachments->isHidden());
        const QJsonArray messages
            = QJsonDocument::fromJson(m_provider->requests().constLast().body).object().value(u"messages"_s).toArray();
        const QJsonArray parts = messages.last().toObject().value(u"content"_s).toArray();
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts.at(0).toObject().value(u"text"_s).toString(), u"What does the chart show?"_s);
        const QString dataUrl = parts.at(1).toObject().value(u"image_url"_s).toObject().value(u"url"_s).toString();
        QVERIFY(dataUrl.startsWith(u"data:image/png;base64,"_s));
        // The transcript shows the image itself.
        auto *transcript = child<QTextBrowser>(chat(), u"transcriptView"_s);
        QCOMPARE(
            transcript->loadResource(QTextDocument::ImageResource, QUrl(dataUrl)).value<QImage>().size(), image.size());
        QTRY_VERIFY(transcriptText(m_page).contains(u"how long the first word takes"_s));
    }

    void compareFillsOneColumnPerTargetAndPromoteAddsToARoute()
    {
        startGateway();
        m_page->setMode(Ui::PlaygroundPage::Mode::Compare);
        auto *targets = child<QListView>(m_page, u"compareTargetsView"_s);
        QAbstractItemModel *model = targets->model();
        const auto tick = [model](const QString &text) {
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->index(row, 0).data().toString() == text) {
                    return model->setData(model->index(row, 0), Qt::Checked, Qt::CheckStateRole);
                }
            }
            return false;
        };
        auto *compare = child<QPushButton>(m_page, u"compareButton"_s);
        QVERIFY(tick(u"smart (route)"_s));
        child<QPlainTextEdit>(m_page, u"comparePromptEdit"_s)->setPlainText(u"Define TTFT in one line."_s);
        QVERIFY2(!compare->isEnabled(), "one target is not a comparison");
        QVERIFY(tick(u"fake/gpt-4o"_s));
        QVERIFY(tick(u"fake/house-model"_s));
        QVERIFY(compare->isEnabled());
        compare->click();

        auto *panel = child<Ui::ComparePanel>(m_page, u"comparePanel"_s);
        QCOMPARE(panel->columns().size(), 3);
        QTRY_VERIFY(!panel->isBusy());
        QCOMPARE(m_provider->totalRequests(), 3);
        const QStringList answers {u"how long the first word takes"_s, u"the wait before the answer starts"_s,
            u"First-token latency, in short."_s};
        const QStringList costs {
            costText(u"gpt-4o-mini"_s, answering({}).usage), costText(u"gpt-4o"_s, answering({}).usage), u"unknown"_s};
        for (int i = 0; i < 3; ++i) {
            Ui::CompareColumn *column = panel->columns().at(i);
            QTRY_VERIFY2(child<QTextBrowser>(column, u"answerView"_s)->toPlainText().contains(answers.at(i)),
                qPrintable(column->target()));
            QVERIFY(child<QLabel>(column, u"ttftLabel"_s)->text().endsWith(u" ms"_s)
                || child<QLabel>(column, u"ttftLabel"_s)->text().endsWith(u" s"_s));
            QCOMPARE(child<QLabel>(column, u"tokensLabel"_s)->text(), u"12 in · 8 out"_s);
            QCOMPARE(child<QLabel>(column, u"costLabel"_s)->text(), costs.at(i));
            QVERIFY(child<QPushButton>(column, u"promoteButton"_s)->isEnabled());
        }
        QCOMPARE(child<QLabel>(panel->columns().at(0), u"servedLabel"_s)->text(), u"fake/gpt-4o-mini via smart"_s);
        QTRY_COMPARE(workbenchRecords(), 3);

        // Promote fake/gpt-4o into the existing route "smart".
        Ui::CompareColumn *gpt4o = panel->columns().at(1);
        QPointer<Ui::PromoteDialog> dialog = promote(gpt4o, u"smart"_s);
        QTRY_VERIFY(dialog.isNull());
        const Routing::Route *smart = m_services->store->workspace().route(u"smart"_s);
        QCOMPARE(smart->targets.size(), 2);
        QCOMPARE(smart->targets.last().toString(), u"fake/gpt-4o"_s);
        QVERIFY(savedWorkspace().contains("fake/gpt-4o\""));
        QVERIFY(child<QLabel>(gpt4o, u"promoteMessageLabel"_s)->text().contains(u"smart"_s));

        // Again: refused inline, the dialog stays; a new route name starts a route.
        dialog = promote(gpt4o, u"smart"_s);
        QVERIFY(dialog->isVisible());
        QVERIFY(child<QLabel>(dialog, u"errorLabel"_s)->text().contains(u"already has"_s));
        dialog->findChild<QComboBox *>(u"routeCombo"_s)->setEditText(u"fast"_s);
        child<QDialogButtonBox>(dialog, u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY(dialog.isNull());
        QVERIFY(m_services->store->workspace().route(u"fast"_s));
        QVERIFY(savedWorkspace().contains("\"fast\""));

        // The route column promotes the model that served it.
        QCOMPARE(panel->columns().at(0)->promotableTarget()->toString(), u"fake/gpt-4o-mini"_s);
    }

    void screenshots()
    {
        FakeProvider::Script reasoning = answering(
            u"**Time to first token** (TTFT) is the wait between sending a request and receiving the first token "
            "of the answer.\n\n- It is dominated by queueing and prompt processing.\n- Streaming makes it the "
            "latency a person notices.\n\n```python\nttft = first_token_at - sent_at\n```"_s);
        reasoning.reasoning = u"The user asks for a definition; keep it short and give a formula."_s;
        m_provider->setScript(u"gpt-4o-mini"_s, reasoning);
        startGateway();
        child<QComboBox>(m_page, u"targetCombo"_s)->setCurrentIndex(0);
        child<QPlainTextEdit>(chat(), u"systemPromptEdit"_s)
            ->setPlainText(u"You are a concise performance engineer."_s);
        ask(u"What does TTFT mean, and how is it measured?"_s);
        QTRY_VERIFY(transcriptText(m_page).contains(u"TTFT "_s));
        QTRY_VERIFY(child<QAbstractItemView>(m_page, u"conversationList"_s)->model()->rowCount() == 1);
        m_provider->setScript(u"gpt-4o-mini"_s,
            answering(u"Usually **200 to 800 ms** for hosted models; local models vary with the prompt's length."_s));
        ask(u"And a typical value?"_s);
        QTRY_VERIFY(transcriptText(m_page).contains(u"prompt's length"_s)
            && child<QPushButton>(chat(), u"newConversationButton"_s)->isEnabled());
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"playground"_s));

        m_page->setMode(Ui::PlaygroundPage::Mode::Compare);
        QAbstractItemModel *model = child<QListView>(m_page, u"compareTargetsView"_s)->model();
        for (int row : {0, 3, 4}) {
            QVERIFY(model->setData(model->index(row, 0), Qt::Checked, Qt::CheckStateRole));
        }
        child<QPlainTextEdit>(m_page, u"comparePromptEdit"_s)->setPlainText(u"Define TTFT in one line."_s);
        child<QPushButton>(m_page, u"compareButton"_s)->click();
        auto *panel = child<Ui::ComparePanel>(m_page, u"comparePanel"_s);
        QTRY_VERIFY(!panel->isBusy());
        for (Ui::CompareColumn *column : panel->columns()) {
            QVERIFY(!child<QTextBrowser>(column, u"answerView"_s)->toPlainText().isEmpty());
        }
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"playground-compare"_s));
    }

private:
    // Both panels have a system prompt editor: look inside the one meant.
    QWidget *chat() const { return child<QWidget>(m_page, u"chatPanel"_s); }

    void startGateway() { QVERIFY(m_services->runtime->gateway()->start(u"127.0.0.1"_s, 0)); }

    void ask(const QString &question)
    {
        child<QPlainTextEdit>(m_page, u"promptEdit"_s)->setPlainText(question);
        auto *send = child<QPushButton>(m_page, u"sendButton"_s);
        QVERIFY(send->isEnabled());
        send->click();
        QVERIFY(child<QPlainTextEdit>(m_page, u"promptEdit"_s)->toPlainText().isEmpty());
    }

    QPointer<Ui::PromoteDialog> promote(Ui::CompareColumn *column, const QString &route)
    {
        child<QPushButton>(column, u"promoteButton"_s)->click();
        QPointer<Ui::PromoteDialog> dialog = column->findChild<Ui::PromoteDialog *>(u"promoteDialog"_s);
        if (!dialog) {
            return dialog;
        }
        dialog->findChild<QComboBox *>(u"routeCombo"_s)->setEditText(route);
        dialog->findChild<QDialogButtonBox *>(u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
        return dialog;
    }

    int workbenchRecords() const
    {
        m_services->ledger->flush();
        auto reader = Ledger::LedgerReader::open(m_services->ledgerPath());
        if (!reader) {
            return -1;
        }
        const auto records = reader->recent(100);
        if (!records) {
            return -1;
        }
        return int(std::count_if(records->cbegin(), records->cend(),
            [](const Ledger::UsageRecord &record) { return record.keyName == "workbench"_L1; }));
    }

    QByteArray savedWorkspace() const
    {
        QFile file(m_services->workspacePath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    std::unique_ptr<FakeProvider> m_provider;
    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
    Ui::PlaygroundPage *m_page = nullptr;
};

QTEST_MAIN(TestPlayground)
#include "tst_playground.moc"
