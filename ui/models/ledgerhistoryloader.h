#pragma once

#include "core/ledger/usagerecord.h"
#include "core/model/result.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>

namespace Switchyard::Ui {

// Reads the newest records of a ledger file on a pool thread (LedgerReader opens its own
// connection there) and reports back on this object's thread, so the window never waits on disk.
class LedgerHistoryLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LedgerHistoryLoader)

public:
    explicit LedgerHistoryLoader(QObject *parent = nullptr);
    ~LedgerHistoryLoader() override;

    // A missing file is an empty history, not a failure. A newer call replaces one in flight.
    void load(const QString &databasePath, int limit);

signals:
    void loaded(const QList<Switchyard::Ledger::UsageRecord> &newestFirst);
    void failed(const QString &message);

private:
    void handleFinished();

    QFutureWatcher<Result<QList<Ledger::UsageRecord>>> m_watcher;
};

} // namespace Switchyard::Ui
