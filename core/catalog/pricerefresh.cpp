#include "core/catalog/pricerefresh.h"

#include "core/catalog/pricelayer.h"
#include "core/catalog/replyproblem.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

Q_LOGGING_CATEGORY(lcPriceRefresh, "switchyard.catalog.pricerefresh")

} // namespace

QUrl PriceRefresh::defaultSourceUrl()
{
    return QUrl(u"https://openrouter.ai/api/v1/models"_s);
}

PriceRefresh::PriceRefresh(QString layerFilePath, QObject *parent)
    : QObject(parent)
    , m_layerFilePath(std::move(layerFilePath))
    , m_network(new QNetworkAccessManager(this))
    , m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &PriceRefresh::handleTimeout);
}

PriceRefresh::~PriceRefresh()
{
    if (m_reply) {
        // Aborting finishes the reply at once; nobody is left to hear about it.
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
}

void PriceRefresh::start()
{
    if (isRunning()) {
        return;
    }
    QNetworkRequest request(m_sourceUrl);
    request.setRawHeader("Accept"_ba, "application/json"_ba);
    m_timedOut = false;
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &PriceRefresh::handleReply);
    m_deadline->start(m_timeout);
    qCDebug(lcPriceRefresh) << "fetching" << m_sourceUrl.toDisplayString();
}

void PriceRefresh::handleTimeout()
{
    if (m_reply) {
        m_timedOut = true;
        m_reply->abort();
    }
}

void PriceRefresh::handleReply()
{
    QNetworkReply *reply = m_reply;
    m_reply.clear();
    m_deadline->stop();
    reply->deleteLater();
    const QString url = m_sourceUrl.toDisplayString();

    if (m_timedOut) {
        emit failed(tr("Fetching prices from %1 took longer than %2 s; the previous prices stay in use. Try again "
                       "later.")
                        .arg(url, QString::number(m_timeout.count() / 1000.0)));
        return;
    }
    const ReplyProblem problem = ReplyProblem::of(reply);
    switch (problem.kind) {
    case ReplyProblem::Kind::Unreachable:
        emit failed(tr("Could not reach %1 (%2); the previous prices stay in use. Check the network connection "
                       "and the URL.")
                        .arg(url, problem.networkError));
        return;
    case ReplyProblem::Kind::Tls:
        emit failed(tr("The secure connection to %1 failed (%2); the previous prices stay in use. Check the "
                       "system's clock and certificates, or a proxy that intercepts TLS.")
                        .arg(url, problem.networkError));
        return;
    case ReplyProblem::Kind::Http:
        emit failed(problem.serverMessage.isEmpty()
                ? tr("%1 answered HTTP %2; the previous prices stay in use. Try again later.")
                      .arg(url, QString::number(problem.httpStatus))
                : tr("%1 answered HTTP %2 (“%3”); the previous prices stay in use. Try again later.")
                      .arg(url, QString::number(problem.httpStatus), problem.serverMessage));
        return;
    case ReplyProblem::Kind::None:
        break;
    }

    auto layer = PriceLayer::fromOpenRouterModels(reply->readAll(), m_sourceUrl, QDateTime::currentDateTimeUtc());
    if (!layer) {
        emit failed(tr("%1 The previous prices stay in use.").arg(layer.errorMessage()));
        return;
    }
    if (Status saved = layer->save(m_layerFilePath); !saved) {
        emit failed(saved.errorMessage());
        return;
    }
    qCDebug(lcPriceRefresh) << "saved" << layer->size() << "prices to" << m_layerFilePath;
    emit finished(int(layer->size()));
}

} // namespace Switchyard::Catalog
