// Drives an Anthropic Messages endpoint with the official Anthropic Node SDK and prints what it saw
// as one JSON line. The SDK appends /v1/messages to BASE_URL. TOOL_MODEL (default MODEL) names the
// model or route asked for a tool call.
// Usage: node anthropic-sdk-client.cjs BASE_URL API_KEY MODEL [TOOL_MODEL]
const Anthropic = require('@anthropic-ai/sdk');

const messages = [{ role: 'user', content: 'Say hello.' }];
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function statusOf(promise) {
  try {
    await promise;
    return { status: 200 };
  } catch (error) {
    return { status: error.status ?? null, name: error.constructor.name };
  }
}

function textOf(message) {
  return message.content.filter((block) => block.type === 'text').map((block) => block.text).join('');
}

async function main() {
  const [baseURL, apiKey, model, toolModel = model] = process.argv.slice(2);
  const client = new Anthropic({ baseURL, apiKey, maxRetries: 0 });
  const result = {};

  const message = await client.messages.create({ model, max_tokens: 256, messages });
  result.text = textOf(message);
  result.stopReason = message.stop_reason;
  result.usage = message.usage;

  const stream = client.messages.stream({ model, max_tokens: 256, messages });
  result.streamed = '';
  result.streamEvents = 0;
  stream.on('streamEvent', () => {
    result.streamEvents += 1;
  });
  stream.on('text', (delta) => {
    result.streamed += delta;
  });
  const final = await stream.finalMessage();
  result.streamFinalText = textOf(final);
  result.streamStopReason = final.stop_reason;
  result.streamUsage = final.usage;

  const toolAnswer = await client.messages.create({
    model: toolModel,
    max_tokens: 256,
    tools: [weatherTool],
    messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  });
  const toolUse = toolAnswer.content.find((block) => block.type === 'tool_use');
  result.tool = {
    stopReason: toolAnswer.stop_reason,
    id: toolUse?.id ?? null,
    name: toolUse?.name ?? null,
    input: toolUse?.input ?? null,
  };

  const count = await client.messages.countTokens({ model, messages });
  result.inputTokens = count.input_tokens;

  const stranger = new Anthropic({ baseURL, apiKey: 'sk-not-a-key', maxRetries: 0 });
  result.badKey = await statusOf(stranger.messages.create({ model, max_tokens: 16, messages }));
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
