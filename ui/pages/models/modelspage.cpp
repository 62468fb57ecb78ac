#include "ui/pages/models/modelspage.h"

#include "core/catalog/modelindexservice.h"
#include "core/config/workspacestore.h"
#include "core/routing/route.h"
#include "ui/dialogs/promotedialog.h"
#include "ui/models/modelindexfiltermodel.h"
#include "ui/models/modelindexmodel.h"
#include "ui/pages/playground/comparepanel.h"
#include "ui/widgets/inlinemessage.h"
#include "ui/widgets/readonlytableview.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QShowEvent>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

using Column = ModelIndexModel::Column;

QComboBox *createCombo(const QString &objectName, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}

QPushButton *createButton(const QString &objectName, QAction *action, QWidget *parent)
{
    auto *button = new QPushButton(action->text(), parent);
    button->setObjectName(objectName);
    QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
    return button;
}

} // namespace

ModelsPage::ModelsPage(Config::WorkspaceStore *store, Catalog::ModelIndexService *service, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_service(service)
    , m_model(new ModelIndexModel(this))
    , m_filter(new ModelIndexFilterModel(this))
{
    m_filter->setSourceModel(m_model);

    m_refreshAction = new QAction(tr("Refresh"), this);
    m_refreshAction->setObjectName(u"refreshModelsAction"_s);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refreshAction->setToolTip(tr("Fetch every provider's model list again"));
    connect(m_refreshAction, &QAction::triggered, this, &ModelsPage::refresh);
    addAction(m_refreshAction);
    m_openAction = new QAction(tr("Open in Playground"), this);
    connect(m_openAction, &QAction::triggered, this, &ModelsPage::openSelected);
    m_addToRouteAction = new QAction(tr("Add to Route…"), this);
    connect(m_addToRouteAction, &QAction::triggered, this, &ModelsPage::addSelectedToRoute);
    m_compareAction = new QAction(tr("Compare Selected"), this);
    connect(m_compareAction, &QAction::triggered, this, &ModelsPage::compareSelected);
    auto *findAction = new QAction(tr("Find Model"), this);
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findAction, &QAction::triggered, this, [this] {
        m_searchEdit->setFocus(Qt::ShortcutFocusReason);
        m_searchEdit->selectAll();
    });
    addAction(findAction);

    m_failureMessage = new InlineMessage(this);
    m_failureMessage->setObjectName(u"modelsFailureMessage"_s);
    m_failureMessage->setTextFormat(Qt::PlainText);
    m_view = new ReadOnlyTableView(this);
    m_view->setObjectName(u"modelsView"_s);
    configureView();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_failureMessage);
    layout->addWidget(m_view, 1);
    layout->addWidget(createActionBar());

    connect(m_service, &Catalog::ModelIndexService::indexChanged, this, [this] {
        m_model->setIndexRows(m_service->index().rows());
        updateStatus();
    });
    connect(m_service, &Catalog::ModelIndexService::failuresChanged, this, &ModelsPage::updateFailures);
    connect(m_service, &Catalog::ModelIndexService::problemsChanged, this, &ModelsPage::updateFailures);
    connect(m_service, &Catalog::ModelIndexService::refreshingChanged, this, &ModelsPage::updateStatus);
    connect(m_store, &Config::WorkspaceStore::changed, this, &ModelsPage::handleWorkspaceChanged);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &ModelsPage::updateStatus);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &ModelsPage::updateStatus);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ModelsPage::updateStatus);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &ModelsPage::updateStatus);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelsPage::updateActions);
    // Double-click or Enter, as the platform activates items.
    connect(m_view, &QTableView::activated, this, &ModelsPage::openSelected);

    handleWorkspaceChanged(m_store->workspace());
    m_model->setIndexRows(m_service->index().rows());
    updateFailures();
    updateStatus();
    updateActions();
}

void ModelsPage::configureView()
{
    m_view->setModel(m_filter);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->useFixedRowHeights();
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    // No sort column at first: the index's own order (workspace providers, then model ids); a
    // third click on a header goes back to it.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSortIndicatorClearable(true);
    m_view->setSortingEnabled(true);

    const QFontMetrics metrics = m_view->fontMetrics();
    const int padding = 2 * metrics.averageCharWidth();
    const auto fit = [&](Column column, const QString &sample) {
        const QString title = m_model->headerData(int(column), Qt::Horizontal).toString();
        // The sort indicator takes about as much room as two characters.
        header->resizeSection(int(column),
            std::max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + padding) + 2 * padding);
    };
    fit(Column::Provider, u"openrouter-eu"_s);
    fit(Column::Model, u"anthropic/claude-sonnet-4-5-20250929"_s);
    fit(Column::Context, u"1.05M"_s);
    fit(Column::MaxOutput, u"128K"_s);
    fit(Column::Input, u"$15.00"_s);
    fit(Column::CachedInput, u"$0.0375"_s);
    fit(Column::Output, u"$75.00"_s);

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &position) {
        if (!m_view->indexAt(position).isValid()) {
            return;
        }
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addActions({m_openAction, m_addToRouteAction, m_compareAction});
        menu->popup(m_view->viewport()->mapToGlobal(position));
    });
}

