#include "ui/dialogs/targetdialog.h"

#include "ui/widgets/inlinemessage.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {
constexpr int MaxWeight = 1'000'000;
constexpr int MaxTimeoutMs = 86'400'000;
constexpr int MaxRetries = 100;

enum class Kind {
    Model,
    Route,
};

QSpinBox *timeoutSpin(QWidget *parent, const QString &name, const QString &defaultText)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(name);
    spin->setRange(0, MaxTimeoutMs);
    spin->setSingleStep(1000);
    spin->setSuffix(QCoreApplication::translate("Switchyard::Ui::TargetDialog", " ms"));
    spin->setSpecialValueText(defaultText);
    return spin;
}
} // namespace

TargetDialog::TargetDialog(const Config::Workspace &workspace, const QString &routeName, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_kindCombo(new QComboBox(this))
    , m_kindPages(new QStackedWidget(this))
    , m_providerCombo(new QComboBox(this))
    , m_modelCombo(new QComboBox(this))
    , m_routeCombo(new QComboBox(this))
    , m_weightSpin(new QSpinBox(this))
    , m_timeoutSpin(timeoutSpin(this, u"timeoutSpin"_s, tr("gateway default")))
    , m_ttftTimeoutSpin(timeoutSpin(this, u"ttftTimeoutSpin"_s, tr("gateway default")))
    , m_retriesSpin(new QSpinBox(this))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Add Target"));
    m_kindCombo->setObjectName(u"kindCombo"_s);
    m_kindCombo->addItem(tr("A provider's model"), int(Kind::Model));
    m_kindCombo->addItem(tr("Another route"), int(Kind::Route));
    m_providerCombo->setObjectName(u"providerCombo"_s);
    for (const Providers::ProviderProfile &provider : std::as_const(m_workspace.providers)) {
        m_providerCombo->addItem(provider.id, provider.id);
    }
    m_modelCombo->setObjectName(u"modelCombo"_s);
    m_modelCombo->setEditable(true);
    m_modelCombo->setInsertPolicy(QComboBox::NoInsert);
    m_modelCombo->lineEdit()->setPlaceholderText(tr("Model id, e.g. gpt-4o-mini"));
    m_routeCombo->setObjectName(u"routeCombo"_s);
    for (const Routing::Route &route : std::as_const(m_workspace.routes)) {
        if (route.name != routeName) {
            m_routeCombo->addItem(route.name, route.name);
        }
    }
    m_weightSpin->setObjectName(u"weightSpin"_s);
    m_weightSpin->setRange(1, MaxWeight);
    m_weightSpin->setToolTip(tr("Share of requests this target gets first under the weighted strategy."));
    m_retriesSpin->setObjectName(u"retriesSpin"_s);
    m_retriesSpin->setRange(-1, MaxRetries);
    m_retriesSpin->setSpecialValueText(tr("route's policy"));
    m_retriesSpin->setValue(-1);
    m_message->setObjectName(u"errorLabel"_s);
    m_buttons->setObjectName(u"buttonBox"_s);

    auto *modelPage = new QWidget(m_kindPages);
    auto *modelForm = new QFormLayout(modelPage);
    modelForm->setContentsMargins(0, 0, 0, 0);
    modelForm->addRow(tr("Provider:"), m_providerCombo);
    modelForm->addRow(tr("Model:"), m_modelCombo);
    auto *routePage = new QWidget(m_kindPages);
    auto *routeForm = new QFormLayout(routePage);
    routeForm->setContentsMargins(0, 0, 0, 0);
    routeForm->addRow(tr("Route:"), m_routeCombo);
    m_kindPages->addWidget(modelPage);
    m_kindPages->addWidget(routePage);

    auto *form = new QFormLayout;
    form->addRow(tr("Target:"), m_kindCombo);
    form->addRow(m_kindPages);
    form->addRow(tr("Weight:"), m_weightSpin);
    form->addRow(tr("Timeout:"), m_timeoutSpin);
    form->addRow(tr("First token within:"), m_ttftTimeoutSpin);
    form->addRow(tr("Retries:"), m_retriesSpin);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(440);

    connect(m_kindCombo, &QComboBox::currentIndexChanged, m_kindPages, &QStackedWidget::setCurrentIndex);
    connect(m_kindCombo, &QComboBox::currentIndexChanged, m_message, &InlineMessage::dismiss);
    connect(m_providerCombo, &QComboBox::currentIndexChanged, this, &TargetDialog::fillModels);
    connect(m_modelCombo, &QComboBox::editTextChanged, m_message, &InlineMessage::dismiss);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TargetDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &TargetDialog::reject);
    fillModels();
}

void TargetDialog::fillModels()
{
    const QString typed = m_modelCombo->currentText();
    m_modelCombo->clear();
    if (const Providers::ProviderProfile *provider = m_workspace.provider(m_providerCombo->currentData().toString())) {
        m_modelCombo->addItems(provider->models);
    }
    if (!typed.isEmpty()) {
        m_modelCombo->setEditText(typed);
    }
}

void TargetDialog::setTarget(const Routing::RouteTarget &target)
{
    setWindowTitle(tr("Edit Target"));
    m_original = target;
    m_kindCombo->setCurrentIndex(m_kindCombo->findData(int(target.isNested() ? Kind::Route : Kind::Model)));
    if (target.isNested()) {
        m_routeCombo->setCurrentIndex(m_routeCombo->findData(target.route));
    } else {
        m_providerCombo->setCurrentIndex(m_providerCombo->findData(target.provider));
        m_modelCombo->setEditText(target.model);
    }
    m_weightSpin->setValue(target.weight);
    m_timeoutSpin->setValue(target.timeoutMs);
    m_ttftTimeoutSpin->setValue(target.ttftTimeoutMs);
    m_retriesSpin->setValue(target.retries);
}

Routing::RouteTarget TargetDialog::target() const
{
    Routing::RouteTarget target = m_original;
    if (Kind(m_kindCombo->currentData().toInt()) == Kind::Route) {
        target.provider.clear();
        target.model.clear();
        target.route = m_routeCombo->currentData().toString();
    } else {
        target.route.clear();
        target.provider = m_providerCombo->currentData().toString();
        target.model = m_modelCombo->currentText().trimmed();
    }
    target.weight = m_weightSpin->value();
    target.timeoutMs = m_timeoutSpin->value();
    target.ttftTimeoutMs = m_ttftTimeoutSpin->value();
    target.retries = m_retriesSpin->value();
    return target;
}

void TargetDialog::accept()
{
    const Routing::RouteTarget chosen = target();
    if (Kind(m_kindCombo->currentData().toInt()) == Kind::Route && chosen.route.isEmpty()) {
        m_message->showError(tr("There is no other route to send to; add one first or choose a provider's model."));
        return;
    }
    if (m_validator) {
        if (const QString error = m_validator(chosen); !error.isEmpty()) {
            m_message->showError(error);
            return;
        }
    }
    emit targetAccepted(chosen);
    QDialog::accept();
}

} // namespace Switchyard::Ui
