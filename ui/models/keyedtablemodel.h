#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QString>

namespace Switchyard::Ui {

// A table over a list of values identified by a unique string key (a provider id, a key name).
// setRows() turns a new list into precise row removals, insertions and dataChanged() so views
// keep their selection and scroll position when the workspace changes; only a reordering of
// existing rows falls back to a reset. Subclasses (with Q_OBJECT) provide columns and data.
template <typename T> class KeyedTableModel : public QAbstractTableModel
{
public:
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }

    const T &row(int row) const { return m_rows.at(row); }
    const QList<T> &rows() const { return m_rows; }

protected:
    explicit KeyedTableModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    virtual QString keyOf(const T &value) const = 0;

    void setRows(const QList<T> &next)
    {
        removeRowsMissingFrom(next);
        if (!isOrderedSubsetOf(next)) {
            beginResetModel();
            m_rows = next;
            endResetModel();
            return;
        }
        // m_rows is now an ordered subsequence of next: a key mismatch at i means next[i] is new.
        for (int i = 0; i < int(next.size());) {
            if (i < int(m_rows.size()) && keyOf(m_rows.at(i)) == keyOf(next.at(i))) {
                if (!(m_rows.at(i) == next.at(i))) {
                    m_rows[i] = next.at(i);
                    emit dataChanged(index(i, 0), index(i, columnCount() - 1));
                }
                ++i;
                continue;
            }
            int end = i + 1;
            while (end < int(next.size()) && (i >= int(m_rows.size()) || keyOf(next.at(end)) != keyOf(m_rows.at(i)))) {
                ++end;
            }
            beginInsertRows({}, i, end - 1);
            m_rows.insert(i, end - i, T());
            for (int j = i; j < end; ++j) {
                m_rows[j] = next.at(j);
            }
            endInsertRows();
            i = end;
        }
    }

private:
    void removeRowsMissingFrom(const QList<T> &next)
    {
        QSet<QString> keep;
        for (const T &value : next) {
            keep.insert(keyOf(value));
        }
        for (int last = int(m_rows.size()) - 1; last >= 0;) {
            if (keep.contains(keyOf(m_rows.at(last)))) {
                --last;
                continue;
            }
            int first = last;
            while (first > 0 && !keep.contains(keyOf(m_rows.at(first - 1)))) {
                --first;
            }
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
            last = first - 1;
        }
    }

    bool isOrderedSubsetOf(const QList<T> &next) const
    {
        qsizetype j = 0;
        for (const T &value : next) {
            if (j < m_rows.size() && keyOf(m_rows.at(j)) == keyOf(value)) {
                ++j;
            }
        }
        return j == m_rows.size();
    }

    QList<T> m_rows;
};

} // namespace Switchyard::Ui
