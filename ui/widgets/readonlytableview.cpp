#include "ui/widgets/readonlytableview.h"

#include <QHeaderView>

namespace Switchyard::Ui {

ReadOnlyTableView::ReadOnlyTableView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    verticalHeader()->hide();
}

void ReadOnlyTableView::useFixedRowHeights()
{
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
}

} // namespace Switchyard::Ui
