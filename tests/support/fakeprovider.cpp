#include "tests/support/fakeprovider.h"

#include "core/gateway/httpconnection.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QtEndian>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Switchyard::Testing {

namespace {

enum class Dialect {
    OpenAi,
    Anthropic,
    Gemini,
};

enum class Operation {
    Chat,
    CountTokens,
    Embeddings,
};

// Where a request went: the dialect, what it asks for and, for Gemini, the model and the stream
// flag, which live in the path.
struct Endpoint
{
    Dialect dialect = Dialect::OpenAi;
    Operation operation = Operation::Chat;
    QString model;
    bool stream = false;
    bool batch = false; // Gemini batchEmbedContents
};

// One frame of a stream. The scripted reset and in-stream error count Content frames; truncation
// stops before the Finish frame.
struct Frame
{
    enum class Kind {
        Framing,
        Content,
        Finish,
    };
    Kind kind = Kind::Framing;
    QByteArray bytes;
};

// What the dialect builders need to write one answer.
struct Answer
{
    QString model;
    FakeProvider::Script script;
    QStringList pieces; // the text, or the tool call's arguments, one per content event
    bool includeUsage = false; // OpenAI stream_options.include_usage
};

struct Reply
{
    int status = 200;
    QByteArray body;
};

constexpr qint64 Created = 1767000000;
constexpr int DefaultEmbeddingSize = 8;
const Gateway::HttpHeaders JsonHeaders {{"Content-Type"_ba, "application/json"_ba}};
const Gateway::HttpHeaders StreamHeaders {
    {"Content-Type"_ba, "text/event-stream"_ba}, {"Cache-Control"_ba, "no-cache"_ba}};

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray dataFrame(const QJsonObject &object)
{
    return "data: "_ba + compact(object) + "\n\n"_ba;
}

Frame frame(Frame::Kind kind, const QByteArray &bytes)
{
    return Frame {kind, bytes};
}

QStringList splitText(const QString &text, int pieces)
{
    QStringList result;
    const int count = qMax(1, pieces);
    const qsizetype step = qMax<qsizetype>(1, (text.size() + count - 1) / count);
    for (qsizetype i = 0; i < text.size(); i += step) {
        result.append(text.mid(i, step));
    }
    return result;
}

QString argumentsText(const FakeProvider::ToolCall &call)
{
    return QString::fromUtf8(QJsonDocument(call.arguments).toJson(QJsonDocument::Compact));
}

// Stands in for an opaque provider signature: stable for the same text, so tests can compare it.
QString signatureFor(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toBase64());
}

// Small vectors that depend only on the text; every component is a multiple of 2^-15, exact in
// float32, so the base64 encoding round-trips exactly.
QList<float> embeddingFor(const QString &text, int size)
{
    quint32 state = 2166136261u; // FNV-1a
    for (const char byte : text.toUtf8()) {
        state = (state ^ quint8(byte)) * 16777619u;
    }
    QList<float> values;
    for (int i = 0; i < size; ++i) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        values.append(float(int(state & 0xffff) - 0x8000) / 32768.0f);
    }
    return values;
}

QJsonArray jsonNumbers(const QList<float> &values)
{
    QJsonArray array;
    for (const float value : values) {
        array.append(double(value));
    }
    return array;
}

QByteArray littleEndianFloats(const QList<float> &values)
{
    QByteArray bytes;
    for (const float value : values) {
        quint32 bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        const quint32 little = qToLittleEndian(bits);
        bytes.append(reinterpret_cast<const char *>(&little), sizeof little);
    }
    return bytes;
}

// --- OpenAI Chat Completions and embeddings ---------------------------------------------------

QByteArray openAiError(int status, const QString &message)
{
    QString type = u"invalid_request_error"_s;
    if (status == 429) {
        type = u"rate_limit_error"_s;
    } else if (status >= 500) {
        type = u"server_error"_s;
    }
    const QJsonValue code = status == 401 ? QJsonValue(u"invalid_api_key"_s) : QJsonValue();
    const QJsonObject error {{u"message"_s, message}, {u"type"_s, type}, {u"param"_s, QJsonValue()}, {u"code"_s, code}};
    return compact(QJsonObject {{u"error"_s, error}});
}

Reply openAiKeyRejection()
{
    return {401, openAiError(401, u"Incorrect API key provided."_s)};
}

