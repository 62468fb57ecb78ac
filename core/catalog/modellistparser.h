#pragma once

#include "core/catalog/modelinfo.h"
#include "core/model/result.h"
#include "core/providers/providerpreset.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Switchyard::Catalog {

// Reads one page of a provider's `GET {base}/models` answer. Failures say what the body lacks,
// so that a base URL pointing at the wrong server is recognisable.
class ModelListParser
{
public:
    struct Page
    {
        QList<ModelInfo> models;
        // What to ask for the next page (Anthropic's last_id as after_id, Gemini's nextPageToken as
        // pageToken); empty on the last page and for OpenAI-style lists, which are not paged.
        QString nextCursor;
    };

    // {"data": [{"id", …}]} or a bare array (Together), with what OpenRouter (name, context_length,
    // top_provider, architecture, supported_parameters, pricing as per-token strings), Together
    // (display_name, type, pricing per million), Groq (context_window, max_completion_tokens),
    // Mistral (name, max_context_length, capabilities) and LM Studio (type, max_context_length) add.
    static Result<Page> parseOpenAi(const QByteArray &body);
    // {"data": [{"id", "display_name", "max_input_tokens", "max_tokens", "capabilities"}],
    //  "has_more", "last_id"}.
    static Result<Page> parseAnthropic(const QByteArray &body);
    // {"models": [{"name": "models/…", "displayName", "inputTokenLimit", "outputTokenLimit",
    //  "supportedGenerationMethods", "thinking"}], "nextPageToken"}.
    static Result<Page> parseGemini(const QByteArray &body);
    static Result<Page> parse(Providers::WireFormat format, const QByteArray &body);
};

} // namespace Switchyard::Catalog
