#include "ui/models/conversationlistmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

ConversationListModel::ConversationListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_summaries.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Workbench::ConversationSummary &summary = m_summaries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return summary.title;
    case Qt::ToolTipRole:
        return tr("%1\n%2 · %n message(s) · %3", nullptr, summary.messageCount)
            .arg(summary.title, summary.target.isEmpty() ? tr("no target") : summary.target,
                QLocale().toString(summary.updatedAt.toLocalTime(), QLocale::ShortFormat));
    case IdRole:
        return summary.id;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "id"_ba);
    return names;
}

int ConversationListModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_summaries.size(); ++i) {
        if (m_summaries.at(i).id == id) {
            return int(i);
        }
    }
    return -1;
}

void ConversationListModel::setSummaries(const QList<Workbench::ConversationSummary> &summaries)
{
    beginResetModel();
    m_summaries = summaries;
    endResetModel();
}

void ConversationListModel::upsert(const Workbench::ConversationSummary &summary)
{
    const int existing = rowOf(summary.id);
    if (existing < 0) {
        beginInsertRows({}, 0, 0);
        m_summaries.prepend(summary);
        endInsertRows();
        return;
    }
    if (existing > 0) {
        beginMoveRows({}, existing, existing, {}, 0);
        m_summaries.move(existing, 0);
        endMoveRows();
    }
    if (!(m_summaries.first() == summary)) {
        m_summaries.first() = summary;
        emit dataChanged(index(0), index(0));
    }
}

} // namespace Switchyard::Ui
