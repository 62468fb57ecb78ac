#include "ui/widgets/inlinemessage.h"

#include <QColor>
#include <QEvent>
#include <QPalette>

#include <algorithm>

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
    applyColor();
    hide();
}

QColor InlineMessage::errorColor(const QPalette &palette)
{
    // The text colour's lightness, pulled toward the middle far enough for a saturated red to keep
    // its contrast: a dark red on light windows, a light red on dark ones.
    const float lightness = std::clamp(palette.color(QPalette::WindowText).lightnessF(), 0.38F, 0.68F);
    return QColor::fromHslF(0.0F, 0.75F, lightness);
}

void InlineMessage::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    // A new system palette (a light/dark switch) changes the red too; applyColor() sets nothing
    // when the colours are already right, so this does not recurse.
    if (event->type() == QEvent::PaletteChange) {
        applyColor();
    }
}

void InlineMessage::showMessage(const QString &message, bool isError)
{
    m_isError = isError;
    applyColor();
    setText(message);
    setVisible(!message.isEmpty());
}

void InlineMessage::applyColor()
{
    QPalette palette = parentWidget() != nullptr ? parentWidget()->palette() : QPalette();
    // Only the text role is set here, so every other role keeps following the parent (and this
    // widget hears of the parent's next palette change).
    palette.setResolveMask(0);
    if (m_isError) {
        palette.setColor(QPalette::WindowText, errorColor(palette));
    }
    if (palette != this->palette()) {
        setPalette(palette);
    }
}

} // namespace Switchyard::Ui
