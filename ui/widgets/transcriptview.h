#pragma once

#include "core/workbench/conversation.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QTextBrowser>
#include <QTimer>

namespace Switchyard::Ui {

// A read-only chat transcript: each entry's text rendered as Markdown, attached images as
// thumbnails, and under each answer who served it and what it cost. Streaming updates are
// coalesced into a few renders per second, and a view scrolled to the end follows new text.
class TranscriptView final : public QTextBrowser
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TranscriptView)

public:
    static constexpr int RenderIntervalMs = 50;
    static constexpr int ThumbnailSize = 240;

    explicit TranscriptView(QWidget *parent = nullptr);

    // Headings name who speaks ("You", the target that answered); a single answer needs none.
    void setShowsHeadings(bool shows) { m_showsHeadings = shows; }
    // The figures line under each answer (TTFT, time, tokens, speed, cost), for views that show none elsewhere.
    void setShowsFigures(bool shows) { m_showsFigures = shows; }
    // Shown while there are no entries.
    void setEmptyText(const QString &markdown);
    void setEntries(const QList<Workbench::Conversation::Entry> &entries);
    // Renders a pending update now.
    void flush();

    QVariant loadResource(int type, const QUrl &name) override;

private:
    void render();
    QString markdownOf(const Workbench::Conversation::Entry &entry) const;

    QList<Workbench::Conversation::Entry> m_entries;
    QString m_emptyText;
    bool m_showsHeadings = true;
    bool m_showsFigures = true;
    QTimer m_renderTimer;
    QHash<QUrl, QImage> m_thumbnails; // data: URLs decode once, not at every render
};

} // namespace Switchyard::Ui
