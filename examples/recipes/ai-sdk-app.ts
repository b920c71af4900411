/**
 * Recipe: the failover engine as an AI SDK model: the same `generateText` / `streamText` code,
 * in plain Node and in a Next.js App Router route handler (`POST(req) → Response`).
 * Runs against local mock providers, no API keys: npx tsx examples/recipes/ai-sdk-app.ts
 * See docs/recipes/ai-sdk-app.md.
 */
import Anthropic from "@anthropic-ai/sdk";
import { APICallError, convertToModelMessages, generateText, streamText, type UIMessage } from "ai";
import OpenAI from "openai";
import { failoverModel } from "../../src/compat/ai-sdk/index.js";
import { anthropic, createClient, isAiFailoverError, openai } from "../../src/index.js";
import { faults, startMockProviders } from "../../src/testing/index.js";

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
const mocks = await startMockProviders({
  openai: { defaultText: "Paris is the capital of France." },
  anthropic: { defaultText: "The capital of France is Paris." },
});

// --- the app: lib/model.ts ---
const model = failoverModel(
  createClient({
    providers: [
      openai({ client: new OpenAI({ apiKey: "sk-test", baseURL: mocks.openai.baseURL }), model: "gpt-4.1" }),
      anthropic({
        client: new Anthropic({ apiKey: "sk-ant-test", baseURL: mocks.anthropic.baseURL }),
        model: "claude-sonnet-4-6",
      }),
    ],
  }),
);

const logged: unknown[] = [];
const log = (error: unknown): void => {
  logged.push(error);
};

/** What the browser may see of a failure: the failure class, never the provider's own words. */
const publicError = (error: unknown): string => {
  const cause = APICallError.isInstance(error) ? error.cause : error;
  if (!isAiFailoverError(cause)) return "Something went wrong.";
  const failureClass = (cause as { failureClass?: string }).failureClass ?? "error";
  return cause.name === "StreamInterruptedError"
    ? `The answer was interrupted (${failureClass}). Please retry.`
    : `The assistant is unavailable right now (${failureClass}). Please retry.`;
};

// --- the app: app/api/chat/route.ts (Next.js App Router) ---
async function POST(req: Request): Promise<Response> {
  const { messages }: { messages: UIMessage[] } = await req.json();
  const result = streamText({
    model,
    messages: await convertToModelMessages(messages),
    abortSignal: req.signal, // the browser left: the provider request is cancelled too
    onError: ({ error }) => log(error), // your logger; the default prints the whole error to stderr
  });
  return result.toUIMessageStreamResponse({ onError: publicError });
}
// --- end of the app ---

// Plain Node. OpenAI answers 503: Anthropic answers, and the result says so.
mocks.openai.script(faults.serverError(503));
const { text, response, providerMetadata } = await generateText({
  model,
  prompt: "What is the capital of France?",
});
const meta = providerMetadata?.aiFailover as { attempts: { provider: string; outcome: string }[] };
console.log(`generateText: "${text}" from ${response.modelId}`);
console.log(`attempts: ${meta.attempts.map((a) => `${a.provider}/${a.outcome}`).join(" → ")}`);

// streamText in plain Node: an OpenAI stream cut before its first token falls over invisibly.
mocks.openai.script(faults.cut(0));
let streamed = "";
for await (const delta of streamText({ model, prompt: "What is the capital of France?" }).textStream)
  streamed += delta;
console.log(`streamText: "${streamed}"`);

/** Calls the route as Next.js would and reads the UI message stream it returns. */
const callRoute = async (): Promise<{ status: number; text: string; errors: string[] }> => {
  const body = {
    messages: [{ id: "m1", role: "user", parts: [{ type: "text", text: "Capital of France?" }] }],
  };
  const res = await POST(
    new Request("http://localhost/api/chat", { method: "POST", body: JSON.stringify(body) }),
  );
  const chunks = (await res.text())
    .split("\n")
    .filter((line) => line.startsWith("data: {"))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: string; errorText?: string });
  return {
    status: res.status,
    text: chunks.map((c) => (c.type === "text-delta" ? c.delta : "")).join(""),
    errors: chunks.filter((c) => c.type === "error").map((c) => c.errorText ?? ""),
  };
};

mocks.openai.script(faults.serverError(502));
const healthy = await callRoute();
console.log(`route, openai 502: HTTP ${healthy.status} "${healthy.text}"`);

// Cut after two chunks: the browser keeps OpenAI's partial answer and gets one error; Anthropic's
// text is never appended to it.
mocks.openai.script(faults.cut(2));
const cut = await callRoute();
console.log(`route, cut mid-answer: "${cut.text}" + error "${cut.errors.join()}"`);

mocks.openai.setDefault(faults.serverError(503));
mocks.anthropic.setDefault(faults.overloaded());
const down = await callRoute();
console.log(`route, all down: HTTP ${down.status}, error "${down.errors.join()}"`);
const [, lastError] = logged as APICallError[];
console.log(
  `logged: ${lastError?.name}, isRetryable ${lastError?.isRetryable}, cause ${(lastError?.cause as Error)?.name}`,
);
console.log(`requests: openai ${mocks.openai.callCount}, anthropic ${mocks.anthropic.callCount}`);

await mocks.close();

if (
  text !== "The capital of France is Paris." ||
  streamed !== "The capital of France is Paris." ||
  healthy.text !== "The capital of France is Paris." ||
  cut.text !== "Paris is the capital of".slice(0, 16) ||
  cut.errors.length !== 1 ||
  down.errors.length !== 1 ||
  mocks.openai.callCount !== 5 ||
  mocks.anthropic.callCount !== 6 ||
  logged.length !== 2
) {
  console.error("unexpected result");
  process.exit(1);
}
