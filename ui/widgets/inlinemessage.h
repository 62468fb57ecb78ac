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

    // A red that reads on palette's window background, light or dark (Qt 6.4 has no semantic
    // error colour in QPalette).
    static QColor errorColor(const QPalette &palette);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showMessage(const QString &message, bool isError);
    void applyColor();

    bool m_isError = false;
};

} // namespace Switchyard::Ui
