/**
 * Recipe: Gemini as a fallback on another cloud, through the AI SDK (`aiSdk()` over `@ai-sdk/google`).
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/gemini-fallback.ts
 * See docs/recipes/gemini-fallback.md.
 */
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import OpenAI, { AzureOpenAI } from "openai";
import { aiSdk, azureOpenAI, createClient, openai } from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

const mocks = await startMockProviders({
  openai: { defaultText: "Answer from OpenAI." },
  azure: { defaultText: "Answer from Azure OpenAI." },
  google: { defaultText: "Answer from Gemini." },
});

// --- the app ---
const google = createGoogleGenerativeAI({ apiKey: "test-gemini-key", baseURL: mocks.google.baseURL });
const client = createClient({
  providers: [
    openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
    azureOpenAI({
      client: new AzureOpenAI({
        endpoint: mocks.azure.baseURL,
        apiKey: "azure-test",
        deployment: "gpt-41",
        apiVersion: "2024-10-21",
      }),
      model: "gpt-4.1",
    }),
    // Another cloud: name "google", failure domain "google" (OpenAI and Azure share "openai").
    aiSdk({ model: google("gemini-2.5-flash") }),
  ],
});
// --- end of the app ---

const ask = () => client.chat({ messages: [{ role: "user", content: "Status of order 1042?" }] });
const trail = (attempts: { provider: string; outcome: string; status: number | undefined }[]) =>
  attempts.map((a) => `${a.provider}/${a.outcome}${a.status ? ` ${a.status}` : ""}`).join(" → ");

// 2024-12-26: OpenAI and Azure OpenAI down together. After OpenAI fails, the engine tries the
// provider outside its failure domain first: Gemini answers, Azure is not even asked.
mocks.openai.setDefault(faults.serverError(503));
mocks.azure.setDefault(faults.serverError(503));
const outage = await ask();
console.log(`dec-26: ${outage.text} [${outage.provider}/${outage.model}] ${trail(outage.attempts)}`);
const azureDuringOutage = mocks.azure.callCount;
console.log(`azure requests: ${azureDuringOutage}`);

// Streaming works the same way through the AI SDK's Gemini client.
let streamed = "";
for await (const event of client.stream({ messages: [{ role: "user", content: "Status?" }] })) {
  if (event.type === "text") streamed += event.text;
}
console.log(`stream: ${streamed}`);

// Gemini's own failure signals are understood: a 429 states its wait in the body (RetryInfo),
// and the provider cools down for exactly that long. (Azure is back by now.)
mocks.azure.setDefault(faults.reply());
mocks.google.script(faults.rateLimited({ resetSeconds: 30 }));
const limited = await ask();
const cooling = client.health().find((h) => h.provider === "google")!;
console.log(
  `gemini 429: ${trail(limited.attempts)}; google cooling ${Math.round(cooling.retryInMs / 1000)} s`,
);

await mocks.close();

if (
  outage.provider !== "google" ||
  azureDuringOutage !== 0 ||
  streamed !== "Answer from Gemini." ||
  limited.provider !== "azure-openai" ||
  cooling.retryInMs < 25_000
) {
  console.error("unexpected result");
  process.exit(1);
}
