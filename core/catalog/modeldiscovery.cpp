#include "core/catalog/modeldiscovery.h"

#include "core/catalog/catalogtr.h"
#include "core/catalog/modellistparser.h"
#include "core/catalog/replyproblem.h"
#include "core/providers/providerpresets.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

Q_LOGGING_CATEGORY(lcDiscovery, "switchyard.catalog.modeldiscovery")

// Both paged APIs allow up to 1000 models per page; a list that pages on past this is broken.
constexpr int maxPages = 100;
const QString pageSize = u"1000"_s;

} // namespace

struct ModelDiscovery::Fetch
{
    quint64 generation = 0;
    Providers::ProviderProfile profile;
    Providers::WireFormat format = Providers::WireFormat::OpenAiChat;
    QByteArray apiKey;
    QList<ModelInfo> models;
    QSet<QString> cursors;
    int pages = 0;
    QUrl pageUrl; // of the request in flight, for messages
    QPointer<QNetworkReply> reply;
    QTimer *deadline = nullptr; // deleted later: a fetch may end inside the timer's own signal
    bool timedOut = false;

    ~Fetch()
    {
        if (deadline != nullptr) {
            deadline->stop();
            deadline->deleteLater();
        }
    }

    void abandon()
    {
        if (reply) {
            QObject::disconnect(reply, nullptr, nullptr, nullptr);
            reply->abort();
            reply->deleteLater();
        }
    }
};

QString ModelDiscovery::defaultCacheDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/switchyard/models"_L1;
}

ModelDiscovery::ModelDiscovery(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

ModelDiscovery::~ModelDiscovery()
{
    for (auto &[id, fetch] : m_fetches) {
        fetch->abandon();
    }
}

QStringList ModelDiscovery::loadCache()
{
    QStringList problems;
    if (m_cacheDirectory.isEmpty()) {
        return problems;
    }
    const QDir directory(m_cacheDirectory);
    const QStringList files = directory.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(directory.filePath(name));
        const auto unreadable = [this, &file](const QString &reason) {
            return tr("The cached model list %1 cannot be read (%2); the next fetch replaces it.")
                .arg(file.fileName(), reason);
        };
        if (!file.open(QIODevice::ReadOnly)) {
            problems.append(unreadable(file.errorString()));
            continue;
        }
        auto list = DiscoveredModels::fromJson(file.readAll());
        if (!list) {
            problems.append(unreadable(list.errorMessage()));
            continue;
        }
        if (list->providerId + ".json"_L1 != name) {
            problems.append(unreadable(tr("it belongs to provider %1").arg(list->providerId)));
            continue;
        }
        const auto current = m_lists.constFind(list->providerId);
        if (current != m_lists.constEnd() && current->fetchedAt >= list->fetchedAt) {
            continue;
        }
        const QString providerId = list->providerId;
        m_lists.insert(providerId, std::move(list).value());
        emit modelsUpdated(providerId);
    }
    return problems;
}

void ModelDiscovery::fetch(
    const Providers::ProviderProfile &profile, const QString &apiKey, const QString &missingKeyReason)
{
    if (auto running = m_fetches.find(profile.id); running != m_fetches.end()) {
        running->second->abandon();
        m_fetches.erase(running);
    }
    const auto preset = Providers::ProviderPresets::find(profile.preset);
    if (apiKey.isEmpty() && preset && preset->requiresKey) {
        const QString message = !missingKeyReason.isEmpty() ? missingKeyReason
            : profile.credentialRef.isEmpty()
            ? tr("Provider %1 needs an API key to list its models but has no credential reference. Set it to "
                 "keychain:NAME or env:VARIABLE.")
                  .arg(profile.id)
            : tr("Provider %1 needs an API key to list its models, but %2 gave none. Store the key with “switchyard "
                 "keys set NAME” or set the environment variable.")
                  .arg(profile.id, profile.credentialRef);
        QMetaObject::invokeMethod(
            this, [this, id = profile.id, message] { emit discoveryFailed(id, message, FailureKind::NoKey); },
            Qt::QueuedConnection);
        return;
    }

    auto fetch = std::make_unique<Fetch>();
    fetch->generation = m_nextGeneration++;
    fetch->profile = profile;
    fetch->format = preset ? preset->wireFormat : Providers::WireFormat::OpenAiChat;
    fetch->apiKey = apiKey.toUtf8();
    fetch->deadline = new QTimer(this);
    fetch->deadline->setSingleShot(true);
    connect(fetch->deadline, &QTimer::timeout, this,
        [this, id = profile.id, generation = fetch->generation] { handleTimeout(id, generation); });
    fetch->deadline->start(m_timeout);
    Fetch *started = fetch.get();
    m_fetches[profile.id] = std::move(fetch);
    requestPage(started, QString());
}

