#pragma once

#include <QLabel>

namespace Switchyard::Ui {

// A wrapped label beside the input it is about: hidden while empty, red for errors. Dialogs and
// pages show why an action failed here instead of in a modal box.
class InlineMessage final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InlineMessage)

public:
    explicit InlineMessage(QWidget *parent = nullptr);

    bool isError() const { return m_isError; }

    void showError(const QString &message);
    void showInfo(const QString &message);
    void dismiss();

private:
    void showMessage(const QString &message, bool isError);

    bool m_isError = false;
};

} // namespace Switchyard::Ui
