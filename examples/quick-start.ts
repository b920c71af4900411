/**
 * The README quick start, runnable against the embedded mock providers (no API keys).
 * Run: npx tsx examples/quick-start.ts
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { anthropic, createClient, openai } from "../src/index.js";
import { faults, startMockProvider } from "../src/testing/index.js";

// Two local servers speaking OpenAI's and Anthropic's wire formats; OpenAI is down (503).
const openaiMock = await startMockProvider({ kind: "openai" });
const anthropicMock = await startMockProvider({ kind: "anthropic" });
openaiMock.setDefault(faults.serverError(503));

// --- the quick start, as in the README ---
const client = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: openaiMock.baseURL }), model: "gpt-4.1" }),
    anthropic({
      client: new Anthropic({ apiKey: "sk-ant-test", baseURL: anthropicMock.baseURL }),
      model: "claude-sonnet-4-6",
    }),
  ],
});
const res = await client.chat({ messages: [{ role: "user", content: "hi" }], maxTokens: 256 });
console.log(`${res.provider} answered: ${res.text}`);
console.log(res.attempts.map((a) => `${a.provider}: ${a.outcome}`).join(", "));

for await (const ev of client.stream({ messages: [{ role: "user", content: "stream please" }] })) {
  if (ev.type === "text") process.stdout.write(ev.text);
}
process.stdout.write("\n");
// --- end of quick start ---

await Promise.all([openaiMock.close(), anthropicMock.close()]);
