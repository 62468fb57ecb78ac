#include "ui/pages/logs/logspage.h"

#include "core/ledger/ledger.h"
#include "ui/models/ledgerqueryworker.h"
#include "ui/models/requestlogmodel.h"
#include "ui/pages/logs/requestdetailview.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/readonlytableview.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

constexpr int SearchDelayMs = 300;
const auto SplitterKey = "logsPage/splitter"_L1;

// How many entries at the top of a value combo are fixed ("All …", "None"); values follow sorted.
constexpr int ProviderFixedEntries = 1;
constexpr int RouteFixedEntries = 2;
constexpr int KeyFixedEntries = 2;

void addValue(QComboBox *combo, int fixedEntries, const QString &value)
{
    if (value.isEmpty() || combo->findData(value) >= 0) {
        return;
    }
    int index = fixedEntries;
    while (index < combo->count() && combo->itemData(index).toString().compare(value, Qt::CaseInsensitive) < 0) {
        ++index;
    }
    combo->insertItem(index, value, value);
}

// An unset item (no data) means "any"; otherwise the value to match exactly, "" included.
std::optional<QString> selectedValue(const QComboBox *combo)
{
    const QVariant data = combo->currentData();
    if (!data.isValid()) {
        return std::nullopt;
    }
    return data.toString();
}

QComboBox *createCombo(const QString &objectName, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}

} // namespace

LogsPage::LogsPage(Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent)
    : QWidget(parent)
    , m_worker(new LedgerQueryWorker(ledgerPath, this))
    , m_model(new RequestLogModel(m_worker, PageSize, this))
{
    m_view = new ReadOnlyTableView(this);
    m_view->useFixedRowHeights();
    m_view->setObjectName(u"requestLogView"_s);
    m_view->setModel(m_model);
    // Fixed column widths too: sizing to contents would measure rows as pages arrive.
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    const QFontMetrics metrics = m_view->fontMetrics();
    const int padding = metrics.averageCharWidth();
    const auto fit = [&](RequestLogModel::Column column, const QString &sample) {
        const QString title = m_model->headerData(int(column), Qt::Horizontal).toString();
        header->resizeSection(
            int(column), std::max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title)) + 2 * padding);
    };
    using Column = RequestLogModel::Column;
    fit(Column::Time, u"2000-00-00 00:00:00"_s);
    fit(Column::Key, u"ci-runner-01"_s);
    fit(Column::Route, u"fast-fallback"_s);
    fit(Column::Target, u"anthropic/claude-sonnet-4-5"_s);
    fit(Column::Status, u"000"_s);
    fit(Column::Attempt, u"0"_s);
    fit(Column::Latency, u"00,000"_s);
    fit(Column::TimeToFirstToken, u"00,000"_s);
    fit(Column::TokensIn, u"000,000"_s);
    fit(Column::TokensOut, u"000,000"_s);
    fit(Column::Cost, u"$0.000000"_s);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(u"logsStatusLabel"_s);
    m_message = new InlineMessage(this);
    m_message->setObjectName(u"logsMessageLabel"_s);
    m_detail = new RequestDetailView(m_worker, this);
    m_detail->setObjectName(u"requestDetailView"_s);

    auto *tableArea = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableArea);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_view, 1);
    tableLayout->addWidget(m_statusLabel);
    tableLayout->addWidget(m_message);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(u"logsSplitter"_s);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(tableArea);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->restoreState(QSettings().value(SplitterKey).toByteArray());
    connect(splitter, &QSplitter::splitterMoved, this,
        [splitter] { QSettings().setValue(SplitterKey, splitter->saveState()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createFilterBar());
    layout->addWidget(splitter, 1);

    auto *findAction = new QAction(tr("Find in Logs"), this);
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findAction, &QAction::triggered, this, [this] {
        m_searchEdit->setFocus(Qt::ShortcutFocusReason);
        m_searchEdit->selectAll();
    });
    addAction(findAction);
    auto *reloadAction = new QAction(tr("Reload Logs"), this);
    reloadAction->setShortcut(QKeySequence::Refresh);
    reloadAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    // Reapplying the filter moves "last hour" and friends up to now.
    connect(reloadAction, &QAction::triggered, this, &LogsPage::applyFilter);
    addAction(reloadAction);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(SearchDelayMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &LogsPage::applyFilter);
    connect(m_model, &RequestLogModel::loadingChanged, this, &LogsPage::updateStatusLabel);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LogsPage::updateStatusLabel);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_detail->clearRecord();
        m_message->dismiss();
        updateStatusLabel();
    });
    connect(m_model, &RequestLogModel::loadFailed, this,
        [this](const QString &message) { m_message->showError(tr("The logs cannot be read: %1").arg(message)); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogsPage::showCurrentRecord);
    connect(ledger, &Ledger::Ledger::recordsAppended, m_model, &RequestLogModel::prependRecords);
    connect(ledger, &Ledger::Ledger::recordsAppended, this, &LogsPage::addFilterValues);
    connect(m_worker, &LedgerQueryWorker::spendLoaded, this, &LogsPage::handleSpendLoaded);

    m_providersTicket = m_worker->querySpend(Ledger::Grouping::Provider, {});
    m_routesTicket = m_worker->querySpend(Ledger::Grouping::Route, {});
    m_keysTicket = m_worker->querySpend(Ledger::Grouping::Key, {});
    updateStatusLabel();
}