QJsonObject openAiUsage(const Usage &usage)
{
    QJsonObject object {{u"prompt_tokens"_s, usage.promptTokens}, {u"completion_tokens"_s, usage.completionTokens},
        {u"total_tokens"_s, usage.totalTokens()},
        {u"prompt_tokens_details"_s, QJsonObject {{u"cached_tokens"_s, usage.cachedTokens}}},
        {u"completion_tokens_details"_s, QJsonObject {{u"reasoning_tokens"_s, usage.reasoningTokens}}}};
    // OpenRouter's billing figure in USD.
    if (usage.reportedCost) {
        object.insert(u"cost"_s, usage.reportedCost->usd());
    }
    return object;
}

QJsonObject openAiToolCall(const FakeProvider::ToolCall &call, const QString &arguments)
{
    return {{u"id"_s, u"call_fake_1"_s}, {u"type"_s, u"function"_s},
        {u"function"_s, QJsonObject {{u"name"_s, call.name}, {u"arguments"_s, arguments}}}};
}

// The one tool call's part of a stream delta: first id, type and name, then argument fragments.
QJsonObject openAiToolCallDelta(QJsonObject call)
{
    call.insert(u"index"_s, 0);
    return {{u"tool_calls"_s, QJsonArray {call}}};
}

QJsonObject openAiEnvelope(const Answer &answer, const QString &object)
{
    return {{u"id"_s, u"chatcmpl-fake"_s}, {u"object"_s, object}, {u"created"_s, Created}, {u"model"_s, answer.model}};
}

QByteArray openAiResponse(const Answer &answer)
{
    const FakeProvider::Script &script = answer.script;
    QJsonObject message {{u"role"_s, u"assistant"_s}};
    if (script.toolCall) {
        message.insert(u"content"_s, QJsonValue());
        message.insert(u"tool_calls"_s, QJsonArray {openAiToolCall(*script.toolCall, argumentsText(*script.toolCall))});
    } else {
        message.insert(u"content"_s, script.answer);
    }
    if (!script.reasoning.isEmpty()) {
        message.insert(u"reasoning_content"_s, script.reasoning);
    }
    const QJsonObject choice {
        {u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, script.toolCall ? u"tool_calls"_s : u"stop"_s}};
    QJsonObject body = openAiEnvelope(answer, u"chat.completion"_s);
    body.insert(u"choices"_s, QJsonArray {choice});
    body.insert(u"usage"_s, openAiUsage(script.usage));
    return QJsonDocument(body).toJson(QJsonDocument::Indented);
}

QByteArray openAiChunk(const Answer &answer, const QJsonObject &delta, const QString &finishReason = {})
{
    const QJsonObject choice {{u"index"_s, 0}, {u"delta"_s, delta},
        {u"finish_reason"_s, finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)}};
    QJsonObject chunk = openAiEnvelope(answer, u"chat.completion.chunk"_s);
    chunk.insert(u"choices"_s, QJsonArray {choice});
    chunk.insert(u"usage"_s, QJsonValue());
    return dataFrame(chunk);
}

QList<Frame> openAiStream(const Answer &answer)
{
    const FakeProvider::Script &script = answer.script;
    QList<Frame> frames {
        frame(Frame::Kind::Framing, openAiChunk(answer, {{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}}))};
    if (!script.reasoning.isEmpty()) {
        frames.append(frame(Frame::Kind::Framing, openAiChunk(answer, {{u"reasoning_content"_s, script.reasoning}})));
    }
    if (script.toolCall) {
        frames.append(frame(Frame::Kind::Framing,
            openAiChunk(answer, openAiToolCallDelta(openAiToolCall(*script.toolCall, QString())))));
    }
    for (const QString &piece : answer.pieces) {
        const QJsonObject delta = script.toolCall
            ? openAiToolCallDelta({{u"function"_s, QJsonObject {{u"arguments"_s, piece}}}})
            : QJsonObject {{u"content"_s, piece}};
        frames.append(frame(Frame::Kind::Content, openAiChunk(answer, delta)));
    }
    frames.append(frame(Frame::Kind::Finish, openAiChunk(answer, {}, script.toolCall ? u"tool_calls"_s : u"stop"_s)));
    if (answer.includeUsage) {
        QJsonObject chunk = openAiEnvelope(answer, u"chat.completion.chunk"_s);
        chunk.insert(u"choices"_s, QJsonArray());
        chunk.insert(u"usage"_s, openAiUsage(script.usage));
        frames.append(frame(Frame::Kind::Framing, dataFrame(chunk)));
    }
    frames.append(frame(Frame::Kind::Framing, "data: [DONE]\n\n"_ba));
    return frames;
}

QByteArray openAiStreamError()
{
    return "data: "_ba + openAiError(500, u"The server had an error while processing your request."_s) + "\n\n"_ba;
}

