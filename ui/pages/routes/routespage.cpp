#include "ui/pages/routes/routespage.h"

#include "core/config/workspacecodec.h"
#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/gateway/gatewayservice.h"
#include "ui/models/routelistmodel.h"
#include "ui/models/routetexts.h"
#include "ui/pages/routes/routescene.h"
#include "ui/widgets/inlinemessage.h"

#include <QGraphicsView>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
// Open breakers turn half-open by time alone; this is how often the drawing catches up.
constexpr int BreakerRefreshMs = 5000;
} // namespace

RoutesPage::RoutesPage(Config::WorkspaceStore *store, Gateway::GatewayRuntime *runtime, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_runtime(runtime)
    , m_draft(store->workspace())
    , m_routesModel(new RouteListModel(this))
    , m_routesView(new QTreeView(this))
    , m_scene(new RouteScene(this))
    , m_graphView(new QGraphicsView(m_scene, this))
    , m_summary(new QLabel(this))
    , m_validation(new InlineMessage(this))
    , m_breakerTimer(new QTimer(this))
{
    m_routesView->setObjectName(u"routesView"_s);
    m_routesView->setModel(m_routesModel);
    m_routesView->setRootIsDecorated(false);
    m_routesView->setUniformRowHeights(true);
    m_routesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_routesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_routesView->header()->setStretchLastSection(false);
    m_routesView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_routesView->header()->setSectionResizeMode(int(RouteListModel::Column::Name), QHeaderView::Stretch);
    m_graphView->setObjectName(u"routeGraphView"_s);
    m_graphView->setRenderHint(QPainter::Antialiasing);
    m_graphView->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_graphView->setDragMode(QGraphicsView::NoDrag);
    m_graphView->setBackgroundRole(QPalette::Base);
    m_summary->setObjectName(u"routeSummaryLabel"_s);
    m_summary->setWordWrap(true);
    m_validation->setObjectName(u"routeValidationLabel"_s);
    m_scene->setRouterState(&runtime->gateway()->routerState());

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_routesView, 1);
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->addWidget(m_summary);
    centreLayout->addWidget(m_validation);
    centreLayout->addWidget(m_graphView, 1);
    auto *splitter = new QSplitter(this);
    splitter->setObjectName(u"routesSplitter"_s);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(centre);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 760});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);

    m_breakerTimer->setInterval(BreakerRefreshMs);
    connect(m_breakerTimer, &QTimer::timeout, this, [this] { m_runtime->gateway()->routerState().refreshBreakers(); });
    connect(&runtime->gateway()->routerState(), &Routing::RouterState::breakerStateChanged, m_scene,
        &RouteScene::updateBreakers);
    connect(store, &Config::WorkspaceStore::changed, this, &RoutesPage::handleWorkspaceChanged);
    connect(
        m_routesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RoutesPage::showSelectedRoute);
    showDraft();
    if (m_routesModel->rowCount() > 0) {
        m_routesView->setCurrentIndex(m_routesModel->index(0, 0));
    }
}

QString RoutesPage::currentRoute() const
{
    const QModelIndex current = m_routesView->currentIndex();
    return current.isValid() ? m_routesModel->row(current.row()).name : QString();
}

void RoutesPage::setCurrentRoute(const QString &name)
{
    const int row = m_routesModel->rowOf(name);
    m_routesView->setCurrentIndex(row >= 0 ? m_routesModel->index(row, 0) : QModelIndex());
}

void RoutesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_runtime->gateway()->routerState().refreshBreakers();
    m_breakerTimer->start();
}

void RoutesPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_breakerTimer->stop();
}

void RoutesPage::handleWorkspaceChanged(const Config::Workspace &workspace)
{
    m_draft = workspace;
    showDraft();
}

void RoutesPage::showDraft()
{
    const QString current = currentRoute();
    m_routesModel->setRoutes(m_draft.routes);
    if (!current.isEmpty() && m_routesModel->rowOf(current) >= 0) {
        setCurrentRoute(current);
    }
    showSelectedRoute();
}

void RoutesPage::showSelectedRoute()
{
    const QString name = currentRoute();
    m_scene->showRoute(m_draft, name);
    const Routing::Route *route = m_draft.route(name);
    if (route == nullptr) {
        m_summary->setText(m_draft.routes.isEmpty()
                ? tr("No routes yet. A route is a model name clients call that tries several targets in turn.")
                : tr("Select a route to see its chain."));
        m_validation->dismiss();
        return;
    }
    QString summary = tr("<b>%1</b>: %2 %3")
                          .arg(route->name.toHtmlEscaped(), RouteTexts::strategyName(route->strategy),
                              RouteTexts::strategyExplanation(route->strategy).toHtmlEscaped());
    if (route->deadlineMs > 0) {
        summary += u' ' + tr("Whole request within %1 s.").arg(QLocale().toString(route->deadlineMs / 1000.0, 'g', 4));
    }
    m_summary->setText(summary);
    if (Status valid = Config::WorkspaceCodec::validate(m_draft); !valid) {
        m_validation->showError(valid.errorMessage());
    } else {
        m_validation->dismiss();
    }
}

} // namespace Switchyard::Ui
