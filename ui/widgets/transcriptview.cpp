#include "ui/widgets/transcriptview.h"

#include "ui/widgets/exchangeformat.h"

#include <QJsonObject>
#include <QScrollBar>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

// Text that must show as written (file names, error messages), not as Markdown.
QString escaped(const QString &text)
{
    static const QString special = u"\\`*_[]<>#|~"_s;
    QString result;
    result.reserve(text.size());
    for (const QChar c : text) {
        if (special.contains(c)) {
            result += u'\\';
        }
        result += c;
    }
    return result;
}

QString quoted(const QString &text)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines) {
        line = u"> "_s + line;
    }
    return lines.join(u'\n');
}

} // namespace

TranscriptView::TranscriptView(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    m_renderTimer.setSingleShot(true);
    m_renderTimer.setInterval(RenderIntervalMs);
    connect(&m_renderTimer, &QTimer::timeout, this, &TranscriptView::render);
}

void TranscriptView::setEmptyText(const QString &markdown)
{
    m_emptyText = markdown;
    if (!m_renderTimer.isActive()) {
        m_renderTimer.start();
    }
}

void TranscriptView::setEntries(const QList<Workbench::Conversation::Entry> &entries)
{
    m_entries = entries;
    if (!m_renderTimer.isActive()) {
        m_renderTimer.start();
    }
}

void TranscriptView::flush()
{
    if (m_renderTimer.isActive()) {
        m_renderTimer.stop();
        render();
    }
}

void TranscriptView::render()
{
    QStringList blocks;
    for (const Workbench::Conversation::Entry &entry : std::as_const(m_entries)) {
        // A rule before each question after the first sets the exchanges apart.
        if (m_showsHeadings && !blocks.isEmpty() && entry.message.role == "user"_L1) {
            blocks.append(u"---"_s);
        }
        blocks.append(markdownOf(entry));
    }
    QScrollBar *scrollBar = verticalScrollBar();
    const bool following = scrollBar->value() >= scrollBar->maximum() - 4;
    const int position = scrollBar->value();
    // Raw HTML shows as typed: "<b>" in a question or an answer is text, not markup.
    document()->setMarkdown(blocks.isEmpty() ? m_emptyText : blocks.join(u"\n\n"_s),
        QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML));
    scrollBar->setValue(following ? scrollBar->maximum() : position);
}

QString TranscriptView::markdownOf(const Workbench::Conversation::Entry &entry) const
{
    QStringList parts;
    const ChatMessage &message = entry.message;
    const bool isUser = message.role == "user"_L1;
    if (m_showsHeadings) {
        const QString heading = isUser ? tr("You")
            : entry.result             ? escaped(ExchangeFormat::servedBy(*entry.result))
                                       : tr("Answer");
        parts.append(u"**"_s + heading + u"**"_s);
    }
    if (!message.reasoning.isEmpty()) {
        parts.append(quoted(u"*"_s + tr("Reasoning:") + u"* "_s + message.reasoning));
    }
    if (!message.text.isEmpty()) {
        parts.append(message.text);
    }
    for (const QJsonValue &part : message.contentParts) {
        const QJsonObject object = part.toObject();
        if (object.value(u"type"_s).toString() == "image_url"_L1) {
            const QString url = object.value(u"image_url"_s).toObject().value(u"url"_s).toString();
            parts.append(u"![%1](%2)"_s.arg(tr("attached image"), url));
        }
    }
    if (isUser) {
        return parts.join(u"\n\n"_s);
    }
    if (!entry.result) {
        if (message.text.isEmpty() && message.reasoning.isEmpty()) {
            parts.append(u"*"_s + tr("Waiting for the first token…") + u"*"_s);
        }
        return parts.join(u"\n\n"_s);
    }
    const Workbench::ExchangeResult &result = *entry.result;
    switch (result.outcome) {
    case Workbench::ExchangeResult::Outcome::Failed:
        parts.append(u"**"_s + tr("Failed:") + u"** "_s + escaped(result.errorMessage));
        break;
    case Workbench::ExchangeResult::Outcome::Cancelled:
        parts.append(u"*"_s + tr("Stopped.") + u"*"_s);
        break;
    case Workbench::ExchangeResult::Outcome::Completed:
        break;
    }
    if (m_showsFigures && result.httpStatus != 0) {
        parts.append(u"*"_s + escaped(ExchangeFormat::figures(result)) + u"*"_s);
    }
    return parts.join(u"\n\n"_s);
}

QVariant TranscriptView::loadResource(int type, const QUrl &name)
{
    if (type != QTextDocument::ImageResource || name.scheme() != "data"_L1) {
        return QTextBrowser::loadResource(type, name);
    }
    const auto cached = m_thumbnails.constFind(name);
    if (cached != m_thumbnails.cend()) {
        return *cached;
    }
    const QString path = name.path();
    const qsizetype comma = path.indexOf(u',');
    QImage image;
    if (comma > 0 && path.left(comma).endsWith(";base64"_L1)) {
        image = QImage::fromData(QByteArray::fromBase64(path.mid(comma + 1).toLatin1()));
    }
    if (image.width() > ThumbnailSize || image.height() > ThumbnailSize) {
        image = image.scaled(ThumbnailSize, ThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    m_thumbnails.insert(name, image);
    return image;
}

} // namespace Switchyard::Ui
