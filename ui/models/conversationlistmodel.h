#pragma once

#include "core/workbench/conversationsummary.h"

#include <QAbstractListModel>
#include <QList>

namespace Switchyard::Ui {

// Saved conversations, newest first, as ConversationStore lists and saves them.
class ConversationListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationListModel)

public:
    enum Role {
        IdRole = Qt::UserRole,
    };

    explicit ConversationListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const Workbench::ConversationSummary &summary(int row) const { return m_summaries.at(row); }
    // The row of the conversation `id`, or -1.
    int rowOf(const QString &id) const;

    // Replaces the list (from ConversationStore::listed).
    void setSummaries(const QList<Workbench::ConversationSummary> &summaries);
    // A conversation just saved: updated in place, moved to the top, or added there.
    void upsert(const Workbench::ConversationSummary &summary);

private:
    QList<Workbench::ConversationSummary> m_summaries;
};

} // namespace Switchyard::Ui