bool ModelDiscovery::isFetching(const QString &providerId) const
{
    return m_fetches.find(providerId) != m_fetches.end();
}

std::optional<DiscoveredModels> ModelDiscovery::models(const QString &providerId) const
{
    const auto it = m_lists.constFind(providerId);
    return it != m_lists.constEnd() ? std::optional<DiscoveredModels>(*it) : std::nullopt;
}

void ModelDiscovery::requestPage(Fetch *fetch, const QString &cursor)
{
    QUrl url(fetch->profile.baseUrl.toString(QUrl::StripTrailingSlash) + "/models"_L1);
    QUrlQuery query;
    switch (fetch->format) {
    case Providers::WireFormat::AnthropicMessages:
        query.addQueryItem(u"limit"_s, pageSize);
        if (!cursor.isEmpty()) {
            query.addQueryItem(u"after_id"_s, cursor);
        }
        break;
    case Providers::WireFormat::GeminiGenerate:
        query.addQueryItem(u"pageSize"_s, pageSize);
        if (!cursor.isEmpty()) {
            query.addQueryItem(u"pageToken"_s, cursor);
        }
        break;
    case Providers::WireFormat::OpenAiChat:
        break;
    }
    if (!query.isEmpty()) {
        url.setQuery(query);
    }

    QNetworkRequest request(url);
    request.setRawHeader("Accept"_ba, "application/json"_ba);
    if (!fetch->apiKey.isEmpty()) {
        switch (fetch->format) {
        case Providers::WireFormat::AnthropicMessages:
            request.setRawHeader("x-api-key"_ba, fetch->apiKey);
            break;
        case Providers::WireFormat::GeminiGenerate:
            request.setRawHeader("x-goog-api-key"_ba, fetch->apiKey);
            break;
        case Providers::WireFormat::OpenAiChat:
            request.setRawHeader("Authorization"_ba, "Bearer "_ba + fetch->apiKey);
            break;
        }
    }
    if (fetch->format == Providers::WireFormat::AnthropicMessages) {
        request.setRawHeader("anthropic-version"_ba, "2023-06-01"_ba);
    }
    for (const auto &[name, value] : fetch->profile.extraHeaders) {
        request.setRawHeader(name, value);
    }

    ++fetch->pages;
    fetch->pageUrl = url;
    fetch->reply = m_network->get(request);
    connect(fetch->reply, &QNetworkReply::finished, this,
        [this, id = fetch->profile.id, generation = fetch->generation] { handleReply(id, generation); });
    qCDebug(lcDiscovery) << "fetching" << url.toDisplayString() << "for" << fetch->profile.id;
}

void ModelDiscovery::handleTimeout(const QString &providerId, quint64 generation)
{
    const auto it = m_fetches.find(providerId);
    if (it == m_fetches.end() || it->second->generation != generation || !it->second->reply) {
        return;
    }
    it->second->timedOut = true;
    it->second->reply->abort(); // finishes the reply, which reports the timeout
}