// `input` is a string, an array of strings, or token arrays, which are embedded as their JSON text.
QStringList openAiEmbeddingInputs(const QJsonValue &input)
{
    if (!input.isArray()) {
        return {input.toString()};
    }
    const QJsonArray items = input.toArray();
    if (!items.isEmpty() && items.first().isDouble()) {
        return {QString::fromUtf8(QJsonDocument(items).toJson(QJsonDocument::Compact))};
    }
    QStringList texts;
    for (const QJsonValue &item : items) {
        texts.append(item.isArray() ? QString::fromUtf8(QJsonDocument(item.toArray()).toJson(QJsonDocument::Compact))
                                    : item.toString());
    }
    return texts;
}

QByteArray openAiEmbeddings(const QString &model, const QJsonObject &request, const Usage &usage)
{
    const int size = request.value(u"dimensions"_s).toInt(DefaultEmbeddingSize);
    const bool base64 = request.value(u"encoding_format"_s).toString() == u"base64"_s;
    QJsonArray data;
    const QStringList inputs = openAiEmbeddingInputs(request.value(u"input"_s));
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const QList<float> values = embeddingFor(inputs.at(i), size);
        const QJsonValue embedding = base64 ? QJsonValue(QString::fromLatin1(littleEndianFloats(values).toBase64()))
                                            : QJsonValue(jsonNumbers(values));
        data.append(QJsonObject {{u"object"_s, u"embedding"_s}, {u"index"_s, int(i)}, {u"embedding"_s, embedding}});
    }
    const QJsonObject usageObject {{u"prompt_tokens"_s, usage.promptTokens}, {u"total_tokens"_s, usage.promptTokens}};
    return compact({{u"object"_s, u"list"_s}, {u"data"_s, data}, {u"model"_s, model}, {u"usage"_s, usageObject}});
}

// --- Anthropic Messages ------------------------------------------------------------------------

QString anthropicErrorType(int status)
{
    switch (status) {
    case 401:
        return u"authentication_error"_s;
    case 402:
        return u"billing_error"_s;
    case 403:
        return u"permission_error"_s;
    case 404:
        return u"not_found_error"_s;
    case 413:
        return u"request_too_large"_s;
    case 429:
        return u"rate_limit_error"_s;
    case 504:
        return u"timeout_error"_s;
    case 529:
        return u"overloaded_error"_s;
    default:
        return status < 500 ? u"invalid_request_error"_s : u"api_error"_s;
    }
}

QJsonObject anthropicErrorObject(int status, const QString &message)
{
    return {{u"type"_s, u"error"_s},
        {u"error"_s, QJsonObject {{u"type"_s, anthropicErrorType(status)}, {u"message"_s, message}}},
        {u"request_id"_s, u"req_fake"_s}};
}

QByteArray anthropicError(int status, const QString &message)
{
    return compact(anthropicErrorObject(status, message));
}

Reply anthropicKeyRejection()
{
    return {401, anthropicError(401, u"invalid x-api-key"_s)};
}

// Anthropic counts input_tokens without cache reads and writes.
QJsonObject anthropicUsage(const Usage &usage)
{
    return {{u"input_tokens"_s, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens},
        {u"cache_creation_input_tokens"_s, usage.cacheWriteTokens}, {u"cache_read_input_tokens"_s, usage.cachedTokens},
        {u"output_tokens"_s, usage.completionTokens},
        {u"output_tokens_details"_s, QJsonObject {{u"thinking_tokens"_s, usage.reasoningTokens}}}};
}

QJsonObject anthropicToolUse(const FakeProvider::ToolCall &call, const QJsonObject &input)
{
    return {{u"type"_s, u"tool_use"_s}, {u"id"_s, u"toolu_fake_1"_s}, {u"name"_s, call.name}, {u"input"_s, input}};
}

QJsonObject anthropicMessage(
    const Answer &answer, const QJsonArray &content, const QJsonValue &stopReason, const QJsonObject &usage)
{
    return {{u"id"_s, u"msg_fake"_s}, {u"type"_s, u"message"_s}, {u"role"_s, u"assistant"_s},
        {u"model"_s, answer.model}, {u"content"_s, content}, {u"stop_reason"_s, stopReason},
        {u"stop_sequence"_s, QJsonValue()}, {u"usage"_s, usage}};
}

QString anthropicStopReason(const Answer &answer)
{
    return answer.script.toolCall ? u"tool_use"_s : u"end_turn"_s;
}

QByteArray anthropicResponse(const Answer &answer)
{
    const FakeProvider::Script &script = answer.script;
    QJsonArray content;
    if (!script.reasoning.isEmpty()) {
        content.append(QJsonObject {{u"type"_s, u"thinking"_s}, {u"thinking"_s, script.reasoning},
            {u"signature"_s, signatureFor(script.reasoning)}});
    }
    content.append(script.toolCall ? anthropicToolUse(*script.toolCall, script.toolCall->arguments)
                                   : QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, script.answer}});
    return QJsonDocument(anthropicMessage(answer, content, anthropicStopReason(answer), anthropicUsage(script.usage)))
        .toJson(QJsonDocument::Indented);
}

