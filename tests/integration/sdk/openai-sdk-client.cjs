// Drives the gateway with the official OpenAI Node SDK and prints what it saw as one JSON line.
// Usage: node openai-sdk-client.cjs BASE_URL API_KEY
const OpenAI = require('openai');

const messages = [{ role: 'user', content: 'Say hello.' }];

async function statusOf(promise) {
  try {
    await promise;
    return { status: 200 };
  } catch (error) {
    return { status: error.status ?? null, name: error.constructor.name };
  }
}

async function main() {
  const [baseURL, apiKey] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  const result = {};

  const completion = await client.chat.completions.create({ model: 'smart', messages });
  result.text = completion.choices[0].message.content;
  result.usage = completion.usage;

  const stream = await client.chat.completions.create({
    model: 'smart', messages, stream: true, stream_options: { include_usage: true },
  });
  result.streamed = '';
  result.streamEvents = 0;
  for await (const chunk of stream) {
    result.streamEvents += 1;
    if (chunk.choices.length > 0) {
      result.streamed += chunk.choices[0].delta?.content ?? '';
    }
    if (chunk.usage) {
      result.streamUsage = chunk.usage;
    }
  }

  const { data, response } = await client.chat.completions.create({ model: 'pair', messages }).withResponse();
  result.fallbackText = data.choices[0].message.content;
  result.fallbackTarget = response.headers.get('x-switchyard-target');

  result.unknownModel = await statusOf(client.chat.completions.create({ model: 'no-such-model', messages }));
  const stranger = new OpenAI({ baseURL, apiKey: 'sy-not-a-key', maxRetries: 0 });
  result.badKey = await statusOf(stranger.chat.completions.create({ model: 'smart', messages }));

  const models = await client.models.list();
  result.models = models.data.map((model) => model.id);
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