QWidget *ModelsPage::createFilterBar()
{
    auto *bar = new QWidget(this);
    m_searchEdit = new QLineEdit(bar);
    m_searchEdit->setObjectName(u"modelsSearchEdit"_s);
    m_searchEdit->setClearButtonEnabled(true);
    m_searchEdit->setPlaceholderText(tr("Search model or provider"));
    m_searchEdit->setMinimumWidth(22 * m_searchEdit->fontMetrics().averageCharWidth());

    m_providerCombo = createCombo(u"modelsProviderCombo"_s, bar);
    m_providerCombo->addItem(tr("All providers"));

    m_capabilityCombo = createCombo(u"modelsCapabilityCombo"_s, bar);
    m_capabilityCombo->addItem(tr("Any capability"), 0);
    m_capabilityCombo->addItem(tr("Chat"), int(Catalog::Capability::Chat));
    m_capabilityCombo->addItem(tr("Tools"), int(Catalog::Capability::Tools));
    m_capabilityCombo->addItem(tr("Vision"), int(Catalog::Capability::Vision));
    m_capabilityCombo->addItem(tr("Reasoning"), int(Catalog::Capability::Reasoning));
    m_capabilityCombo->addItem(tr("Embeddings"), int(Catalog::Capability::Embeddings));

    m_maxPriceSpin = new QDoubleSpinBox(bar);
    m_maxPriceSpin->setObjectName(u"modelsMaxPriceSpin"_s);
    m_maxPriceSpin->setRange(0, 1000);
    m_maxPriceSpin->setDecimals(2);
    m_maxPriceSpin->setSingleStep(0.5);
    // 0 stands for no limit; the cheapest limit is a cent, which free models pass.
    m_maxPriceSpin->setSpecialValueText(tr("Any input price"));
    m_maxPriceSpin->setPrefix(tr("Input ≤ $"));
    m_maxPriceSpin->setSuffix(tr(" /1M"));
    m_maxPriceSpin->setToolTip(tr("Only models whose input price per million tokens is known and at most this much"));
    m_maxPriceSpin->setAccelerated(true);

    m_minContextCombo = createCombo(u"modelsMinContextCombo"_s, bar);
    m_minContextCombo->setToolTip(tr("Only models whose context window is known and at least this large"));
    m_minContextCombo->addItem(tr("Any context"), 0);
    for (const qint64 tokens : {8'000, 32'000, 128'000, 200'000, 1'000'000}) {
        m_minContextCombo->addItem(tr("Context ≥ %1").arg(ModelIndexModel::tokensText(tokens)), tokens);
    }

    m_refreshButton = createButton(u"refreshModelsButton"_s, m_refreshAction, bar);
    m_refreshButton->setToolTip(
        tr("%1 (%2)").arg(m_refreshAction->toolTip(), m_refreshAction->shortcut().toString(QKeySequence::NativeText)));

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_searchEdit, 1);
    layout->addWidget(m_providerCombo);
    layout->addWidget(m_capabilityCombo);
    layout->addWidget(m_maxPriceSpin);
    layout->addWidget(m_minContextCombo);
    layout->addWidget(m_refreshButton);

    connect(m_searchEdit, &QLineEdit::textChanged, this, &ModelsPage::applyFilters);
    connect(m_providerCombo, &QComboBox::currentIndexChanged, this, &ModelsPage::applyFilters);
    connect(m_capabilityCombo, &QComboBox::currentIndexChanged, this, &ModelsPage::applyFilters);
    connect(m_maxPriceSpin, &QDoubleSpinBox::valueChanged, this, &ModelsPage::applyFilters);
    connect(m_minContextCombo, &QComboBox::currentIndexChanged, this, &ModelsPage::applyFilters);
    return bar;
}

QWidget *ModelsPage::createActionBar()
{
    auto *bar = new QWidget(this);
    m_statusLabel = new QLabel(bar);
    m_statusLabel->setObjectName(u"modelsStatusLabel"_s);
    m_actionMessage = new InlineMessage(bar);
    m_actionMessage->setObjectName(u"modelsActionMessage"_s);
    m_openButton = createButton(u"openInPlaygroundButton"_s, m_openAction, bar);
    m_addToRouteButton = createButton(u"addToRouteButton"_s, m_addToRouteAction, bar);
    m_compareButton = createButton(u"compareSelectedButton"_s, m_compareAction, bar);

    auto *row = new QHBoxLayout;
    row->addWidget(m_statusLabel, 1);
    row->addWidget(m_openButton);
    row->addWidget(m_addToRouteButton);
    row->addWidget(m_compareButton);
    auto *layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_actionMessage);
    return bar;
}

void ModelsPage::showEvent(QShowEvent *event)
{
    // The first look at the page fetches the lists, not the start of the application.
    m_service->start();
    updateStatus();
    QWidget::showEvent(event);
}

