#include "ui/dialogs/localkeycreateddialog.h"

#include "core/gateway/clientsnippets.h"
#include "ui/widgets/clientsnippetsview.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

LocalKeyCreatedDialog::LocalKeyCreatedDialog(
    const QString &name, const QString &plaintextKey, const Gateway::ClientSnippets &snippets, QWidget *parent)
    : QDialog(parent)
    , m_keyEdit(new QLineEdit(plaintextKey, this))
    , m_copyButton(new QPushButton(tr("Copy"), this))
{
    setWindowTitle(tr("Local Key Created"));
    auto *intro = new QLabel(tr("The key \"%1\" was created. Give it to the client as its API key.").arg(name), this);
    intro->setWordWrap(true);
    m_keyEdit->setObjectName(u"plaintextKeyEdit"_s);
    m_keyEdit->setReadOnly(true);
    m_keyEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_keyEdit->setCursorPosition(0);
    m_copyButton->setObjectName(u"copyButton"_s);
    auto *warning = new QLabel(tr("Copy it now: it is not stored and will not be shown again. If it is lost, revoke "
                                  "it and create a new one."),
        this);
    warning->setObjectName(u"notShownAgainLabel"_s);
    warning->setWordWrap(true);
    auto *snippetsLabel = new QLabel(tr("Or copy a client set up with it:"), this);
    auto *snippetsView = new ClientSnippetsView(this);
    snippetsView->setSnippets(snippets);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyEdit, 1);
    keyRow->addWidget(m_copyButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(keyRow);
    layout->addWidget(warning);
    layout->addWidget(snippetsLabel);
    layout->addWidget(snippetsView, 1);
    layout->addWidget(buttons);
    setMinimumWidth(640);

    connect(m_copyButton, &QPushButton::clicked, this, &LocalKeyCreatedDialog::copyKey);
    connect(buttons, &QDialogButtonBox::rejected, this, &LocalKeyCreatedDialog::accept);
}

void LocalKeyCreatedDialog::copyKey()
{
    QGuiApplication::clipboard()->setText(m_keyEdit->text());
    m_copyButton->setText(tr("Copied"));
}

} // namespace Switchyard::Ui
