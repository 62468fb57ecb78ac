#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace Switchyard::Ui {

// Shows a new local key's plaintext the only time it exists outside the client, with a Copy button.
class LocalKeyCreatedDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalKeyCreatedDialog)

public:
    LocalKeyCreatedDialog(const QString &name, const QString &plaintextKey, QWidget *parent = nullptr);

private:
    void copyKey();

    QLineEdit *m_keyEdit = nullptr;
    QPushButton *m_copyButton = nullptr;
};

} // namespace Switchyard::Ui
