/**
 * Every failure class, through each real AI SDK provider package, both ways (doGenerate and
 * doStream): the fault is injected on the wire by the mock server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FailureClass } from "../../../src/index.js";
import { faults, type MockFault, type MockProvider, startMockProvider } from "../../../src/testing/index.js";
import { adapterFor, attempt, caught, collect, KEY, request, SDK_KINDS, type SdkKind } from "./helpers.js";

type Expect = { cls: FailureClass; status?: number; retryAfterMs?: number; message?: RegExp };
type Row = [name: string, fault: MockFault, expected: Record<SdkKind, Expect> | Expect];

const ROWS: Row[] = [
  [
    "429 + retry-after: 2",
    faults.rateLimited({ retryAfter: "2", resetHeaders: false }),
    { cls: "rate_limited", status: 429, retryAfterMs: 2000 },
  ],
  // OpenAI x-ratelimit-reset-requests "3s", Anthropic retry-after 3, Gemini RetryInfo retryDelay "3s".
  [
    "429 with the provider's own reset signal",
    faults.rateLimited({ resetSeconds: 3 }),
    { cls: "rate_limited", status: 429, retryAfterMs: 3000 },
  ],
  ["429 spent quota", faults.quota(), { cls: "quota", status: 429 }],
  ["500", faults.serverError(500), { cls: "server_error", status: 500 }],
  ["503", faults.serverError(503), { cls: "server_error", status: 503 }],
  ["504", faults.serverError(504), { cls: "server_error", status: 504 }],
  [
    "overloaded",
    faults.overloaded(),
    {
      openai: { cls: "server_error", status: 503 },
      anthropic: { cls: "overloaded", status: 529 },
      google: { cls: "overloaded", status: 503 },
    },
  ],
  [
    "wrong API key",
    faults.auth(),
    // Gemini answers a wrong key with 400 API_KEY_INVALID.
    {
      openai: { cls: "auth", status: 401 },
      anthropic: { cls: "auth", status: 401 },
      google: { cls: "auth", status: 400 },
    },
  ],
  ["403", faults.auth(403), { cls: "auth", status: 403 }],
  ["context length", faults.contextLength(), { cls: "context_length", status: 400 }],
  [
    "content filter on the prompt",
    faults.contentFilter(),
    // Gemini blocks a prompt with HTTP 200 and promptFeedback.
    {
      openai: { cls: "content_filter", status: 400 },
      anthropic: { cls: "content_filter", status: 400 },
      google: { cls: "content_filter" },
    },
  ],
  ["bad request", faults.badRequest(), { cls: "bad_request", status: 400 }],
  ["unknown model", faults.notFound(), { cls: "bad_request", status: 404 }],
  [
    "Cloudflare HTML 502",
    faults.html(502),
    { cls: "server_error", status: 502, message: /^HTML error page$/ },
  ],
  ["connection reset", faults.reset(), { cls: "connection" }],
  ["malformed body / frame", faults.malformed(0), { cls: "invalid_response" }],
  [
    "in-band error before content",
    faults.inBandError(),
    { openai: { cls: "server_error" }, anthropic: { cls: "overloaded" }, google: { cls: "server_error" } },
  ],
];

describe.each(SDK_KINDS)("aiSdk(%s): failure classes", (kind: SdkKind) => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startMockProvider({ kind });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  describe.each(["generate", "stream"] as const)("%s", (mode) => {
    it.each(ROWS)("%s", async (_name, fault, expected) => {
      const want = "cls" in expected ? expected : expected[kind];
      mock.script(fault);
      const adapter = adapterFor(kind, mock);
      const error = await caught(async () => {
        if (mode === "generate") return adapter.generate(request(kind), attempt());
        return collect(await adapter.stream(request(kind), attempt()));
      });
      expect(error).toMatchObject({
        name: "ProviderError",
        failureClass: want.cls,
        provider: kind,
        status: want.status,
      });
      if (want.retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(want.retryAfterMs);
      if (want.message) expect(error.detail).toMatch(want.message);
      // Never the raw provider bytes, the prompt or the key.
      const visible = JSON.stringify({ message: error.message, cause: String(error.cause ?? "") });
      expect(visible).not.toContain("PROMPT-CANARY");
      expect(visible).not.toContain(KEY);
      expect(visible).not.toMatch(/<html/i);
      expect(error.cause?.name).not.toBe("AI_APICallError");
    });
  });

  it("a failure after content throws from the iteration, after the text already yielded", async () => {
    const adapter = adapterFor(kind, mock);
    for (const [fault, cls] of [
      [faults.inBandError({ afterEvents: 2 }), kind === "anthropic" ? "overloaded" : "server_error"],
      [faults.cut(2), "connection"],
      [faults.malformed(2), "invalid_response"],
      // Anthropic's mock stops with a refusal: an answer, not a failure (see the refusal test below).
      ...(kind === "anthropic"
        ? []
        : ([[faults.contentFilterStream({ category: "hate" }), "content_filter"]] as const)),
    ] as const) {
      mock.script(fault);
      const seen: string[] = [];
      const error = await caught(async () => {
        for await (const part of await adapter.stream(request(kind), attempt()))
          if (part.type === "text") seen.push(part.text);
      });
      expect(seen.length, String(cls)).toBeGreaterThan(0);
      expect(error, String(cls)).toMatchObject({ failureClass: cls, status: undefined });
    }
  });

  it("a stream without its terminal event ends without a finish (the engine calls it a truncation)", async () => {
    mock.script(faults.noTerminal());
    const { text, finish } = await collect(await adapterFor(kind, mock).stream(request(kind), attempt()));
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBeUndefined();
  });

  it("output stopped by the safety system, non-stream: content_filter (Gemini names the category)", async () => {
    mock.script(faults.contentFilterStream({ category: "hate" }));
    if (kind === "anthropic") {
      // A model refusal (stop_reason "refusal") is an answer on every adapter, not a content filter.
      const response = await adapterFor(kind, mock).generate(request(kind), attempt());
      expect(response.finishReason).toEqual({ unified: "content-filter", raw: "refusal" });
      return;
    }
    const error = await caught(() => adapterFor(kind, mock).generate(request(kind), attempt()));
    expect(error.failureClass).toBe("content_filter");
    if (kind === "google") expect(error.contentFilterCategories).toEqual(["hate_speech"]);
  });

  it("a black hole is ended by the attempt's signal, as an abort the engine reclassifies", async () => {
    mock.script(faults.blackHole(), faults.blackHole());
    const adapter = adapterFor(kind, mock);
    for (const call of [
      (signal: AbortSignal) => adapter.generate(request(kind), attempt(signal)),
      (signal: AbortSignal) => adapter.stream(request(kind), attempt(signal)),
    ]) {
      const controller = new AbortController();
      const pending = caught(() => call(controller.signal));
      for (let i = 0; i < 200 && mock.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 5));
      controller.abort(new DOMException("deadline", "TimeoutError"));
      expect(await pending).toMatchObject({ failureClass: "aborted" });
    }
    for (let i = 0; i < 200 && mock.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(mock.inFlight).toBe(0);
  });
});
