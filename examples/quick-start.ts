/**
 * The README quick start, run as written against the embedded mock providers (no API keys):
 * the SDKs read OPENAI_BASE_URL / ANTHROPIC_BASE_URL, which point at local mock servers here,
 * and OpenAI is down (503). Run: npx tsx examples/quick-start.ts
 */
import { faults, startMockProvider } from "../src/testing/index.js";

const openaiMock = await startMockProvider({ kind: "openai" });
const anthropicMock = await startMockProvider({ kind: "anthropic" });
openaiMock.setDefault(faults.serverError(503));
Object.assign(process.env, {
  OPENAI_BASE_URL: openaiMock.baseURL,
  OPENAI_API_KEY: "sk-test",
  ANTHROPIC_BASE_URL: anthropicMock.baseURL,
  ANTHROPIC_API_KEY: "sk-ant-test",
});
const { default: OpenAI } = await import("openai");
const { default: Anthropic } = await import("@anthropic-ai/sdk");
const { createClient, openai, anthropic } = await import("../src/index.js");

// quick-start:begin
// biome-ignore format: kept exactly as the README shows it
const client = createClient({ providers: [
  openai({ client: new OpenAI(), model: "gpt-4.1" }),                   // or openai({ apiKey, model })
  anthropic({ client: new Anthropic(), model: "claude-sonnet-4-6" }),
]});
const res = await client.chat({ messages: [{ role: "user", content: "hi" }], maxTokens: 256 });
console.log(res.text, res.provider, res.attempts);
for await (const ev of client.stream({ messages: [{ role: "user", content: "hi" }] })) {
  if (ev.type === "text") process.stdout.write(ev.text);
}
// quick-start:end

process.stdout.write("\n");
await Promise.all([openaiMock.close(), anthropicMock.close()]);