// Anthropic names every event, and the name repeats the data's "type".
Frame anthropicEvent(Frame::Kind kind, const QJsonObject &data)
{
    return frame(
        kind, "event: "_ba + data.value(u"type"_s).toString().toUtf8() + "\ndata: "_ba + compact(data) + "\n\n"_ba);
}

Frame anthropicBlockDelta(Frame::Kind kind, int index, const QJsonObject &delta)
{
    return anthropicEvent(kind, {{u"type"_s, u"content_block_delta"_s}, {u"index"_s, index}, {u"delta"_s, delta}});
}

Frame anthropicBlockStart(int index, const QJsonObject &block)
{
    return anthropicEvent(Frame::Kind::Framing,
        {{u"type"_s, u"content_block_start"_s}, {u"index"_s, index}, {u"content_block"_s, block}});
}

Frame anthropicBlockStop(int index)
{
    return anthropicEvent(Frame::Kind::Framing, {{u"type"_s, u"content_block_stop"_s}, {u"index"_s, index}});
}

QList<Frame> anthropicStream(const Answer &answer)
{
    const FakeProvider::Script &script = answer.script;
    // message_start knows the input; the output count it carries is only what was produced so far.
    QJsonObject startUsage = anthropicUsage(script.usage);
    startUsage.insert(u"output_tokens"_s, 1);
    startUsage.remove(u"output_tokens_details"_s);
    QList<Frame> frames {anthropicEvent(Frame::Kind::Framing,
        {{u"type"_s, u"message_start"_s}, {u"message"_s, anthropicMessage(answer, {}, QJsonValue(), startUsage)}})};
    int index = 0;
    if (!script.reasoning.isEmpty()) {
        frames.append(
            anthropicBlockStart(index, {{u"type"_s, u"thinking"_s}, {u"thinking"_s, u""_s}, {u"signature"_s, u""_s}}));
        frames.append(anthropicBlockDelta(
            Frame::Kind::Framing, index, {{u"type"_s, u"thinking_delta"_s}, {u"thinking"_s, script.reasoning}}));
        frames.append(anthropicBlockDelta(Frame::Kind::Framing, index,
            {{u"type"_s, u"signature_delta"_s}, {u"signature"_s, signatureFor(script.reasoning)}}));
        frames.append(anthropicBlockStop(index++));
    }
    frames.append(anthropicBlockStart(index,
        script.toolCall ? anthropicToolUse(*script.toolCall, {})
                        : QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}));
    for (const QString &piece : answer.pieces) {
        const QJsonObject delta = script.toolCall
            ? QJsonObject {{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, piece}}
            : QJsonObject {{u"type"_s, u"text_delta"_s}, {u"text"_s, piece}};
        frames.append(anthropicBlockDelta(Frame::Kind::Content, index, delta));
    }
    frames.append(anthropicBlockStop(index));
    const QJsonObject usage {{u"output_tokens"_s, script.usage.completionTokens},
        {u"output_tokens_details"_s, QJsonObject {{u"thinking_tokens"_s, script.usage.reasoningTokens}}}};
    const QJsonObject delta {{u"stop_reason"_s, anthropicStopReason(answer)}, {u"stop_sequence"_s, QJsonValue()}};
    frames.append(anthropicEvent(
        Frame::Kind::Finish, {{u"type"_s, u"message_delta"_s}, {u"delta"_s, delta}, {u"usage"_s, usage}}));
    frames.append(anthropicEvent(Frame::Kind::Framing, {{u"type"_s, u"message_stop"_s}}));
    return frames;
}

QByteArray anthropicStreamError()
{
    return anthropicEvent(Frame::Kind::Framing, anthropicErrorObject(529, u"Overloaded"_s)).bytes;
}

// --- Gemini API --------------------------------------------------------------------------------

QString geminiStatus(int status)
{
    switch (status) {
    case 401:
        return u"UNAUTHENTICATED"_s;
    case 403:
        return u"PERMISSION_DENIED"_s;
    case 404:
        return u"NOT_FOUND"_s;
    case 429:
        return u"RESOURCE_EXHAUSTED"_s;
    case 502:
    case 503:
    case 529:
        return u"UNAVAILABLE"_s;
    case 504:
        return u"DEADLINE_EXCEEDED"_s;
    default:
        return status < 500 ? u"INVALID_ARGUMENT"_s : u"INTERNAL"_s;
    }
}

