#pragma once

#include <QStringList>
#include <QWidget>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Switchyard::Catalog {
class ModelIndexService;
}
namespace Switchyard::Config {
class WorkspaceStore;
struct Workspace;
} // namespace Switchyard::Config

namespace Switchyard::Ui {

class InlineMessage;
class ModelIndexFilterModel;
class ModelIndexModel;
class ReadOnlyTableView;

// Every model of every configured provider in one table, with what the live lists and the price
// catalog say about it, searchable, filterable and sortable; the selected models open in the
// Playground, are compared there, or go into a route. The live lists are fetched when the page is
// first shown (cached ones show at once) and again on Refresh; a provider whose list cannot be
// fetched is named above the table while the others stay listed.
class ModelsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelsPage)

public:
    // The service must outlive the page.
    ModelsPage(Config::WorkspaceStore *store, Catalog::ModelIndexService *service, QWidget *parent = nullptr);

    // "provider/model" of the selected rows, top to bottom as shown.
    QStringList selectedTargets() const;

signals:
    void openInPlaygroundRequested(const QString &target);
    void compareRequested(const QStringList &targets);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *createFilterBar();
    QWidget *createActionBar();
    void configureView();
    void refresh();
    void openSelected();
    void addSelectedToRoute();
    void compareSelected();
    void applyFilters();
    void handleWorkspaceChanged(const Config::Workspace &workspace);
    void updateFailures();
    void updateStatus();
    void updateActions();

    Config::WorkspaceStore *m_store = nullptr;
    Catalog::ModelIndexService *m_service = nullptr;
    ModelIndexModel *m_model = nullptr;
    ModelIndexFilterModel *m_filter = nullptr;

    QLineEdit *m_searchEdit = nullptr;
    QComboBox *m_providerCombo = nullptr;
    QComboBox *m_capabilityCombo = nullptr;
    QDoubleSpinBox *m_maxPriceSpin = nullptr;
    QComboBox *m_minContextCombo = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QAction *m_refreshAction = nullptr;
    InlineMessage *m_failureMessage = nullptr;
    ReadOnlyTableView *m_view = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPushButton *m_openButton = nullptr;
    QPushButton *m_addToRouteButton = nullptr;
    QPushButton *m_compareButton = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_addToRouteAction = nullptr;
    QAction *m_compareAction = nullptr;
    InlineMessage *m_actionMessage = nullptr;
};

} // namespace Switchyard::Ui
