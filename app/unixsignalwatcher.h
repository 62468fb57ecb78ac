#pragma once

#include <QObject>

class QSocketNotifier;

namespace Switchyard::App {

// Turns SIGINT and SIGTERM into a Qt signal delivered on the event loop (the handler itself
// only writes one byte to a socket pair, the one thing that is safe inside a signal handler).
class UnixSignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)

public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Switchyard::App
