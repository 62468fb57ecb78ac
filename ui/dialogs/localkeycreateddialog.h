#pragma once

#include <QDialog>

namespace Switchyard::Gateway {
class ClientSnippets;
}

class QLineEdit;
class QPushButton;

namespace Switchyard::Ui {

// Shows a new local key's plaintext the only time it exists outside the client, with a Copy button
// and the client snippets with the key written in.
class LocalKeyCreatedDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalKeyCreatedDialog)

public:
    // snippets: for the gateway's address, with the key in them.
    LocalKeyCreatedDialog(const QString &name, const QString &plaintextKey, const Gateway::ClientSnippets &snippets,
        QWidget *parent = nullptr);

private:
    void copyKey();

    QLineEdit *m_keyEdit = nullptr;
    QPushButton *m_copyButton = nullptr;
};

} // namespace Switchyard::Ui
