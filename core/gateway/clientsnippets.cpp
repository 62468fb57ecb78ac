#include "core/gateway/clientsnippets.h"

#include "core/gateway/gatewaytr.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Gateway {

namespace {

// A double-quoted string literal that Python, JavaScript and JSON all read the same way.
QString quoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray {text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

// A POSIX shell word that stands for exactly `text`.
QString shellQuoted(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\'', u"'\\''"_s);
    return u'\'' + escaped + u'\'';
}

} // namespace

QList<ClientSnippets::Kind> ClientSnippets::kinds()
{
    return {
        Kind::Curl, Kind::PythonOpenAi, Kind::PythonAnthropic, Kind::NodeOpenAi, Kind::NodeAnthropic, Kind::ClaudeCode};
}

QString ClientSnippets::id(Kind kind)
{
    switch (kind) {
    case Kind::Curl:
        return u"curl"_s;
    case Kind::PythonOpenAi:
        return u"python-openai"_s;
    case Kind::PythonAnthropic:
        return u"python-anthropic"_s;
    case Kind::NodeOpenAi:
        return u"node-openai"_s;
    case Kind::NodeAnthropic:
        return u"node-anthropic"_s;
    case Kind::ClaudeCode:
        break;
    }
    return u"claude-code"_s;
}

QString ClientSnippets::title(Kind kind)
{
    switch (kind) {
    case Kind::Curl:
        return Tr::tr("curl");
    case Kind::PythonOpenAi:
        return Tr::tr("Python OpenAI");
    case Kind::PythonAnthropic:
        return Tr::tr("Python Anthropic");
    case Kind::NodeOpenAi:
        return Tr::tr("Node OpenAI");
    case Kind::NodeAnthropic:
        return Tr::tr("Node Anthropic");
    case Kind::ClaudeCode:
        break;
    }
    return Tr::tr("Claude Code");
}

ClientSnippets::ClientSnippets(const QString &host, quint16 port, QString model, QString apiKey)
    : m_model(std::move(model))
    , m_apiKey(std::move(apiKey))
{
    QString reachable = host;
    if (const QHostAddress address(host); address == QHostAddress::AnyIPv4) {
        reachable = u"127.0.0.1"_s;
    } else if (address == QHostAddress::AnyIPv6 || address == QHostAddress::Any) {
        reachable = u"::1"_s;
    }
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(reachable);
    url.setPort(port);
    m_origin = url.toString();
}

QString ClientSnippets::openAiBaseUrl() const
{
    return m_origin + u"/v1"_s;
}

QString ClientSnippets::text(Kind kind) const
{
    const bool literal = !m_apiKey.isEmpty();
    const QString variable = KeyVariable.toString();
    switch (kind) {
    case Kind::Curl: {
        const QJsonObject body {{u"model"_s, m_model},
            {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hello!"_s}}}}};
        const QString key = literal ? m_apiKey : QString(u'$' + variable);
        const QString authorization = u"Authorization: Bearer "_s + key;
        return u"curl %1/chat/completions \\\n"
               "  -H \"%2\" \\\n"
               "  -H \"Content-Type: application/json\" \\\n"
               "  -d %3\n"_s.arg(openAiBaseUrl(), authorization,
                   shellQuoted(QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact))));
    }
    case Kind::PythonOpenAi:
        return u"%1from openai import OpenAI\n"
               "\n"
               "client = OpenAI(base_url=%2, api_key=%3)\n"
               "response = client.chat.completions.create(\n"
               "    model=%4,\n"
               "    messages=[{\"role\": \"user\", \"content\": \"Hello!\"}],\n"
               ")\n"
               "print(response.choices[0].message.content)\n"_s.arg(literal ? QString() : u"import os\n"_s,
                   quoted(openAiBaseUrl()), literal ? quoted(m_apiKey) : u"os.environ[%1]"_s.arg(quoted(variable)),
                   quoted(m_model));
    case Kind::PythonAnthropic:
        return u"%1import anthropic\n"
               "\n"
               "client = anthropic.Anthropic(base_url=%2, api_key=%3)\n"
               "message = client.messages.create(\n"
               "    model=%4,\n"
               "    max_tokens=1024,\n"
               "    messages=[{\"role\": \"user\", \"content\": \"Hello!\"}],\n"
               ")\n"
               "print(message.content[0].text)\n"_s.arg(literal ? QString() : u"import os\n"_s, quoted(m_origin),
                   literal ? quoted(m_apiKey) : u"os.environ[%1]"_s.arg(quoted(variable)), quoted(m_model));
    case Kind::NodeOpenAi:
        return u"import OpenAI from \"openai\";\n"
               "\n"
               "const client = new OpenAI({ baseURL: %1, apiKey: %2 });\n"
               "const response = await client.chat.completions.create({\n"
               "  model: %3,\n"
               "  messages: [{ role: \"user\", content: \"Hello!\" }],\n"
               "});\n"
               "console.log(response.choices[0].message.content);\n"_s.arg(quoted(openAiBaseUrl()),
                   literal ? quoted(m_apiKey) : QString(u"process.env."_s + variable), quoted(m_model));
    case Kind::NodeAnthropic:
        return u"import Anthropic from \"@anthropic-ai/sdk\";\n"
               "\n"
               "const client = new Anthropic({ baseURL: %1, apiKey: %2 });\n"
               "const message = await client.messages.create({\n"
               "  model: %3,\n"
               "  max_tokens: 1024,\n"
               "  messages: [{ role: \"user\", content: \"Hello!\" }],\n"
               "});\n"
               "console.log(message.content[0].text);\n"_s.arg(quoted(m_origin),
                   literal ? quoted(m_apiKey) : QString(u"process.env."_s + variable), quoted(m_model));
    case Kind::ClaudeCode:
        break;
    }
    return u"export ANTHROPIC_BASE_URL=%1\n"
           "export ANTHROPIC_AUTH_TOKEN=%2\n"
           "export ANTHROPIC_MODEL=%3\n"
           "claude\n"_s.arg(shellQuoted(m_origin),
               literal ? shellQuoted(m_apiKey) : QString(u"\"$"_s + variable + u'"'), shellQuoted(m_model));
}

} // namespace Switchyard::Gateway
