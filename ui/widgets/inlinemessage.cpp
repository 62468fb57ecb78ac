#include "ui/widgets/inlinemessage.h"

#include <QColor>
#include <QPalette>

namespace Switchyard::Ui {

InlineMessage::InlineMessage(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void InlineMessage::showError(const QString &message)
{
    showMessage(message, true);
}

void InlineMessage::showInfo(const QString &message)
{
    showMessage(message, false);
}

void InlineMessage::dismiss()
{
    QLabel::clear();
    m_isError = false;
    hide();
}

void InlineMessage::showMessage(const QString &message, bool isError)
{
    m_isError = isError;
    QPalette palette = parentWidget() != nullptr ? parentWidget()->palette() : QPalette();
    if (isError) {
        // Readable on light and dark window backgrounds alike.
        palette.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30));
    }
    setPalette(palette);
    setText(message);
    setVisible(!message.isEmpty());
}

} // namespace Switchyard::Ui
