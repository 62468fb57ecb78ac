#include "ui/models/ledgerhistoryloader.h"

#include "core/ledger/ledgerreader.h"

#include <QFileInfo>
#include <QtConcurrent>

namespace Switchyard::Ui {

namespace {

Result<QList<Ledger::UsageRecord>> readRecent(const QString &databasePath, int limit)
{
    if (!QFileInfo::exists(databasePath)) {
        return QList<Ledger::UsageRecord>();
    }
    auto reader = Ledger::LedgerReader::open(databasePath);
    if (!reader) {
        return Failure {reader.errorMessage()};
    }
    return reader->recent(limit);
}

} // namespace

LedgerHistoryLoader::LedgerHistoryLoader(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &LedgerHistoryLoader::handleFinished);
}

// The worker touches nothing of this object, so it may outlive it; waiting keeps the pool from
// reading a ledger file that the caller is about to delete (tests do).
LedgerHistoryLoader::~LedgerHistoryLoader()
{
    m_watcher.waitForFinished();
}

void LedgerHistoryLoader::load(const QString &databasePath, int limit)
{
    m_watcher.setFuture(QtConcurrent::run(readRecent, databasePath, limit));
}

void LedgerHistoryLoader::handleFinished()
{
    const Result<QList<Ledger::UsageRecord>> result = m_watcher.result();
    if (result) {
        emit loaded(result.value());
    } else {
        emit failed(result.errorMessage());
    }
}

} // namespace Switchyard::Ui
