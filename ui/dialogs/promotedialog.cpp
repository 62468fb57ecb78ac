#include "ui/dialogs/promotedialog.h"

#include "core/config/workspacestore.h"
#include "core/workbench/routepromotion.h"
#include "ui/widgets/inlinemessage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

PromoteDialog::PromoteDialog(Config::WorkspaceStore *store, const Routing::RouteTarget &target, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_target(target)
    , m_routeCombo(new QComboBox(this))
    , m_errorLabel(new InlineMessage(this))
    , m_buttonBox(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Add to Route"));
    auto *intro = new QLabel(tr("Add %1 as the last target of a route. Pick a route or type a new name to start one.")
                                 .arg(target.toString()),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    m_routeCombo->setObjectName(u"routeCombo"_s);
    m_routeCombo->setEditable(true);
    m_routeCombo->setInsertPolicy(QComboBox::NoInsert);
    for (const Routing::Route &route : store->workspace().routes) {
        m_routeCombo->addItem(route.name);
    }
    m_routeCombo->lineEdit()->setPlaceholderText(tr("Route name, e.g. smart"));
    m_errorLabel->setObjectName(u"errorLabel"_s);
    m_buttonBox->setObjectName(u"buttonBox"_s);
    m_buttonBox->button(QDialogButtonBox::Ok)->setText(tr("Add to Route"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_routeCombo);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttonBox);

    connect(m_buttonBox, &QDialogButtonBox::accepted, this, &PromoteDialog::promote);
    connect(m_buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_routeCombo, &QComboBox::editTextChanged, m_errorLabel, &InlineMessage::dismiss);
}

void PromoteDialog::promote()
{
    const QString name = m_routeCombo->currentText().trimmed();
    const auto workspace = Workbench::RoutePromotion::apply(m_store->workspace(), name, m_target);
    if (!workspace) {
        m_errorLabel->showError(workspace.errorMessage());
        return;
    }
    if (const Status saved = m_store->save(workspace.value()); !saved) {
        m_errorLabel->showError(saved.errorMessage());
        return;
    }
    emit promoted(name);
    accept();
}

} // namespace Switchyard::Ui
