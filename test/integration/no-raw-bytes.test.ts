/**
 * Rule 2 of the hardening issue, engine side: no raw provider bytes leave the library. Gateways put
 * the upstream's raw reply in their in-band errors (OpenRouter: `error.metadata.raw`), and that reply
 * may echo the prompt or the key. The adapter's ProviderError message is clean, but the SDK error it
 * keeps as `cause` holds the whole body; before the fix the engine passed that cause on, so
 * `util.inspect(err, { depth: Infinity })` — what `console.error(err)` and most loggers print —
 * showed the prompt and the key. Checked: inspect at any depth, JSON.stringify, every `cause` down
 * the chain, attempts, and every event payload.
 * Through the real OpenAI SDK against the mock server (an OpenAI-compatible gateway).
 */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createClient,
  type FailoverClient,
  isAllProvidersFailedError,
  isStreamInterruptedError,
  openaiCompatible,
} from "../../src/index.js";
import { faults, type MockProvider, startMockProvider } from "../../src/testing/index.js";
import { recordEvents } from "./helpers/observe.js";
import { KEY_MARKER, PROMPT } from "./helpers/providers.js";

/** Not shaped like a key: only knowing it could redact it. */
const KEY = `gw-${KEY_MARKER}-token`;

let gateway: MockProvider;

beforeEach(async () => {
  gateway = await startMockProvider({ kind: "openai", name: "gateway" });
});

afterEach(async () => {
  await gateway.close();
});

const chunk = (text: string) =>
  `data: ${JSON.stringify({
    id: "gen-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "upstream/model",
    choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
  })}\n\n`;

/** OpenRouter's in-band error: a clean message, the upstream's raw reply (echoing prompt and key) in metadata. */
const echoingErrorFrame = `data: ${JSON.stringify({
  error: {
    message: "Provider returned error",
    code: 502,
    metadata: {
      provider_name: "Upstream",
      raw: JSON.stringify({ error: `bad input "${PROMPT}" with Authorization: ${KEY}` }),
    },
  },
})}\n\n`;

const sse = (body: string) => faults.status(200, body, { "content-type": "text/event-stream" });

const client = (): FailoverClient =>
  createClient({
    providers: [
      openaiCompatible({ name: "gateway", baseURL: gateway.baseURL, apiKey: KEY, model: "upstream/model" }),
    ],
    retry: { maxRetries: 0 },
  });

/** Everything a caller or a logger could print about `error`, and what observers saw. */
const everythingVisible = (error: unknown, events: unknown[]): string[] => {
  const views = [inspect(error, { depth: Number.POSITIVE_INFINITY }), JSON.stringify(error), String(error)];
  for (
    let current: unknown = error;
    current !== undefined;
    current = (current as { cause?: unknown }).cause
  ) {
    views.push(inspect(current, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
  }
  views.push(JSON.stringify(events));
  return views;
};

const expectClean = (views: string[]) => {
  for (const view of views) {
    expect(view).not.toContain(KEY_MARKER);
    expect(view).not.toContain("purple elephant");
  }
};

describe("an in-band error that echoes the prompt and key through the gateway's raw field", () => {
  it("chat(): AllProvidersFailedError carries no raw SDK error at any depth", async () => {
    gateway.setDefault(sse(echoingErrorFrame));
    const c = client();
    const { events } = recordEvents(c);
    const error = await c.chat({ messages: [{ role: "user", content: PROMPT }] }).catch((e: unknown) => e);
    expect(isAllProvidersFailedError(error)).toBe(true);
    expect(gateway.requests[0]?.body).toMatchObject({ messages: [{ content: PROMPT }] });
    // The useful part is kept: class and the provider's own (clean) message.
    expect((error as Error).message).toContain("gateway/upstream/model: server_error");
    expect((error as { cause?: { message?: string } }).cause?.message).toContain("Provider returned error");
    expectClean(everythingVisible(error, events));
  });

  it("stream(): the StreamInterruptedError after two chunks carries none either", async () => {
    gateway.setDefault(sse(chunk("Hel") + chunk("lo ") + echoingErrorFrame));
    const c = client();
    const { events } = recordEvents(c);
    let text = "";
    const error = await (async () => {
      for await (const event of c.stream({ messages: [{ role: "user", content: PROMPT }] }))
        if (event.type === "text") text += event.text;
    })().catch((e: unknown) => e);
    expect(isStreamInterruptedError(error)).toBe(true);
    expect(text).toBe("Hello ");
    expectClean(everythingVisible(error, events));
  });
});
