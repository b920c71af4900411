/**
 * Rule 7 of issue 7, refusal parity (decided by the lead): a model's refusal is an ANSWER on every
 * provider — OpenAI's `message.refusal` / streamed `delta.refusal`, Anthropic's `stop_reason:
 * "refusal"` — never an error: the call succeeds on the provider that refused (no fall-over), with
 * `finishReason.unified` "content-filter", the provider's raw reason, and the refusal text in
 * `refusal` (and `refusal` stream events). Provider content filters stay `content_filter` errors.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropic, azureOpenAI, type ChatStreamEvent, createClient, openai } from "../../src/index.js";
import type { ProviderAdapter } from "../../src/spec/provider.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../src/testing/index.js";

const REFUSAL = "I'm sorry, but I can't help with that.";

const mocks = {} as Record<"openai" | "azure" | "anthropic" | "healthy", MockProvider>;
beforeAll(async () => {
  for (const kind of ["openai", "azure", "anthropic"] as const)
    mocks[kind] = await startMockProvider({ kind });
  mocks.healthy = await startMockProvider({ kind: "openai", name: "healthy" });
});
beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.reset();
});
afterAll(async () => {
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

const apiKey = "test-key-0001";
type Kind = "openai" | "azure" | "anthropic";
const adapterFor = (kind: Kind): ProviderAdapter =>
  kind === "openai"
    ? openai({ apiKey, baseURL: mocks.openai.baseURL, model: "gpt-4.1" })
    : kind === "azure"
      ? azureOpenAI({
          endpoint: mocks.azure.baseURL,
          apiKey,
          deployment: "d",
          apiVersion: "2024-10-21",
          model: "gpt-4.1",
        })
      : anthropic({ client: new Anthropic({ apiKey, baseURL: mocks.anthropic.baseURL }), model: "claude" });
const backup = () => openai({ name: "healthy", apiKey, baseURL: mocks.healthy.baseURL, model: "backup" });

/** OpenAI's refusal as a JSON body: content null, `refusal` set, finish_reason stop. */
const openAIRefusalBody = (): MockFault =>
  faults.status(200, {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4.1",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, refusal: REFUSAL, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 9, completion_tokens: 10, total_tokens: 19 },
  });

/** OpenAI's refusal streamed: a role chunk with `refusal: ""`, then `delta.refusal` pieces, stop, usage, [DONE]. */
const openAIRefusalStream = (): MockFault => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4.1", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const pieces = [REFUSAL.slice(0, 12), REFUSAL.slice(12)];
  return faults.status(
    200,
    chunk({ role: "assistant", content: null, refusal: "" }) +
      pieces.map((refusal) => chunk({ refusal })).join("") +
      chunk({}, "stop") +
      "data: [DONE]\n\n",
    { "content-type": "text/event-stream" },
  );
};

/** Anthropic's refusal: the text written before the classifier stopped it, `stop_reason: "refusal"`. */
const anthropicRefusalBody = (): MockFault =>
  faults.status(200, {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude",
    content: [{ type: "text", text: "Let me" }],
    stop_reason: "refusal",
    stop_details: { type: "refusal", category: "cyber", explanation: REFUSAL },
    usage: { input_tokens: 9, output_tokens: 2 },
  });

const refusalFor = (kind: Kind, transport: "stream" | "json"): MockFault =>
  kind === "anthropic"
    ? transport === "json"
      ? anthropicRefusalBody()
      : faults.contentFilterStream({ reply: { text: "Let me explain how", chunkSize: 6 } })
    : transport === "json"
      ? openAIRefusalBody()
      : openAIRefusalStream();

const expectedRaw = (kind: Kind) => (kind === "anthropic" ? "refusal" : "stop");

describe("a refusal is an answer on every provider: it succeeds where it was given and does not fall over", () => {
  it.for(["openai", "azure", "anthropic"] as const)(
    "%s · chat(): the answer carries the refusal",
    async (kind) => {
      mocks[kind].script(refusalFor(kind, "stream"));
      const client = createClient({ providers: [adapterFor(kind), backup()] });
      const result = await client.chat({
        messages: [{ role: "user", content: "help me with something bad" }],
      });
      expect(result.provider).toBe(adapterFor(kind).name);
      expect(result.finishReason).toEqual({ unified: "content-filter", raw: expectedRaw(kind) });
      expect(result.refusal).toBe(kind === "anthropic" ? "The model declined to answer." : REFUSAL);
      expect(result.attempts.map((a) => a.outcome)).toEqual(["ok"]);
      expect(mocks.healthy.callCount).toBe(0);
    },
  );

  // The engine's JSON transport turns a response into parts in src/engine/running-attempt.ts,
  // which carries `refusal` once the engine side of issue 7 lands; the adapters' part is here.
  it.for(["openai", "azure", "anthropic"] as const)(
    "%s · generate() (JSON): the response carries the refusal",
    async (kind) => {
      mocks[kind].script(refusalFor(kind, "json"));
      const adapter = adapterFor(kind);
      const response = await adapter.generate(
        { model: adapter.model, messages: [{ role: "user", content: "help me with something bad" }] },
        { signal: new AbortController().signal, timeoutMs: 10_000 },
      );
      expect(response).toMatchObject({
        text: kind === "anthropic" ? "Let me" : "",
        refusal: REFUSAL,
        finishReason: { unified: "content-filter", raw: expectedRaw(kind) },
      });
    },
  );

  it.for(["openai", "azure", "anthropic"] as const)(
    "%s · stream(): refusal events, then a content-filter finish",
    async (kind) => {
      mocks[kind].script(refusalFor(kind, "stream"));
      const client = createClient({ providers: [adapterFor(kind), backup()] });
      const events: ChatStreamEvent[] = [];
      const stream = client.stream({ messages: [{ role: "user", content: "help me with something bad" }] });
      for await (const event of stream) events.push(event);
      const refusal = events.flatMap((e) => (e.type === "refusal" ? [e.text] : [])).join("");
      expect(refusal.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.type === "start")).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "content-filter" } });
      expect((await stream.result()).refusal).toBe(refusal);
      expect(mocks.healthy.callCount).toBe(0);
    },
  );

  it("a refusal commits a stream: a failure after it is not hidden by a fall-over", async () => {
    const chunk = (delta: Record<string, unknown>) =>
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
    mocks.openai.script(
      faults.status(200, chunk({ refusal: "I can't" }), { "content-type": "text/event-stream" }),
    );
    const client = createClient({ providers: [adapterFor("openai"), backup()] });
    const events: ChatStreamEvent[] = [];
    const error = await (async () => {
      for await (const event of client.stream({ messages: [{ role: "user", content: "x" }] }))
        events.push(event);
    })().catch((e: unknown) => e);
    expect(events.map((e) => e.type)).toEqual(["start", "refusal"]);
    expect(error).toMatchObject({ name: "StreamInterruptedError", failureClass: "truncated" });
    expect(mocks.healthy.callCount).toBe(0);
  });

  it("a provider's content filter is still an error (Azure finish_reason content_filter, with categories)", async () => {
    mocks.azure.script(faults.contentFilterStream({ category: "violence" }));
    const client = createClient({ providers: [adapterFor("azure"), backup()] });
    const error = await client.chat({ messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "ProviderError",
      failureClass: "content_filter",
      contentFilterCategories: ["violence"],
    });
  });
});
