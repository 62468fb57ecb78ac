#pragma once

#include <QList>
#include <QString>

namespace Switchyard::Gateway {

// Ready-to-paste ways of calling the local gateway: a curl command, the OpenAI and Anthropic SDKs
// in Python and Node, and Claude Code's environment variables, all aimed at one address and one
// model (a route or "provider/model"). The key is written into the text only when given (it is
// known only just after it was created); otherwise each snippet reads the environment variable
// SWITCHYARD_API_KEY in its own language.
class ClientSnippets
{
public:
    enum class Kind {
        Curl,
        PythonOpenAi,
        PythonAnthropic,
        NodeOpenAi,
        NodeAnthropic,
        ClaudeCode,
    };

    static constexpr QStringView KeyVariable = u"SWITCHYARD_API_KEY";

    static QList<Kind> kinds();
    // Stable, for object names and settings: "curl", "python-openai"…
    static QString id(Kind kind);
    // Translated, e.g. "Python OpenAI" (the OpenAI SDK for Python).
    static QString title(Kind kind);

    // host and port as the gateway listens; a wildcard address (0.0.0.0, ::) is reached through
    // the loopback address of its family.
    ClientSnippets(const QString &host, quint16 port, QString model, QString apiKey = QString());

    // "http://127.0.0.1:4000": what the Anthropic SDKs and Claude Code take as their base URL.
    QString origin() const { return m_origin; }
    // origin() + "/v1": the OpenAI SDKs' base URL.
    QString openAiBaseUrl() const;
    QString text(Kind kind) const;

private:
    QString m_origin;
    QString m_model;
    QString m_apiKey;
};

} // namespace Switchyard::Gateway