QJsonObject geminiErrorObject(int status, const QString &message, const QJsonArray &details = {})
{
    QJsonObject error {{u"code"_s, status}, {u"message"_s, message}, {u"status"_s, geminiStatus(status)}};
    if (!details.isEmpty()) {
        error.insert(u"details"_s, details);
    }
    return {{u"error"_s, error}};
}

QByteArray geminiError(int status, const QString &message)
{
    return compact(geminiErrorObject(status, message));
}

// Google answers a wrong key with 400, not 401; the reason in the details says what it is.
Reply geminiKeyRejection()
{
    const QJsonObject info {{u"@type"_s, u"type.googleapis.com/google.rpc.ErrorInfo"_s},
        {u"reason"_s, u"API_KEY_INVALID"_s}, {u"domain"_s, u"googleapis.com"_s}};
    return {400, compact(geminiErrorObject(400, u"API key not valid. Please pass a valid API key."_s, {info}))};
}

// promptTokenCount includes the cached tokens, candidatesTokenCount excludes the thoughts.
QJsonObject geminiUsage(const Usage &usage)
{
    QJsonObject metadata {{u"promptTokenCount"_s, usage.promptTokens},
        {u"candidatesTokenCount"_s, usage.completionTokens - usage.reasoningTokens},
        {u"totalTokenCount"_s, usage.totalTokens()}};
    if (usage.cachedTokens > 0) {
        metadata.insert(u"cachedContentTokenCount"_s, usage.cachedTokens);
    }
    if (usage.reasoningTokens > 0) {
        metadata.insert(u"thoughtsTokenCount"_s, usage.reasoningTokens);
    }
    return metadata;
}

QJsonObject geminiThoughtPart(const FakeProvider::Script &script)
{
    return {{u"text"_s, script.reasoning}, {u"thought"_s, true}};
}

// A thinking model signs its function calls; the next request must send the signature back.
QJsonObject geminiFunctionCallPart(const FakeProvider::Script &script)
{
    QJsonObject part {
        {u"functionCall"_s, QJsonObject {{u"name"_s, script.toolCall->name}, {u"args"_s, script.toolCall->arguments}}}};
    if (!script.reasoning.isEmpty()) {
        part.insert(u"thoughtSignature"_s, signatureFor(script.reasoning));
    }
    return part;
}

// One GenerateContentResponse; streams send a series of them, the last with the finish reason.
QJsonObject geminiResponseObject(const Answer &answer, const QJsonArray &parts, bool finished)
{
    QJsonObject candidate {{u"content"_s, QJsonObject {{u"role"_s, u"model"_s}, {u"parts"_s, parts}}}, {u"index"_s, 0}};
    if (finished) {
        candidate.insert(u"finishReason"_s, u"STOP"_s);
    }
    QJsonObject body {{u"candidates"_s, QJsonArray {candidate}}, {u"modelVersion"_s, answer.model},
        {u"responseId"_s, u"fake-response"_s}};
    if (finished) {
        body.insert(u"usageMetadata"_s, geminiUsage(answer.script.usage));
    }
    return body;
}

QByteArray geminiResponse(const Answer &answer)
{
    const FakeProvider::Script &script = answer.script;
    QJsonArray parts;
    if (!script.reasoning.isEmpty()) {
        parts.append(geminiThoughtPart(script));
    }
    parts.append(script.toolCall ? geminiFunctionCallPart(script) : QJsonObject {{u"text"_s, script.answer}});
    return QJsonDocument(geminiResponseObject(answer, parts, true)).toJson(QJsonDocument::Indented);
}

QList<Frame> geminiStream(const Answer &answer)
{
    const FakeProvider::Script &script = answer.script;
    QList<Frame> frames;
    if (!script.reasoning.isEmpty()) {
        frames.append(
            frame(Frame::Kind::Framing, dataFrame(geminiResponseObject(answer, {geminiThoughtPart(script)}, false))));
    }
    if (script.toolCall) {
        frames.append(frame(
            Frame::Kind::Content, dataFrame(geminiResponseObject(answer, {geminiFunctionCallPart(script)}, false))));
    } else {
        for (const QString &piece : answer.pieces) {
            frames.append(frame(Frame::Kind::Content,
                dataFrame(geminiResponseObject(answer, {QJsonObject {{u"text"_s, piece}}}, false))));
        }
    }
    frames.append(
        frame(Frame::Kind::Finish, dataFrame(geminiResponseObject(answer, {QJsonObject {{u"text"_s, u""_s}}}, true))));
    return frames;
}

QByteArray geminiStreamError()
{
    return dataFrame(geminiErrorObject(503, u"The model is overloaded. Please try again later."_s));
}

