#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLineEdit;

namespace Switchyard::Config {
class WorkspaceStore;
}

namespace Switchyard::Ui {

class InlineMessage;

// Asks for a name, then generates a local API key and saves its hash in the workspace. The
// plaintext leaves only through keyCreated(), for the caller to show once.
class CreateLocalKeyDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CreateLocalKeyDialog)

public:
    explicit CreateLocalKeyDialog(Config::WorkspaceStore *store, QWidget *parent = nullptr);

    void accept() override;

signals:
    void keyCreated(const QString &name, const QString &plaintextKey);

private:
    QString validationError(const QString &name) const;
    void showError(const QString &message);

    Config::WorkspaceStore *m_store = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    InlineMessage *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Switchyard::Ui
