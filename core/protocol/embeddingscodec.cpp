#include "core/protocol/embeddingscodec.h"

#include "core/protocol/codecsupport.h"

#include <QJsonArray>
#include <QUrl>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace Switchyard::Protocol {

namespace {
bool isTokenArray(const QJsonValue &value)
{
    if (!value.isArray() || value.toArray().isEmpty()) {
        return false;
    }
    const QJsonArray tokens = value.toArray();
    return std::all_of(tokens.begin(), tokens.end(), [](const QJsonValue &token) { return token.isDouble(); });
}

QJsonValue encodeVector(const QList<float> &vector, bool base64)
{
    if (base64) {
        QByteArray bytes(vector.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
        for (qsizetype i = 0; i < vector.size(); ++i) {
            qToLittleEndian(vector.at(i), bytes.data() + i * qsizetype(sizeof(float)));
        }
        return QString::fromLatin1(bytes.toBase64());
    }
    QJsonArray values;
    for (const float value : vector) {
        values.append(double(value));
    }
    return values;
}
} // namespace

Result<EmbeddingsRequest> EmbeddingsCodec::decodeRequest(const QByteArray &json)
{
    const Result<QJsonObject> parsed = parseJsonObject(json, JsonDocumentKind::Request);
    if (!parsed) {
        return failureAs<EmbeddingsRequest>(Status::failure(parsed.errorMessage()));
    }
    EmbeddingsRequest request;
    request.body = parsed.value();
    request.model = request.body.value("model"_L1).toString();
    if (request.model.isEmpty()) {
        return failureAs<EmbeddingsRequest>(fieldFailure(u"model"_s, CodecTr::tr("must be a non-empty string")));
    }
    const QJsonValue input = request.body.value("input"_L1);
    const QString inputProblem
        = CodecTr::tr("must be a string, an array of strings, an array of token ids or an array of such arrays");
    if (input.isString()) {
        request.texts = {input.toString()};
    } else if (isTokenArray(input)) {
        request.tokenInput = true;
    } else if (input.isArray() && !input.toArray().isEmpty()) {
        const QJsonArray items = input.toArray();
        if (std::all_of(items.begin(), items.end(), [](const QJsonValue &item) { return item.isString(); })) {
            for (const QJsonValue &item : items) {
                request.texts.append(item.toString());
            }
        } else if (std::all_of(items.begin(), items.end(), isTokenArray)) {
            request.tokenInput = true;
        } else {
            return failureAs<EmbeddingsRequest>(fieldFailure(u"input"_s, inputProblem));
        }
    } else {
        return failureAs<EmbeddingsRequest>(fieldFailure(u"input"_s, inputProblem));
    }
    const QJsonValue dimensions = request.body.value("dimensions"_L1);
    if (!isAbsent(dimensions)) {
        if (!dimensions.isDouble() || dimensions.toDouble() < 1) {
            return failureAs<EmbeddingsRequest>(
                fieldFailure(u"dimensions"_s, CodecTr::tr("must be a whole number of 1 or more")));
        }
        request.dimensions = dimensions.toInteger();
    }
    const QString format = request.body.value("encoding_format"_L1).toString(u"float"_s);
    if (format != "float"_L1 && format != "base64"_L1) {
        return failureAs<EmbeddingsRequest>(
            fieldFailure(u"encoding_format"_s, CodecTr::tr("must be \"float\" or \"base64\"")));
    }
    request.base64 = format == "base64"_L1;
    return request;
}

QByteArray EmbeddingsCodec::encodeOpenAiRequest(const EmbeddingsRequest &request, const QString &model)
{
    QJsonObject body = request.body;
    body.insert("model"_L1, model);
    return compactJson(body);
}

Usage EmbeddingsCodec::decodeOpenAiUsage(const QJsonObject &response)
{
    Usage usage;
    const QJsonValue reported = response.value("usage"_L1);
    if (reported.isObject()) {
        usage.promptTokens = reported.toObject().value("prompt_tokens"_L1).toInteger();
        usage.isReported = true;
    }
    return usage;
}

QByteArray EmbeddingsCodec::encodeOpenAiResponse(const EmbeddingsResponse &response, bool base64)
{
    QJsonArray data;
    for (qsizetype i = 0; i < response.vectors.size(); ++i) {
        data.append(QJsonObject {{u"object"_s, u"embedding"_s}, {u"index"_s, i},
            {u"embedding"_s, encodeVector(response.vectors.at(i), base64)}});
    }
    QJsonObject body {{u"object"_s, u"list"_s}, {u"model"_s, response.model}, {u"data"_s, data}};
    if (response.usage.isReported) {
        body.insert("usage"_L1,
            QJsonObject {
                {u"prompt_tokens"_s, response.usage.promptTokens}, {u"total_tokens"_s, response.usage.promptTokens}});
    }
    return compactJson(body);
}

QString EmbeddingsCodec::geminiPath(const QString &model)
{
    const QString name = model.startsWith("models/"_L1) ? model.sliced(7) : model;
    return u"/models/"_s + QString::fromUtf8(QUrl::toPercentEncoding(name, "-._~")) + u":batchEmbedContents"_s;
}

Result<QByteArray> EmbeddingsCodec::encodeGeminiRequest(const EmbeddingsRequest &request, const QString &model)
{
    if (request.tokenInput) {
        return Result<QByteArray>::failure(
            CodecTr::tr("input: Gemini embeds text only; token ids cannot be sent to it."));
    }
    const QString name = model.startsWith("models/"_L1) ? model : u"models/"_s + model;
    QJsonArray requests;
    for (const QString &text : request.texts) {
        QJsonObject one {{u"model"_s, name},
            {u"content"_s, QJsonObject {{u"parts"_s, QJsonArray {QJsonObject {{u"text"_s, text}}}}}}};
        if (request.dimensions) {
            one.insert("outputDimensionality"_L1, *request.dimensions);
        }
        requests.append(one);
    }
    return compactJson(QJsonObject {{u"requests"_s, requests}});
}

Result<EmbeddingsResponse> EmbeddingsCodec::decodeGeminiResponse(const QByteArray &json, const QString &model)
{
    const Result<QJsonObject> parsed = parseJsonObject(json, JsonDocumentKind::Response);
    if (!parsed) {
        return failureAs<EmbeddingsResponse>(Status::failure(parsed.errorMessage()));
    }
    const QJsonValue embeddings = parsed->value("embeddings"_L1);
    if (!embeddings.isArray()) {
        return failureAs<EmbeddingsResponse>(fieldFailure(u"embeddings"_s, CodecTr::tr("must be an array")));
    }
    EmbeddingsResponse response;
    response.model = model;
    const QJsonArray items = embeddings.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue values = items.at(i).toObject().value("values"_L1);
        if (!values.isArray()) {
            return failureAs<EmbeddingsResponse>(
                fieldFailure(indexPath(u"embeddings"_s, i) + u".values"_s, CodecTr::tr("must be an array")));
        }
        QList<float> vector;
        for (const QJsonValue &value : values.toArray()) {
            vector.append(float(value.toDouble()));
        }
        response.vectors.append(vector);
    }
    return response;
}

} // namespace Switchyard::Protocol