QString geminiContentText(const QJsonObject &content)
{
    QString text;
    for (const QJsonValue &part : content.value(u"parts"_s).toArray()) {
        text += part.toObject().value(u"text"_s).toString();
    }
    return text;
}

QJsonObject geminiEmbedding(const QJsonObject &request)
{
    const int size = request.value(u"outputDimensionality"_s).toInt(DefaultEmbeddingSize);
    return {{u"values"_s, jsonNumbers(embeddingFor(geminiContentText(request.value(u"content"_s).toObject()), size))}};
}

QByteArray geminiEmbeddings(const QJsonObject &request, bool batch)
{
    if (!batch) {
        return compact({{u"embedding"_s, geminiEmbedding(request)}});
    }
    QJsonArray embeddings;
    for (const QJsonValue &item : request.value(u"requests"_s).toArray()) {
        embeddings.append(geminiEmbedding(item.toObject()));
    }
    return compact({{u"embeddings"_s, embeddings}});
}

// --- Dispatch ----------------------------------------------------------------------------------

struct DialectFormat
{
    QByteArray (*error)(int status, const QString &message);
    Reply (*keyRejection)();
    QByteArray (*response)(const Answer &answer);
    QList<Frame> (*stream)(const Answer &answer);
    QByteArray (*streamError)();
};

const DialectFormat &formatOf(Dialect dialect)
{
    static const DialectFormat openAi {
        openAiError, openAiKeyRejection, openAiResponse, openAiStream, openAiStreamError};
    static const DialectFormat anthropic {
        anthropicError, anthropicKeyRejection, anthropicResponse, anthropicStream, anthropicStreamError};
    static const DialectFormat gemini {
        geminiError, geminiKeyRejection, geminiResponse, geminiStream, geminiStreamError};
    switch (dialect) {
    case Dialect::Anthropic:
        return anthropic;
    case Dialect::Gemini:
        return gemini;
    case Dialect::OpenAi:
        break;
    }
    return openAi;
}

Endpoint makeEndpoint(Dialect dialect, Operation operation)
{
    Endpoint result;
    result.dialect = dialect;
    result.operation = operation;
    return result;
}

std::optional<Endpoint> endpointFor(const Gateway::HttpRequest &request)
{
    if (request.method != "POST") {
        return std::nullopt;
    }
    if (request.path == "/v1/chat/completions") {
        return makeEndpoint(Dialect::OpenAi, Operation::Chat);
    }
    if (request.path == "/v1/embeddings") {
        return makeEndpoint(Dialect::OpenAi, Operation::Embeddings);
    }
    if (request.path == "/v1/messages") {
        return makeEndpoint(Dialect::Anthropic, Operation::Chat);
    }
    if (request.path == "/v1/messages/count_tokens") {
        return makeEndpoint(Dialect::Anthropic, Operation::CountTokens);
    }
    const QByteArray prefix = "/v1beta/models/"_ba;
    const qsizetype colon = request.path.lastIndexOf(':');
    if (!request.path.startsWith(prefix) || colon <= prefix.size()) {
        return std::nullopt;
    }
    Endpoint gemini = makeEndpoint(Dialect::Gemini, Operation::Chat);
    gemini.model = QUrl::fromPercentEncoding(request.path.mid(prefix.size(), colon - prefix.size()));
    const QByteArray method = request.path.mid(colon + 1);
    if (method == "streamGenerateContent") {
        gemini.stream = true;
    } else if (method == "embedContent" || method == "batchEmbedContents") {
        gemini.operation = Operation::Embeddings;
        gemini.batch = method == "batchEmbedContents";
    } else if (method != "generateContent") {
        return std::nullopt;
    }
    return gemini;
}

Dialect dialectOfPath(const QByteArray &path)
{
    return path.startsWith("/v1beta/") ? Dialect::Gemini : Dialect::OpenAi;
}

QString queryItem(const Gateway::HttpRequest &request, const QString &name)
{
    return QUrlQuery(QString::fromUtf8(request.query)).queryItemValue(name, QUrl::FullyDecoded);
}

bool carriesKey(Dialect dialect, const Gateway::HttpRequest &request, const QByteArray &key)
{
    const bool bearer = request.header("authorization") == "Bearer "_ba + key;
    switch (dialect) {
    case Dialect::OpenAi:
        return bearer;
    case Dialect::Anthropic:
        return bearer || request.header("x-api-key") == key;
    case Dialect::Gemini:
        return request.header("x-goog-api-key") == key || queryItem(request, u"key"_s).toUtf8() == key;
    }
    return false;
}

