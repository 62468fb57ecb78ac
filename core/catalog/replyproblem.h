#pragma once

#include <QString>

class QNetworkReply;

namespace Switchyard::Catalog {

// What went wrong with a finished QNetworkReply, so that each service can tell the user what to
// do about it in its own words.
struct ReplyProblem
{
    enum class Kind {
        None, // a 2xx answer: the body is still unread
        Unreachable, // no HTTP answer: refused, unknown host, reset, proxy failure…
        Tls, // the TLS handshake failed (certificate, protocol, http:// server behind https://)
        Http, // an HTTP answer outside 2xx
    };

    Kind kind = Kind::None;
    int httpStatus = 0;
    bool credentialsRejected = false; // 401/403, or Gemini's 400 API_KEY_INVALID
    QString serverMessage; // the error body's message, shortened; may be empty
    QString networkError; // Qt's description for Unreachable and Tls

    // Reads the body of an error answer; leaves a 2xx body unread.
    static ReplyProblem of(QNetworkReply *reply);
};

} // namespace Switchyard::Catalog
