#pragma once

#include "core/gateway/clientsnippets.h"

#include <QList>
#include <QTabWidget>

class QPlainTextEdit;
class QPushButton;

namespace Switchyard::Ui {

// One tab per client snippet (curl, Python and Node SDKs, Claude Code), each with the text to
// paste and a Copy button that puts it on the clipboard.
class ClientSnippetsView final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientSnippetsView)

public:
    explicit ClientSnippetsView(QWidget *parent = nullptr);

    void setSnippets(const Gateway::ClientSnippets &snippets);
    QString text(Gateway::ClientSnippets::Kind kind) const;

private:
    struct Tab
    {
        Gateway::ClientSnippets::Kind kind;
        QPlainTextEdit *edit = nullptr;
        QPushButton *copyButton = nullptr;
    };

    void copy(const Tab &tab);

    QList<Tab> m_tabs;
};

} // namespace Switchyard::Ui
