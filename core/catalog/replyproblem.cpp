#include "core/catalog/replyproblem.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace Switchyard::Catalog {

namespace {

// {"error": {"message"}} (OpenAI, Anthropic, Gemini, OpenRouter), {"error": "…"} or {"message"}
// (Mistral, vLLM).
QString messageOf(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue error = root.value("error"_L1);
    QString message = error.isObject() ? error.toObject().value("message"_L1).toString() : error.toString();
    if (message.isEmpty()) {
        message = root.value("message"_L1).toString();
    }
    message = message.simplified();
    constexpr qsizetype limit = 300;
    return message.size() > limit ? message.left(limit) + u'…' : message;
}

} // namespace

ReplyProblem ReplyProblem::of(QNetworkReply *reply)
{
    ReplyProblem problem;
    problem.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (problem.httpStatus >= 300) {
        const QByteArray body = reply->readAll();
        problem.kind = Kind::Http;
        problem.serverMessage = messageOf(body);
        problem.credentialsRejected = problem.httpStatus == 401 || problem.httpStatus == 403
            || (problem.httpStatus == 400 && body.contains("API_KEY_INVALID"));
        return problem;
    }
    if (reply->error() == QNetworkReply::NoError) {
        return problem;
    }
    problem.kind = reply->error() == QNetworkReply::SslHandshakeFailedError ? Kind::Tls : Kind::Unreachable;
    problem.networkError = reply->errorString();
    return problem;
}

} // namespace Switchyard::Catalog
