#include "ui/widgets/clientsnippetsview.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

ClientSnippetsView::ClientSnippetsView(QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(u"clientSnippetsView"_s);
    setDocumentMode(true);
    for (const Gateway::ClientSnippets::Kind kind : Gateway::ClientSnippets::kinds()) {
        const QString id = Gateway::ClientSnippets::id(kind);
        auto *page = new QWidget(this);
        Tab tab {kind, new QPlainTextEdit(page), new QPushButton(tr("Copy"), page)};
        tab.edit->setObjectName(u"snippetText-"_s + id);
        tab.edit->setReadOnly(true);
        tab.edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        tab.edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        tab.copyButton->setObjectName(u"copySnippetButton-"_s + id);
        tab.copyButton->setToolTip(tr("Copy the snippet to the clipboard"));
        auto *buttonRow = new QHBoxLayout;
        buttonRow->addStretch(1);
        buttonRow->addWidget(tab.copyButton);
        auto *layout = new QVBoxLayout(page);
        layout->setContentsMargins(0, 4, 0, 0);
        layout->addWidget(tab.edit, 1);
        layout->addLayout(buttonRow);
        addTab(page, Gateway::ClientSnippets::title(kind));
        connect(tab.copyButton, &QPushButton::clicked, this, [this, tab] { copy(tab); });
        m_tabs.append(tab);
    }
}

void ClientSnippetsView::setSnippets(const Gateway::ClientSnippets &snippets)
{
    for (const Tab &tab : std::as_const(m_tabs)) {
        const QString text = snippets.text(tab.kind);
        if (tab.edit->toPlainText() != text) {
            tab.edit->setPlainText(text);
            tab.copyButton->setText(tr("Copy"));
        }
    }
}

QString ClientSnippetsView::text(Gateway::ClientSnippets::Kind kind) const
{
    for (const Tab &tab : m_tabs) {
        if (tab.kind == kind) {
            return tab.edit->toPlainText();
        }
    }
    return {};
}

void ClientSnippetsView::copy(const Tab &tab)
{
    QGuiApplication::clipboard()->setText(tab.edit->toPlainText());
    tab.copyButton->setText(tr("Copied"));
}

} // namespace Switchyard::Ui