QWidget *LogsPage::createFilterBar()
{
    auto *bar = new QWidget(this);
    m_searchEdit = new QLineEdit(bar);
    m_searchEdit->setObjectName(u"logsSearchEdit"_s);
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setPlaceholderText(tr("Search route, provider/model, key or request id"));
    // Room for a model name; the bar takes the rest, so the window stays usable on narrow screens.
    m_searchEdit->setMinimumWidth(18 * m_searchEdit->fontMetrics().averageCharWidth());

    m_outcomeCombo = createCombo(u"logsOutcomeCombo"_s, bar);
    m_outcomeCombo->addItem(tr("All statuses"), int(Ledger::LedgerReader::RecordFilter::Outcome::Any));
    m_outcomeCombo->addItem(tr("Successful"), int(Ledger::LedgerReader::RecordFilter::Outcome::Succeeded));
    m_outcomeCombo->addItem(tr("Errors"), int(Ledger::LedgerReader::RecordFilter::Outcome::Failed));
    m_providerCombo = createCombo(u"logsProviderCombo"_s, bar);
    m_providerCombo->addItem(tr("All providers"));
    m_routeCombo = createCombo(u"logsRouteCombo"_s, bar);
    m_routeCombo->addItem(tr("All routes"));
    m_routeCombo->addItem(tr("Direct requests"), u""_s);
    m_keyCombo = createCombo(u"logsKeyCombo"_s, bar);
    m_keyCombo->addItem(tr("All keys"));
    m_keyCombo->addItem(tr("Without a key"), u""_s);
    m_timeCombo = createCombo(u"logsTimeCombo"_s, bar);
    m_timeCombo->addItem(tr("All time"), 0);
    m_timeCombo->addItem(tr("Last hour"), 3600);
    m_timeCombo->addItem(tr("Last 24 hours"), 24 * 3600);
    m_timeCombo->addItem(tr("Last 7 days"), 7 * 24 * 3600);

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_searchEdit, 1);
    for (QComboBox *combo : {m_outcomeCombo, m_providerCombo, m_routeCombo, m_keyCombo, m_timeCombo}) {
        layout->addWidget(combo);
        connect(combo, &QComboBox::activated, this, &LogsPage::applyFilter);
    }
    connect(m_searchEdit, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    connect(m_searchEdit, &QLineEdit::returnPressed, this, &LogsPage::applyFilter);
    return bar;
}

Ledger::LedgerReader::RecordFilter LogsPage::filterFromWidgets() const
{
    Ledger::LedgerReader::RecordFilter filter;
    filter.text = m_searchEdit->text().trimmed();
    filter.outcome = Ledger::LedgerReader::RecordFilter::Outcome(m_outcomeCombo->currentData().toInt());
    filter.provider = selectedValue(m_providerCombo);
    filter.route = selectedValue(m_routeCombo);
    filter.keyName = selectedValue(m_keyCombo);
    if (const int seconds = m_timeCombo->currentData().toInt(); seconds > 0) {
        filter.since = QDateTime::currentDateTimeUtc().addSecs(-seconds);
    }
    return filter;
}

void LogsPage::applyFilter()
{
    m_searchTimer.stop();
    m_model->setFilter(filterFromWidgets());
}

void LogsPage::showCurrentRecord()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (current.isValid()) {
        m_detail->showRecord(m_model->record(current.row()));
    } else {
        m_detail->clearRecord();
    }
}

void LogsPage::updateStatusLabel()
{
    const int rows = m_model->rowCount();
    if (m_model->isLoading()) {
        m_statusLabel->setText(
            rows == 0 ? tr("Reading the ledger…") : tr("%n record(s) shown, reading more…", nullptr, rows));
    } else if (m_model->isComplete()) {
        m_statusLabel->setText(
            rows == 0 ? tr("No recorded requests match.") : tr("%n record(s), all shown", nullptr, rows));
    } else {
        m_statusLabel->setText(tr("%n record(s) shown; scroll down for older ones", nullptr, rows));
    }
}

void LogsPage::handleSpendLoaded(quint64 ticket, const QList<Ledger::SpendRow> &rows)
{
    QComboBox *combo = ticket == m_providersTicket ? m_providerCombo
        : ticket == m_routesTicket                 ? m_routeCombo
        : ticket == m_keysTicket                   ? m_keyCombo
                                                   : nullptr;
    if (combo == nullptr) {
        return;
    }
    const int fixedEntries = combo == m_providerCombo ? ProviderFixedEntries
        : combo == m_routeCombo                       ? RouteFixedEntries
                                                      : KeyFixedEntries;
    for (const Ledger::SpendRow &row : rows) {
        addValue(combo, fixedEntries, row.group);
    }
}

void LogsPage::addFilterValues(const QList<Ledger::UsageRecord> &records)
{
    for (const Ledger::UsageRecord &record : records) {
        addValue(m_providerCombo, ProviderFixedEntries, record.provider);
        addValue(m_routeCombo, RouteFixedEntries, record.route);
        addValue(m_keyCombo, KeyFixedEntries, record.keyName);
    }
}

} // namespace Switchyard::Ui