void ModelDiscovery::handleReply(const QString &providerId, quint64 generation)
{
    const auto it = m_fetches.find(providerId);
    if (it == m_fetches.end() || it->second->generation != generation) {
        return;
    }
    Fetch *fetch = it->second.get();
    QNetworkReply *reply = fetch->reply;
    fetch->reply.clear();
    reply->deleteLater();
    const QString id = fetch->profile.id;
    const QString url = fetch->pageUrl.toDisplayString();

    if (fetch->timedOut) {
        fail(id, FailureKind::Timeout,
            tr("Provider %1 did not send its model list within %2 s (%3). Check that the server is running and "
               "answering, then try again.")
                .arg(id, QString::number(m_timeout.count() / 1000.0), url));
        return;
    }
    const ReplyProblem problem = ReplyProblem::of(reply);
    const QString details = problem.serverMessage.isEmpty() ? tr("no details given") : problem.serverMessage;
    switch (problem.kind) {
    case ReplyProblem::Kind::Unreachable:
        fail(id, FailureKind::Unreachable,
            tr("Could not reach provider %1 at %2 (%3). Check that the server is running and that the base URL is "
               "right.")
                .arg(id, url, problem.networkError));
        return;
    case ReplyProblem::Kind::Tls:
        fail(id, FailureKind::Tls,
            tr("The secure connection to provider %1 at %2 failed (%3). Check whether the base URL should start "
               "with http:// or https://, and the system's clock and certificates.")
                .arg(id, url, problem.networkError));
        return;
    case ReplyProblem::Kind::Http:
        if (problem.credentialsRejected && fetch->apiKey.isEmpty()) {
            fail(id, FailureKind::NoKey,
                tr("Provider %1 wants an API key (HTTP %2: %3). Set the provider's credential to keychain:NAME or "
                   "env:VARIABLE.")
                    .arg(id, QString::number(problem.httpStatus), details));
        } else if (problem.credentialsRejected) {
            fail(id, FailureKind::KeyRejected,
                tr("Provider %1 rejected the API key from %2 (HTTP %3: %4). Check that the key is current and "
                   "belongs to this provider; replace a keychain key with “switchyard keys set NAME”.")
                    .arg(id, fetch->profile.credentialRef, QString::number(problem.httpStatus), details));
        } else if (problem.httpStatus == 404) {
            fail(id, FailureKind::HttpError,
                tr("Provider %1 has no model list at %2 (HTTP 404: %3). Check the base URL: it is the API root "
                   "that chat requests go to, e.g. https://api.openai.com/v1.")
                    .arg(id, url, details));
        } else if (problem.httpStatus == 429) {
            fail(id, FailureKind::HttpError,
                tr("Provider %1 is limiting requests (HTTP 429: %2). Try again in a minute.").arg(id, details));
        } else {
            fail(id, FailureKind::HttpError,
                tr("Provider %1 answered HTTP %2 for %3 (%4). Try again later; if it persists, check the provider's "
                   "status page.")
                    .arg(id, QString::number(problem.httpStatus), url, details));
        }
        return;
    case ReplyProblem::Kind::None:
        break;
    }

    auto page = ModelListParser::parse(fetch->format, reply->readAll());
    if (!page) {
        fail(id, FailureKind::InvalidAnswer,
            tr("Provider %1 did not answer %2 with a model list: %3 Check that the base URL points at the provider's "
               "API.")
                .arg(id, url, page.errorMessage()));
        return;
    }
    fetch->models.append(page->models);
    if (!page->nextCursor.isEmpty()) {
        if (fetch->cursors.contains(page->nextCursor) || fetch->pages >= maxPages) {
            fail(id, FailureKind::InvalidAnswer,
                tr("Provider %1 keeps sending more pages of its model list (%2 so far); the list was not updated. "
                   "Try again later.")
                    .arg(id, QString::number(fetch->pages)));
            return;
        }
        fetch->cursors.insert(page->nextCursor);
        requestPage(fetch, page->nextCursor);
        return;
    }

    DiscoveredModels list;
    list.providerId = id;
    list.baseUrl = fetch->profile.baseUrl;
    list.fetchedAt = QDateTime::currentDateTimeUtc();
    list.models = std::move(fetch->models);
    m_fetches.erase(it);
    qCDebug(lcDiscovery) << "provider" << id << "lists" << list.models.size() << "models";
    store(std::move(list));
    emit modelsUpdated(id);
}

void ModelDiscovery::fail(const QString &providerId, FailureKind kind, const QString &message)
{
    m_fetches.erase(providerId);
    qCDebug(lcDiscovery) << "discovery failed for" << providerId << kind;
    emit discoveryFailed(providerId, message, kind);
}

void ModelDiscovery::store(DiscoveredModels list)
{
    const QString path = cacheFilePath(list.providerId);
    if (!path.isEmpty()) {
        // A cache that cannot be written costs the next start its list, nothing else.
        QSaveFile file(path);
        const QByteArray json = list.toJson();
        if (!QDir().mkpath(m_cacheDirectory) || !file.open(QIODevice::WriteOnly) || file.write(json) != json.size()
            || !file.commit()) {
            qCWarning(lcDiscovery).noquote() << "could not write the model list cache" << path << file.errorString();
        }
    }
    m_lists.insert(list.providerId, std::move(list));
}

QString ModelDiscovery::cacheFilePath(const QString &providerId) const
{
    if (m_cacheDirectory.isEmpty() || !Providers::ProviderProfile::isValidId(providerId)) {
        return {};
    }
    return QDir(m_cacheDirectory).filePath(providerId + ".json"_L1);
}

} // namespace Switchyard::Catalog