// The checks the real API makes before a request reaches a model; an empty message passes.
QString refusalOf(const Endpoint &endpoint, const Gateway::HttpRequest &request, const QJsonObject &body, bool isObject)
{
    if (!isObject) {
        return u"The request body is not a JSON object."_s;
    }
    if (endpoint.dialect == Dialect::Anthropic && request.header("anthropic-version").isEmpty()) {
        return u"anthropic-version: header is required"_s;
    }
    if (endpoint.dialect != Dialect::Gemini && body.value(u"model"_s).toString().isEmpty()) {
        return u"model: Field required"_s;
    }
    if (endpoint.dialect == Dialect::Anthropic && endpoint.operation == Operation::Chat
        && !body.value(u"max_tokens"_s).isDouble()) {
        return u"max_tokens: Field required"_s;
    }
    // Without alt=sse Gemini streams one JSON array, which no client of this project asks for.
    if (endpoint.stream && queryItem(request, u"alt"_s) != u"sse"_s) {
        return u"This fake streams Gemini answers only with alt=sse."_s;
    }
    return {};
}

} // namespace

struct FakeProvider::Exchange
{
    QPointer<Gateway::HttpConnection> connection;
    Endpoint endpoint;
    QJsonObject body;
    Answer answer;
    bool stream = false;
    QList<Frame> frames;
    qsizetype nextFrame = 0;
    int contentSent = 0;
};

FakeProvider::FakeProvider(QObject *parent)
    : QObject(parent)
    , m_server(new Gateway::HttpServer(this, this))
{
}

FakeProvider::~FakeProvider()
{
    delete m_server;
    m_server = nullptr;
    qDeleteAll(m_exchanges);
}

bool FakeProvider::start()
{
    return m_server->listen(QHostAddress::LocalHost, 0).isOk();
}

void FakeProvider::stop()
{
    m_server->abortAll();
}

quint16 FakeProvider::port() const
{
    return m_server->serverPort();
}

QUrl FakeProvider::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port()));
}

QUrl FakeProvider::geminiBaseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1beta"_s.arg(port()));
}

void FakeProvider::setScript(const QString &model, const Script &script)
{
    m_scripts.insert(model, script);
}

void FakeProvider::handleRequest(Gateway::HttpRequest &&request, Gateway::HttpConnection *connection)
{
    if (request.method == "GET" && request.path == "/v1/models") {
        if (!m_requiredKey.isEmpty() && !carriesKey(Dialect::OpenAi, request, m_requiredKey)) {
            const Reply rejection = formatOf(Dialect::OpenAi).keyRejection();
            connection->respond(rejection.status, JsonHeaders, rejection.body);
            return;
        }
        QJsonArray models;
        for (auto it = m_scripts.cbegin(); it != m_scripts.cend(); ++it) {
            models.append(QJsonObject {{u"id"_s, it.key()}, {u"object"_s, u"model"_s}, {u"owned_by"_s, u"fake"_s}});
        }
        connection->respond(200, JsonHeaders, compact({{u"object"_s, u"list"_s}, {u"data"_s, models}}));
        return;
    }
    const std::optional<Endpoint> endpoint = endpointFor(request);
    if (!endpoint) {
        connection->respond(404, JsonHeaders, formatOf(dialectOfPath(request.path)).error(404, u"Unknown path"_s));
        return;
    }
    const DialectFormat &format = formatOf(endpoint->dialect);
    if (!m_requiredKey.isEmpty() && !carriesKey(endpoint->dialect, request, m_requiredKey)) {
        const Reply rejection = format.keyRejection();
        connection->respond(rejection.status, JsonHeaders, rejection.body);
        return;
    }
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QJsonObject body = document.object();
    const QString refusal = refusalOf(*endpoint, request, body, document.isObject());
    if (!refusal.isEmpty()) {
        connection->respond(400, JsonHeaders, format.error(400, refusal));
        return;
    }

    auto *exchange = new Exchange;
    exchange->connection = connection;
    exchange->endpoint = *endpoint;
    exchange->body = body;
    Answer &answer = exchange->answer;
    answer.model = endpoint->dialect == Dialect::Gemini ? endpoint->model : body.value(u"model"_s).toString();
    answer.script = m_scripts.value(answer.model, m_defaultScript);
    answer.includeUsage = body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();
    answer.pieces = splitText(
        answer.script.toolCall ? argumentsText(*answer.script.toolCall) : answer.script.answer, answer.script.chunks);
    exchange->stream = endpoint->operation == Operation::Chat
        && (endpoint->dialect == Dialect::Gemini ? endpoint->stream : body.value(u"stream"_s).toBool());
    m_exchanges.insert(exchange);
    const QString model = answer.model;
    const QByteArray path = request.path;
    m_requests.append(std::move(request));
    m_requestsByModel[model] += 1;
    ++m_totalRequests;
    m_maxConcurrent = qMax(m_maxConcurrent, ++m_inFlight);
    emit requestReceived(model, path);
    if (exchange->answer.script.hang) {
        return; // answered never; cleaned up with the provider
    }
    QTimer::singleShot(exchange->answer.script.headDelayMs, this, [this, exchange] { sendAnswer(exchange); });
}

