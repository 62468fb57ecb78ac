#pragma once

#include <QTableView>

namespace Switchyard::Ui {

// A table of records to look at and pick from: whole rows selected one at a time, nothing
// edited in place, alternating row colours, one line per row and no row numbers.
class ReadOnlyTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReadOnlyTableView)

public:
    explicit ReadOnlyTableView(QWidget *parent = nullptr);

    // Rows one text line high and never measured, for tables that grow by pages: sizing rows to
    // their contents would measure every row as it arrives.
    void useFixedRowHeights();
};

} // namespace Switchyard::Ui
