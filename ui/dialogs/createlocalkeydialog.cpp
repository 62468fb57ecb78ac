#include "ui/dialogs/createlocalkeydialog.h"

#include "core/config/localkey.h"
#include "core/config/workspacestore.h"
#include "ui/widgets/inlinemessage.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

CreateLocalKeyDialog::CreateLocalKeyDialog(Config::WorkspaceStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_nameEdit(new QLineEdit(this))
    , m_errorLabel(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Create Local Key"));
    m_nameEdit->setObjectName(u"nameEdit"_s);
    m_nameEdit->setPlaceholderText(tr("e.g. laptop-editor"));
    m_errorLabel->setObjectName(u"errorLabel"_s);
    m_buttons->setObjectName(u"buttonBox"_s);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create Key"));

    auto *intro = new QLabel(tr("Clients send this key to the gateway as their API key. Name it after the client "
                                "that will use it."),
        this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_nameEdit);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);
    setMinimumWidth(420);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &CreateLocalKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &CreateLocalKeyDialog::reject);
    connect(m_nameEdit, &QLineEdit::textChanged, m_errorLabel, &InlineMessage::dismiss);
}

QString CreateLocalKeyDialog::validationError(const QString &name) const
{
    return Config::LocalKey::nameProblem(name, m_store->workspace().localKeys);
}

void CreateLocalKeyDialog::accept()
{
    const QString name = m_nameEdit->text().trimmed();
    if (const QString error = validationError(name); !error.isEmpty()) {
        showError(error);
        return;
    }
    Config::Workspace workspace = m_store->workspace();
    auto [record, plaintext] = Config::LocalKey::generate(name);
    workspace.localKeys.append(record);
    if (Status saved = m_store->save(workspace); !saved) {
        showError(saved.errorMessage());
        return;
    }
    emit keyCreated(name, plaintext);
    QDialog::accept();
}

void CreateLocalKeyDialog::showError(const QString &message)
{
    m_errorLabel->showError(message);
    m_nameEdit->setFocus();
}

} // namespace Switchyard::Ui
