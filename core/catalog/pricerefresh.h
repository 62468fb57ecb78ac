#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace Switchyard::Catalog {

// Refreshes the user price layer (see PriceLayer) from OpenRouter's public model list when the
// user asks for it. Asynchronous; nothing is written unless the whole list was fetched and read,
// so a failure leaves the previous layer file untouched.
class PriceRefresh final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PriceRefresh)

public:
    // https://openrouter.ai/api/v1/models (no key needed)
    static QUrl defaultSourceUrl();

    explicit PriceRefresh(QString layerFilePath, QObject *parent = nullptr);
    ~PriceRefresh() override;

    QString layerFilePath() const { return m_layerFilePath; }
    void setSourceUrl(const QUrl &url) { m_sourceUrl = url; }
    QUrl sourceUrl() const { return m_sourceUrl; }
    // For the whole download; 60 s unless set.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Ignored while a refresh is running.
    void start();
    bool isRunning() const { return !m_reply.isNull(); }

signals:
    // The layer file now holds priceCount prices from sourceUrl().
    void finished(int priceCount);
    // A translated message saying what went wrong and what to do; the previous layer is kept.
    void failed(const QString &message);

private:
    void handleReply();
    void handleTimeout();

    QString m_layerFilePath;
    QUrl m_sourceUrl = defaultSourceUrl();
    std::chrono::milliseconds m_timeout {60'000};
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_deadline = nullptr;
    QPointer<QNetworkReply> m_reply;
    bool m_timedOut = false;
};

} // namespace Switchyard::Catalog