QStringList ModelsPage::selectedTargets() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList targets;
    for (const QModelIndex &index : std::as_const(rows)) {
        targets.append(index.data(ModelIndexModel::TargetRole).toString());
    }
    return targets;
}

void ModelsPage::refresh()
{
    m_service->start();
    m_service->refresh();
    updateStatus();
}

void ModelsPage::openSelected()
{
    const QStringList targets = selectedTargets();
    if (targets.size() == 1) {
        emit openInPlaygroundRequested(targets.constFirst());
    }
}

void ModelsPage::addSelectedToRoute()
{
    const QStringList targets = selectedTargets();
    if (targets.size() != 1) {
        return;
    }
    const auto target = Routing::RouteTarget::parse(targets.constFirst());
    if (!target) {
        m_actionMessage->showError(target.errorMessage());
        return;
    }
    m_actionMessage->dismiss();
    auto *dialog = new PromoteDialog(m_store, target.value(), this);
    dialog->setObjectName(u"promoteDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromoteDialog::promoted, this, [this, target = target.value()](const QString &route) {
        m_actionMessage->showInfo(tr("Added %1 to route \"%2\".").arg(target.toString(), route));
    });
    dialog->open();
}

void ModelsPage::compareSelected()
{
    const QStringList targets = selectedTargets();
    if (targets.size() >= ComparePanel::MinTargets && targets.size() <= ComparePanel::MaxTargets) {
        emit compareRequested(targets);
    }
}

void ModelsPage::applyFilters()
{
    m_filter->setSearchText(m_searchEdit->text().trimmed());
    m_filter->setProvider(m_providerCombo->currentData().toString());
    m_filter->setCapabilities(Catalog::Capabilities::fromInt(m_capabilityCombo->currentData().toInt()));
    const double maxPrice = m_maxPriceSpin->value();
    m_filter->setMaxInputPrice(maxPrice > 0 ? std::optional<double>(maxPrice) : std::nullopt);
    m_filter->setMinContextWindow(m_minContextCombo->currentData().toLongLong());
    updateStatus();
}

void ModelsPage::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    const QString selected = m_providerCombo->currentData().toString();
    const QSignalBlocker blocker(m_providerCombo);
    while (m_providerCombo->count() > 1) {
        m_providerCombo->removeItem(1);
    }
    for (const Providers::ProviderProfile &profile : workspace.providers) {
        m_providerCombo->addItem(profile.id, profile.id);
    }
    // A filter on a provider that is gone would hide everything without saying why.
    m_providerCombo->setCurrentIndex(std::max(0, m_providerCombo->findData(selected)));
    applyFilters();
}

void ModelsPage::updateFailures()
{
    QStringList lines = m_service->problems();
    for (const auto &[providerId, message] : m_service->failures()) {
        if (const QDateTime listedAt = m_service->listedAt(providerId); listedAt.isValid()) {
            lines.append(tr("%1 Its models are listed as fetched on %2.")
                             .arg(message, QLocale().toString(listedAt.toLocalTime(), QLocale::ShortFormat)));
        } else {
            lines.append(tr("%1 Only the models its profile names are listed.").arg(message));
        }
    }
    if (lines.isEmpty()) {
        m_failureMessage->dismiss();
    } else {
        m_failureMessage->showError(lines.join(u'\n'));
    }
}

void ModelsPage::updateStatus()
{
    QString text;
    if (m_store->workspace().providers.isEmpty()) {
        text = tr("No providers yet: add one on the Providers page and its models are listed here.");
    } else if (!m_service->isCatalogLoaded()) {
        text = tr("Reading the price catalog…");
    } else {
        text = tr("%1 of %n model(s)", nullptr, m_model->rowCount()).arg(m_filter->rowCount());
        if (m_service->isRefreshing()) {
            text = tr("%1 · fetching model lists…").arg(text);
        }
    }
    m_statusLabel->setText(text);
    m_refreshAction->setEnabled(m_service->isStarted() && !m_service->isRefreshing());
    m_refreshButton->setEnabled(m_refreshAction->isEnabled());
}

void ModelsPage::updateActions()
{
    const auto count = int(m_view->selectionModel()->selectedRows().size());
    m_openAction->setEnabled(count == 1);
    m_addToRouteAction->setEnabled(count == 1);
    m_compareAction->setEnabled(count >= ComparePanel::MinTargets && count <= ComparePanel::MaxTargets);
    m_openButton->setEnabled(m_openAction->isEnabled());
    m_addToRouteButton->setEnabled(m_addToRouteAction->isEnabled());
    m_compareButton->setEnabled(m_compareAction->isEnabled());
    m_compareButton->setToolTip(tr("Select %1 to %2 models to compare them side by side in the Playground.")
                                    .arg(ComparePanel::MinTargets)
                                    .arg(ComparePanel::MaxTargets));
}

} // namespace Switchyard::Ui
