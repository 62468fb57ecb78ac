#pragma once

#include "core/ledger/ledgerreader.h"
#include "core/ledger/spendrow.h"
#include "core/ledger/usagerecord.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace Switchyard::Ledger {
class Ledger;
}

namespace Switchyard::Ui {

class InlineMessage;
class LedgerQueryWorker;
class ReadOnlyTableView;
class RequestDetailView;
class RequestLogModel;

// Every request the gateway has recorded, newest first and filtered in the ledger query, with
// the selected record's fields and routing decision below the table. New records appear on top
// as they are committed.
class LogsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsPage)

public:
    static constexpr int PageSize = 500;

    // ledgerPath is read on a worker thread; a missing file is an empty log.
    LogsPage(Ledger::Ledger *ledger, const QString &ledgerPath, QWidget *parent = nullptr);

private:
    // The filter the widgets describe, with "since" measured from now.
    Ledger::LedgerReader::RecordFilter filterFromWidgets() const;
    QWidget *createFilterBar();
    void applyFilter();
    void showCurrentRecord();
    void updateStatusLabel();
    void handleSpendLoaded(quint64 ticket, const QList<Ledger::SpendRow> &rows);
    void addFilterValues(const QList<Ledger::UsageRecord> &records);

    LedgerQueryWorker *m_worker = nullptr;
    RequestLogModel *m_model = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QComboBox *m_outcomeCombo = nullptr;
    QComboBox *m_providerCombo = nullptr;
    QComboBox *m_routeCombo = nullptr;
    QComboBox *m_keyCombo = nullptr;
    QComboBox *m_timeCombo = nullptr;
    ReadOnlyTableView *m_view = nullptr;
    QLabel *m_statusLabel = nullptr;
    InlineMessage *m_message = nullptr;
    RequestDetailView *m_detail = nullptr;
    QTimer m_searchTimer; // applies the search once typing pauses
    quint64 m_providersTicket = 0;
    quint64 m_routesTicket = 0;
    quint64 m_keysTicket = 0;
};

} // namespace Switchyard::Ui
