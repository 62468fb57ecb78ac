#pragma once

#include "core/model/result.h"
#include "core/model/usage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Switchyard::Protocol {

// An OpenAI-shaped embeddings request (POST /v1/embeddings).
struct EmbeddingsRequest
{
    QString model;
    QStringList texts; // the inputs when they are text
    bool tokenInput = false; // the inputs are token id arrays (only OpenAI-format providers take them)
    std::optional<qint64> dimensions;
    bool base64 = false; // encoding_format "base64"
    QJsonObject body; // the request as received, for providers of the same format

    friend bool operator==(const EmbeddingsRequest &, const EmbeddingsRequest &) = default;
};

struct EmbeddingsResponse
{
    QString model;
    QList<QList<float>> vectors;
    Usage usage; // not reported by Gemini

    friend bool operator==(const EmbeddingsResponse &, const EmbeddingsResponse &) = default;
};

// Embeddings in OpenAI's format (which clients send and OpenAI-compatible providers answer) and
// in Gemini's batchEmbedContents format.
class EmbeddingsCodec
{
public:
    EmbeddingsCodec() = delete;

    // Failure names the field: model missing, input not a string, array of strings, token array or
    // array of token arrays, or empty.
    static Result<EmbeddingsRequest> decodeRequest(const QByteArray &json);
    // The client's body for an OpenAI-format provider, with the target's model.
    static QByteArray encodeOpenAiRequest(const EmbeddingsRequest &request, const QString &model);
    // The usage of an OpenAI-format answer; not reported when it has none.
    static Usage decodeOpenAiUsage(const QJsonObject &response);
    static QByteArray encodeOpenAiResponse(const EmbeddingsResponse &response, bool base64);

    // "/models/<model>:batchEmbedContents" below the API version's base URL.
    static QString geminiPath(const QString &model);
    // Fails for token inputs, which Gemini does not accept.
    static Result<QByteArray> encodeGeminiRequest(const EmbeddingsRequest &request, const QString &model);
    static Result<EmbeddingsResponse> decodeGeminiResponse(const QByteArray &json, const QString &model);
};

} // namespace Switchyard::Protocol
