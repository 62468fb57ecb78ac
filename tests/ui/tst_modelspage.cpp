// The Models explorer driven through its widgets, on real services: a workspace naming the fake
// provider (chat and its /v1/models list), an OpenRouter-style list and an Anthropic list served
// over loopback by the fake catalog server, the bundled price catalog, and the window's Playground.
#include "uitestservices.h"

#include "core/catalog/modeldiscovery.h"
#include "core/catalog/modelindexrow.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "core/gateway/gatewaytables.h"
#include "tests/support/fakecatalogserver.h"
#include "tests/support/fakeprovider.h"
#include "tests/support/fixtures.h"
#include "ui/dialogs/promotedialog.h"
#include "ui/mainwindow.h"
#include "ui/models/modelindexfiltermodel.h"
#include "ui/models/modelindexmodel.h"
#include "ui/pages/models/modelspage.h"
#include "ui/pages/playground/chatpanel.h"
#include "ui/pages/playground/comparecolumn.h"
#include "ui/pages/playground/comparepanel.h"
#include "ui/pages/playground/playgroundpage.h"
#include "ui/widgets/inlinemessage.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using Testing::FakeCatalogServer;
using Testing::FakeProvider;
using Column = Ui::ModelIndexModel::Column;

namespace {

constexpr auto FakeKeyVariable = "SWITCHYARD_TEST_MODELS_FAKE_KEY";
constexpr auto RouterKeyVariable = "SWITCHYARD_TEST_MODELS_ROUTER_KEY";
constexpr auto ClaudeKeyVariable = "SWITCHYARD_TEST_MODELS_CLAUDE_KEY";
constexpr auto FakeKey = "sk-models-fake";
constexpr auto CatalogKey = "sk-models-catalog";
constexpr auto WrongKey = "sk-models-wrong";

FakeProvider::Script answering(const QString &answer)
{
    FakeProvider::Script script;
    script.answer = answer;
    script.chunks = 3;
    return script;
}

Providers::ProviderProfile profile(
    const QString &id, const QString &preset, const QUrl &baseUrl, const char *keyVariable)
{
    Providers::ProviderProfile profile;
    profile.id = id;
    profile.preset = preset;
    profile.baseUrl = baseUrl;
    profile.credentialRef = u"env:"_s + QLatin1StringView(keyVariable);
    return profile;
}

Catalog::ModelIndexRow indexRow(
    const QString &provider, const QString &model, std::optional<double> input, qint64 context = 0)
{
    Catalog::ModelIndexRow row;
    row.providerId = provider;
    row.modelId = model;
    row.inputPerMillion = input;
    row.contextWindow = context;
    return row;
}

} // namespace

Q_DECLARE_METATYPE(Column)

class TestModelsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchyard-models-tests"_s);
        qputenv(FakeKeyVariable, FakeKey);
        qputenv(RouterKeyVariable, CatalogKey);
    }

    void init()
    {
        QSettings().clear();
        // Lists cached by an earlier run would open the page without fetching.
        QVERIFY(QDir(Catalog::ModelDiscovery::defaultCacheDirectory()).removeRecursively());
        qputenv(ClaudeKeyVariable, WrongKey);

        m_provider = std::make_unique<FakeProvider>();
        QVERIFY(m_provider->start());
        m_provider->setRequiredKey(FakeKey);
        m_provider->setScript(u"gpt-4o-mini"_s, answering(u"Mini: the wait for the first token."_s));
        m_provider->setScript(u"gpt-4o"_s, answering(u"Omni: time to first token."_s));
        m_provider->setScript(u"house-model"_s, answering(u"House: first-token latency."_s));
        m_provider->setScript(u"text-embedding-3-small"_s, answering({}));

        m_catalogServer = std::make_unique<FakeCatalogServer>();
        QVERIFY(m_catalogServer->start());
        m_catalogServer->setRequiredKey(CatalogKey);
        m_catalogServer->setPages(
            FakeCatalogServer::Format::OpenRouter, {Testing::readFixture(u"catalog"_s, u"openrouter-models.json"_s)});
        m_catalogServer->setPages(FakeCatalogServer::Format::Anthropic,
            {Testing::readFixture(u"catalog"_s, u"anthropic-models-1.json"_s),
                Testing::readFixture(u"catalog"_s, u"anthropic-models-2.json"_s)});

        m_services = std::make_unique<UiTestServices>();
        QVERIFY(m_services->setUp());
        Config::Workspace workspace;
        Providers::ProviderProfile claude = profile(u"claude"_s, u"anthropic"_s,
            m_catalogServer->baseUrl(FakeCatalogServer::Format::Anthropic), ClaudeKeyVariable);
        claude.models = {u"claude-sonnet-4-5"_s};
        workspace.providers = {profile(u"fake"_s, u"openai"_s, m_provider->baseUrl(), FakeKeyVariable),
            profile(u"router"_s, u"openrouter"_s, m_catalogServer->baseUrl(FakeCatalogServer::Format::OpenRouter),
                RouterKeyVariable),
            claude};
        QVERIFY(m_services->store->save(workspace));
        QTRY_VERIFY(m_services->runtime->isReady() && m_services->runtime->gateway()->tables()->provider(u"fake"_s));

        m_window = m_services->createWindow();
        m_window->setCurrentPage(u"models"_s);
        m_page = m_window->findChild<Ui::ModelsPage *>();
        QVERIFY(m_page);
        m_view = child<QTableView>(m_page, u"modelsView"_s);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        // Every list answered: the fake's four models, OpenRouter's nine, Claude's profile model.
        QTRY_COMPARE_WITH_TIMEOUT(targets().size(), 14, 20000);
        QTRY_VERIFY(child<QPushButton>(m_page, u"refreshModelsButton"_s)->isEnabled());
    }

    void cleanup()
    {
        m_window.reset();
        m_services.reset();
        m_catalogServer.reset();
        m_provider.reset();
    }

    void opensWithEveryProviderAndNamesTheOneThatFailed()
    {
        const QStringList all = targets();
        for (const QString &target : {u"fake/gpt-4o"_s, u"fake/house-model"_s, u"router/x-ai/grok-4"_s,
                 u"router/mystery/unpriced-model"_s, u"claude/claude-sonnet-4-5"_s}) {
            QVERIFY2(all.contains(target), qPrintable(target));
        }
        auto *failure = child<Ui::InlineMessage>(m_page, u"modelsFailureMessage"_s);
        QVERIFY(failure->isVisible());
        QVERIFY(failure->isError());
        QVERIFY2(failure->text().contains(u"claude"_s), qPrintable(failure->text()));
        QVERIFY2(!failure->text().contains(u"router"_s) && !failure->text().contains(u"fake"_s),
            qPrintable(failure->text()));
        QVERIFY(failure->text().contains(u"Only the models its profile names are listed."_s));
        // English plurals come from the translation file, which tests do not load.
        QVERIFY(child<QLabel>(m_page, u"modelsStatusLabel"_s)->text().startsWith(u"14 of 14 model"_s));

        // Known figures from the bundled catalog; unknown ones read "—", never 0.
        QVERIFY(cell(u"fake/gpt-4o"_s, Column::Input).startsWith(u'$'));
        QCOMPARE(cell(u"fake/gpt-4o"_s, Column::Context), u"128K"_s);
        QVERIFY(cell(u"fake/gpt-4o"_s, Column::Capabilities).contains(u"vision"_s));
        QVERIFY(cell(u"fake/text-embedding-3-small"_s, Column::Capabilities).contains(u"embeddings"_s));
        for (const Column column :
            {Column::Context, Column::MaxOutput, Column::Input, Column::CachedInput, Column::Output}) {
            QCOMPARE(cell(u"fake/house-model"_s, column), u"—"_s);
        }
        QCOMPARE(cell(u"fake/house-model"_s, Column::Capabilities), u"—"_s);
        QCOMPARE(cell(u"router/mystery/unpriced-model"_s, Column::Input), u"—"_s);
        QCOMPARE(cell(u"router/meta-llama/llama-3.3-70b-instruct:free"_s, Column::Input), u"free"_s);
    }

    void searchAndEachFilterNarrowTheRows()
    {
        const QList<Catalog::ModelIndexRow> rows = indexRows();
        QCOMPARE(rows.size(), 14);
        const auto expect = [&rows](const std::function<bool(const Catalog::ModelIndexRow &)> &passes) {
            QSet<QString> expected;
            for (const Catalog::ModelIndexRow &row : rows) {
                if (passes(row)) {
                    expected.insert(row.providerId + u'/' + row.modelId);
                }
            }
            return expected;
        };
        const auto shown = [this] {
            const QStringList list = targets();
            return QSet<QString>(list.cbegin(), list.cend());
        };
        const auto checkNarrowed = [&](const QSet<QString> &expected, const char *what) {
            QVERIFY2(!expected.isEmpty() && expected.size() < rows.size(), what);
            QCOMPARE(shown(), expected);
        };

        auto *search = child<QLineEdit>(m_page, u"modelsSearchEdit"_s);
        search->setText(u"LLAMA"_s);
        checkNarrowed(expect([](const auto &row) { return row.modelId.contains(u"llama"_s); }), "search");
        QCOMPARE(shown().size(), 2);
        QVERIFY(child<QLabel>(m_page, u"modelsStatusLabel"_s)->text().startsWith(u"2 of 14 model"_s));
        search->setText(u"claude"_s); // the provider id, and OpenRouter's anthropic/claude-sonnet-4.6
        checkNarrowed(
            expect([](const auto &row) { return row.providerId == "claude"_L1 || row.modelId.contains(u"claude"_s); }),
            "search provider");
        search->clear();
        QCOMPARE(shown().size(), 14);

        auto *provider = child<QComboBox>(m_page, u"modelsProviderCombo"_s);
        provider->setCurrentIndex(provider->findData(u"fake"_s));
        checkNarrowed(expect([](const auto &row) { return row.providerId == "fake"_L1; }), "provider");
        provider->setCurrentIndex(0);

        auto *capability = child<QComboBox>(m_page, u"modelsCapabilityCombo"_s);
        for (const Catalog::Capability flag : {Catalog::Capability::Vision, Catalog::Capability::Embeddings,
                 Catalog::Capability::Reasoning, Catalog::Capability::Tools}) {
            capability->setCurrentIndex(capability->findData(int(flag)));
            checkNarrowed(expect([flag](const auto &row) { return row.capabilities.testFlag(flag); }),
                qPrintable(capability->currentText()));
        }
        capability->setCurrentIndex(0);

        auto *maxPrice = child<QDoubleSpinBox>(m_page, u"modelsMaxPriceSpin"_s);
        maxPrice->setValue(0.5);
        checkNarrowed(expect([](const auto &row) { return row.inputPerMillion && *row.inputPerMillion <= 0.5; }),
            "max input price");
        QVERIFY(!shown().contains(u"router/mystery/unpriced-model"_s));
        QVERIFY(shown().contains(u"router/meta-llama/llama-3.3-70b-instruct:free"_s));
        maxPrice->setValue(0);
        QCOMPARE(shown().size(), 14);

        auto *minContext = child<QComboBox>(m_page, u"modelsMinContextCombo"_s);
        minContext->setCurrentIndex(minContext->findData(qint64(200'000)));
        checkNarrowed(expect([](const auto &row) { return row.contextWindow >= 200'000; }), "min context");
        QVERIFY(!shown().contains(u"fake/house-model"_s));

        // Filters combine.
        provider->setCurrentIndex(provider->findData(u"router"_s));
        search->setText(u"gemini"_s);
        QCOMPARE(shown(), (QSet<QString> {u"router/google/gemini-2.5-flash"_s}));
    }

    void sortingPutsUnknownsLast_data()
    {
        QTest::addColumn<Column>("column");
        QTest::newRow("input") << Column::Input;
        QTest::newRow("cached input") << Column::CachedInput;
        QTest::newRow("output") << Column::Output;
        QTest::newRow("context") << Column::Context;
        QTest::newRow("max output") << Column::MaxOutput;
    }

    void sortingPutsUnknownsLast()
    {
        QFETCH(Column, column);
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            m_view->horizontalHeader()->setSortIndicator(int(column), order);
            QList<double> known;
            int unknown = 0;
            for (int row = 0; row < m_view->model()->rowCount(); ++row) {
                const QModelIndex index = m_view->model()->index(row, int(column));
                const QVariant value = index.data(Ui::ModelIndexModel::SortRole);
                if (!value.isValid()) {
                    QCOMPARE(index.data().toString(), u"—"_s);
                    ++unknown;
                    continue;
                }
                QVERIFY2(unknown == 0, "a known figure after an unknown one");
                known.append(value.toDouble());
            }
            QVERIFY(unknown > 0);
            QVERIFY(known.size() > 2);
            QVERIFY(known.constFirst() != known.constLast());
            if (order == Qt::AscendingOrder) {
                QVERIFY(std::is_sorted(known.cbegin(), known.cend()));
            } else {
                QVERIFY(std::is_sorted(known.crbegin(), known.crend()));
            }
        }
        // The numbers sort as numbers: "$10.00" after "$2.50".
        m_view->horizontalHeader()->setSortIndicator(int(Column::Input), Qt::AscendingOrder);
        QVERIFY(targets().indexOf(u"fake/gpt-4o-mini"_s) < targets().indexOf(u"fake/gpt-4o"_s));
    }

    void openInPlaygroundSelectsTheTarget()
    {
        auto *open = child<QPushButton>(m_page, u"openInPlaygroundButton"_s);
        QVERIFY(!open->isEnabled());
        // A model only the live list knows: the Playground lists it for this session.
        select({u"router/x-ai/grok-4"_s});
        QVERIFY(open->isEnabled());
        open->click();
        QCOMPARE(m_window->currentPage(), u"playground"_s);
        auto *playground = m_window->findChild<Ui::PlaygroundPage *>();
        QCOMPARE(playground->mode(), Ui::PlaygroundPage::Mode::Chat);
        auto *chat = child<Ui::ChatPanel>(playground, u"chatPanel"_s);
        QCOMPARE(chat->currentTarget(), u"router/x-ai/grok-4"_s);
        QCOMPARE(child<QComboBox>(chat, u"targetCombo"_s)->currentText(), u"router/x-ai/grok-4"_s);

        // A model the workspace names is chosen, not listed twice.
        m_window->setCurrentPage(u"models"_s);
        // Clicked, then Enter.
        const auto claudeRow = int(targets().indexOf(u"claude/claude-sonnet-4-5"_s));
        const QModelIndex claude = m_view->model()->index(claudeRow, int(Column::Model));
        m_view->scrollTo(claude);
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, m_view->visualRect(claude).center());
        QCOMPARE(m_page->selectedTargets(), QStringList {u"claude/claude-sonnet-4-5"_s});
        QTest::keyClick(m_view, Qt::Key_Return);
        QCOMPARE(m_window->currentPage(), u"playground"_s);
        QCOMPARE(chat->currentTarget(), u"claude/claude-sonnet-4-5"_s);
        auto *combo = child<QComboBox>(chat, u"targetCombo"_s);
        QCOMPARE(combo->findText(u"claude/claude-sonnet-4-5"_s), combo->currentIndex());
        QCOMPARE(combo->findText(u"router/x-ai/grok-4"_s, Qt::MatchExactly), combo->count() - 1);
    }

    void compareSelectedFillsThreeCompareColumns()
    {
        auto *compare = child<QPushButton>(m_page, u"compareSelectedButton"_s);
        select({u"fake/gpt-4o"_s});
        QVERIFY2(!compare->isEnabled(), "one model is not a comparison");
        const QStringList chosen {u"fake/gpt-4o-mini"_s, u"fake/gpt-4o"_s, u"fake/house-model"_s};
        select(chosen);
        QVERIFY(compare->isEnabled());
        QVERIFY(!child<QPushButton>(m_page, u"openInPlaygroundButton"_s)->isEnabled());
        compare->click();

        QCOMPARE(m_window->currentPage(), u"playground"_s);
        auto *playground = m_window->findChild<Ui::PlaygroundPage *>();
        QCOMPARE(playground->mode(), Ui::PlaygroundPage::Mode::Compare);
        QVERIFY(m_services->runtime->gateway()->start(u"127.0.0.1"_s, 0));
        child<QPlainTextEdit>(playground, u"comparePromptEdit"_s)->setPlainText(u"Define TTFT in one line."_s);
        auto *run = child<QPushButton>(playground, u"compareButton"_s);
        QVERIFY(run->isEnabled());
        run->click();

        auto *panel = child<Ui::ComparePanel>(playground, u"comparePanel"_s);
        QCOMPARE(panel->columns().size(), 3);
        QTRY_VERIFY(!panel->isBusy());
        QStringList columnTargets;
        for (Ui::CompareColumn *column : panel->columns()) {
            columnTargets.append(column->target());
        }
        // The compare list keeps the workspace's order, whatever order the rows were in.
        QCOMPARE(
            QSet<QString>(columnTargets.cbegin(), columnTargets.cend()), QSet<QString>(chosen.cbegin(), chosen.cend()));
        const QStringList answers {u"Mini:"_s, u"Omni:"_s, u"House:"_s};
        for (Ui::CompareColumn *column : panel->columns()) {
            const QString expected = answers.at(chosen.indexOf(column->target()));
            QTRY_VERIFY2(child<QTextBrowser>(column, u"answerView"_s)->toPlainText().contains(expected),
                qPrintable(column->target()));
        }
    }

    void addToRouteAddsTheTargetToTheSavedWorkspace()
    {
        auto *add = child<QPushButton>(m_page, u"addToRouteButton"_s);
        QVERIFY(!add->isEnabled());
        select({u"router/google/gemini-2.5-flash"_s});
        add->click();
        QPointer<Ui::PromoteDialog> dialog = m_page->findChild<Ui::PromoteDialog *>(u"promoteDialog"_s);
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->findChild<QComboBox *>(u"routeCombo"_s)->setEditText(u"cheap"_s);
        child<QDialogButtonBox>(dialog, u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY(dialog.isNull());

        const Routing::Route *cheap = m_services->store->workspace().route(u"cheap"_s);
        QVERIFY(cheap);
        QCOMPARE(cheap->targets.size(), 1);
        QCOMPARE(cheap->targets.constFirst().toString(), u"router/google/gemini-2.5-flash"_s);
        QFile saved(m_services->workspacePath());
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray json = saved.readAll();
        QVERIFY(json.contains("\"cheap\""));
        QVERIFY(json.contains("google/gemini-2.5-flash"));
        QVERIFY(child<QLabel>(m_page, u"modelsActionMessage"_s)->text().contains(u"cheap"_s));
        // The rows and the selection stay as they were.
        QCOMPARE(targets().size(), 14);
        QCOMPARE(m_page->selectedTargets(), QStringList {u"router/google/gemini-2.5-flash"_s});
    }

    void refreshFetchesTheListsAgainInTheBackground()
    {
        qputenv(ClaudeKeyVariable, CatalogKey);
        auto *refresh = child<QPushButton>(m_page, u"refreshModelsButton"_s);
        const qsizetype requestsBefore = m_catalogServer->requests().size();
        refresh->click();
        // The click returned before any answer: the lists arrive later.
        QVERIFY(!refresh->isEnabled());
        QVERIFY(child<QLabel>(m_page, u"modelsStatusLabel"_s)->text().contains(u"fetching"_s));
        QTRY_VERIFY(refresh->isEnabled());
        QVERIFY(m_catalogServer->requests().size() > requestsBefore);
        QVERIFY(!child<Ui::InlineMessage>(m_page, u"modelsFailureMessage"_s)->isVisible());
        QVERIFY(targets().contains(u"claude/claude-sonnet-4-5-20250929"_s));
        QVERIFY(targets().contains(u"claude/claude-sonnet-4-5"_s));
        QVERIFY(targets().size() > 14);

        // The provider fails again: the message comes back, its last list stays.
        qputenv(ClaudeKeyVariable, WrongKey);
        const int rowsBefore = int(targets().size());
        refresh->click();
        QTRY_VERIFY(refresh->isEnabled());
        auto *failure = child<Ui::InlineMessage>(m_page, u"modelsFailureMessage"_s);
        QVERIFY(failure->isVisible());
        QVERIFY(failure->text().contains(u"Its models are listed as fetched on"_s));
        QCOMPARE(int(targets().size()), rowsBefore);
    }

    void modelsPassTheModelTester()
    {
        Ui::ModelIndexModel model;
        Ui::ModelIndexFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.sort(int(Column::Input));

        model.setIndexRows({indexRow(u"a"_s, u"m1"_s, 3.0, 128'000), indexRow(u"a"_s, u"m2"_s, std::nullopt),
            indexRow(u"b"_s, u"m3"_s, 0.5, 8'192)});
        QCOMPARE(filter.rowCount(), 3);
        QCOMPARE(filter.index(0, int(Column::Model)).data().toString(), u"m3"_s);
        QCOMPARE(filter.index(2, int(Column::Model)).data().toString(), u"m2"_s);
        QCOMPARE(filter.index(2, int(Column::Input)).data().toString(), u"—"_s);
        QCOMPARE(filter.index(0, int(Column::Input)).data().toString(), u"$0.50"_s);
        QCOMPARE(filter.index(0, int(Column::Context)).data().toString(), u"8K"_s);
        QCOMPARE(filter.index(0, 0).data(Ui::ModelIndexModel::TargetRole).toString(), u"b/m3"_s);

        // Changed, added and removed rows; the unknown one stays last.
        model.setIndexRows({indexRow(u"a"_s, u"m1"_s, 0.1), indexRow(u"a"_s, u"m2"_s, std::nullopt),
            indexRow(u"c"_s, u"m4"_s, 1.25, 1'000'000)});
        QCOMPARE(filter.rowCount(), 3);
        QCOMPARE(filter.index(0, int(Column::Model)).data().toString(), u"m1"_s);
        QCOMPARE(filter.index(1, int(Column::Context)).data().toString(), u"1M"_s);
        QCOMPARE(filter.index(2, int(Column::Model)).data().toString(), u"m2"_s);

        filter.setMaxInputPrice(1.0);
        QCOMPARE(filter.rowCount(), 1);
        filter.setMaxInputPrice(std::nullopt);
        filter.setSearchText(u"M4"_s);
        QCOMPARE(filter.rowCount(), 1);
        filter.setSearchText({});
        filter.setMinContextWindow(1);
        QCOMPARE(filter.rowCount(), 1);
        filter.setMinContextWindow(0);
        filter.setProvider(u"a"_s);
        QCOMPARE(filter.rowCount(), 2);
        filter.sort(int(Column::Input), Qt::DescendingOrder);
        QCOMPARE(filter.index(1, int(Column::Model)).data().toString(), u"m2"_s);
        model.setIndexRows({});
        QCOMPARE(filter.rowCount(), 0);
    }

    void screenshot()
    {
        m_view->horizontalHeader()->setSortIndicator(int(Column::Input), Qt::AscendingOrder);
        select({u"fake/gpt-4o-mini"_s, u"router/google/gemini-2.5-flash"_s});
        QVERIFY(UiTestServices::saveScreenshot(m_window.get(), u"models"_s));
    }

private:
    // "provider/model" of the rows shown, top to bottom.
    QStringList targets() const
    {
        QStringList result;
        for (int row = 0; row < m_view->model()->rowCount(); ++row) {
            result.append(m_view->model()->index(row, 0).data(Ui::ModelIndexModel::TargetRole).toString());
        }
        return result;
    }

    QList<Catalog::ModelIndexRow> indexRows() const
    {
        const auto *filter = qobject_cast<const QSortFilterProxyModel *>(m_view->model());
        return static_cast<const Ui::ModelIndexModel *>(filter->sourceModel())->rows();
    }

    QString cell(const QString &target, Column column) const
    {
        const auto row = int(targets().indexOf(target));
        return row < 0 ? u"(no row)"_s : m_view->model()->index(row, int(column)).data().toString();
    }

    void select(const QStringList &chosen)
    {
        QItemSelection selection;
        for (const QString &target : chosen) {
            const auto row = int(targets().indexOf(target));
            QVERIFY2(row >= 0, qPrintable(target));
            selection.select(m_view->model()->index(row, 0), m_view->model()->index(row, 0));
        }
        m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }

    std::unique_ptr<FakeProvider> m_provider;
    std::unique_ptr<FakeCatalogServer> m_catalogServer;
    std::unique_ptr<UiTestServices> m_services;
    std::unique_ptr<Ui::MainWindow> m_window;
    Ui::ModelsPage *m_page = nullptr;
    QTableView *m_view = nullptr;
};

QTEST_MAIN(TestModelsPage)
#include "tst_modelspage.moc"