void FakeProvider::sendAnswer(Exchange *exchange)
{
    const Answer &answer = exchange->answer;
    const Script &script = answer.script;
    const DialectFormat &format = formatOf(exchange->endpoint.dialect);
    if (exchange->connection.isNull()) {
        finishExchange(exchange);
        return;
    }
    if (script.status != 200) {
        Gateway::HttpHeaders headers = JsonHeaders;
        if (!script.retryAfter.isEmpty()) {
            headers.append({"Retry-After"_ba, script.retryAfter});
        }
        const QByteArray body = script.errorBody.isEmpty()
            ? format.error(script.status, u"Scripted failure with status %1"_s.arg(script.status))
            : script.errorBody;
        exchange->connection->respond(script.status, headers, body);
        finishExchange(exchange);
        return;
    }
    if (exchange->stream && !script.invalidJson) {
        exchange->frames = format.stream(answer);
        ++m_openStreams;
        exchange->connection->beginStream(200, StreamHeaders);
        sendNextStreamFrame(exchange);
        return;
    }
    QByteArray body;
    switch (exchange->endpoint.operation) {
    case Operation::Chat:
        body = format.response(answer);
        break;
    case Operation::CountTokens:
        body = compact({{u"input_tokens"_s, script.usage.promptTokens}});
        break;
    case Operation::Embeddings:
        body = exchange->endpoint.dialect == Dialect::Gemini
            ? geminiEmbeddings(exchange->body, exchange->endpoint.batch)
            : openAiEmbeddings(answer.model, exchange->body, script.usage);
        break;
    }
    if (script.invalidJson) {
        body.truncate(body.size() / 2);
    }
    exchange->connection->respond(200, JsonHeaders, body);
    finishExchange(exchange);
}

void FakeProvider::sendNextStreamFrame(Exchange *exchange)
{
    if (exchange->connection.isNull()) {
        dropStream(exchange);
        return;
    }
    const Script &script = exchange->answer.script;
    const Frame &next = exchange->frames.at(exchange->nextFrame);
    const bool contentDue = next.kind == Frame::Kind::Content || next.kind == Frame::Kind::Finish;
    if (next.kind == Frame::Kind::Content && script.resetAfterChunks >= 0
        && exchange->contentSent >= script.resetAfterChunks) {
        resetStream(exchange);
        return;
    }
    if (contentDue && script.streamErrorAfterChunks >= 0 && exchange->contentSent >= script.streamErrorAfterChunks) {
        exchange->connection->writeChunk(formatOf(exchange->endpoint.dialect).streamError());
        endStream(exchange);
        return;
    }
    if (next.kind == Frame::Kind::Finish && script.truncate) {
        endStream(exchange);
        return;
    }
    exchange->connection->writeChunk(next.bytes);
    exchange->contentSent += next.kind == Frame::Kind::Content ? 1 : 0;
    if (++exchange->nextFrame == exchange->frames.size()) {
        endStream(exchange);
        return;
    }
    QTimer::singleShot(script.chunkDelayMs, this, [this, exchange] { sendNextStreamFrame(exchange); });
}

void FakeProvider::endStream(Exchange *exchange)
{
    exchange->connection->endStream();
    --m_openStreams;
    emit streamFinished(exchange->answer.model);
    finishExchange(exchange);
}

// The events written so far must reach the client before the connection drops, but the connection
// sends its output one event-loop pass later and abort() discards what is still buffered. So the
// reset waits behind that pass and hands the socket's buffer to the kernel first.
void FakeProvider::resetStream(Exchange *exchange)
{
    QMetaObject::invokeMethod(
        this,
        [this, exchange] {
            if (!exchange->connection.isNull()) {
                if (auto *socket = exchange->connection->findChild<QTcpSocket *>()) {
                    socket->flush();
                }
                exchange->connection->abort();
            }
            dropStream(exchange);
        },
        Qt::QueuedConnection);
}

void FakeProvider::dropStream(Exchange *exchange)
{
    --m_openStreams;
    finishExchange(exchange);
}

void FakeProvider::finishExchange(Exchange *exchange)
{
    --m_inFlight;
    m_exchanges.remove(exchange);
    delete exchange;
}

} // namespace Switchyard::Testing
