/**
 * Drop-in failover for existing OpenAI code: `withFailover(new OpenAI(), { fallbacks })`.
 * Runs against the embedded mock providers (no API keys): OpenAI answers, then goes down, and
 * Anthropic and Mistral answer in ChatCompletion shape while the app code stays the same.
 * Run: npx tsx examples/drop-in.ts
 */
import Anthropic from "@anthropic-ai/sdk";
import { Mistral } from "@mistralai/mistralai";
import OpenAI from "openai";
import { getFailoverInfo, withFailover } from "../src/compat/openai/index.js";
import { anthropic, mistral } from "../src/index.js";
import { faults, startMockProviders } from "../src/testing/index.js";

// Local servers speaking OpenAI's, Anthropic's and Mistral's wire formats.
const mocks = await startMockProviders({ openai: {}, anthropic: {}, mistral: {} });

// --- the drop-in, as an app would write it ---
const openai = withFailover(new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), {
  fallbacks: [
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
      model: "claude-sonnet-4-6",
    }),
    mistral({
      client: new Mistral({ apiKey: "mistral-test", serverURL: mocks.mistral.baseURL }),
      model: "mistral-large-latest",
    }),
  ],
  // Optional: which model each fallback uses for each OpenAI model.
  models: { "gpt-4.1": { anthropic: "claude-sonnet-4-6", mistral: "mistral-large-latest" } },
  // Any engine policy option, e.g. a tight deadline for a black-holed provider.
  deadlines: { headersMs: 2_000 },
});

// Unchanged app code: the same call, the same types.
const ask = async (question: string) => {
  const completion = await openai.chat.completions.create({
    model: "gpt-4.1",
    messages: [{ role: "user", content: question }],
  });
  const info = getFailoverInfo(completion);
  console.log(`[${info?.provider} / ${completion.model}] ${completion.choices[0]?.message.content}`);
  return info?.provider;
};
// --- end of the drop-in ---

const served: (string | undefined)[] = [];
served.push(await ask("Is OpenAI up?"));

// OpenAI goes down: 503s for every call.
mocks.openai.setDefault(faults.serverError(503));
served.push(await ask("And now?"));

// Streaming keeps its shape too: chunks, tool-call deltas, a usage chunk.
mocks.anthropic.script(faults.reply({ toolCalls: [{ name: "get_weather", arguments: { city: "Oslo" } }] }));
const stream = await openai.chat.completions.create({
  model: "gpt-4.1",
  messages: [{ role: "user", content: "Weather in Oslo?" }],
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    },
  ],
  stream: true,
  stream_options: { include_usage: true },
});
let toolArguments = "";
for await (const chunk of stream) {
  toolArguments += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
  if (chunk.usage) console.log(`usage: ${chunk.usage.total_tokens} tokens`);
}
console.log(`[${getFailoverInfo(stream)?.provider}] streamed: ${toolArguments}`);
served.push(getFailoverInfo(stream)?.provider);

// Anthropic fails too: Mistral answers.
mocks.anthropic.setDefault(faults.overloaded());
served.push(await ask("Anyone?"));

await mocks.close();

const expected = ["openai", "anthropic", "anthropic", "mistral"];
if (served.join() !== expected.join() || toolArguments !== '{"city":"Oslo"}') {
  console.error(
    `unexpected: ${served.join(", ")} (expected ${expected.join(", ")}); tool arguments ${toolArguments}`,
  );
  process.exit(1);
}
