/** `client.embed()`: the engine's decisions, deadlines, breakers and budgets for embedding calls (fake timers). */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient } from "../../src/engine/create-client.js";
import type { CallEndEvent, CallStartEvent } from "../../src/engine/events.js";
import { isAllProvidersFailedError } from "../../src/errors/all-providers-failed-error.js";
import { type ConfigError, isConfigError } from "../../src/errors/config-error.js";
import { InvalidRequestError } from "../../src/errors/invalid-request-error.js";
import { isProviderError } from "../../src/errors/provider-error.js";
import { rejection } from "../helpers/rejections.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";
import { ScriptedEmbedder } from "../helpers/scripted-embedder.js";

describe("embed(): one vector space per client", () => {
  it("a provider that declares another space is a ConfigError naming it and saying why", () => {
    const error = (() => {
      try {
        createClient({
          providers: [
            new ScriptedEmbedder("a", { model: "text-embedding-3-small", dimensions: undefined }),
            new ScriptedEmbedder("b", { model: "text-embedding-3-small", dimensions: 1536 }),
            new ScriptedEmbedder("c", { model: "mistral-embed", dimensions: undefined }),
          ],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isConfigError(error)).toBe(true);
    // b is the same space as a (1536 is text-embedding-3-small's own length); c is not.
    expect((error as ConfigError).issues).toEqual([
      expect.stringMatching(
        /^providers\.2 \(c\): embeddings in mistral-embed \(1024 dims\) is another vector space than providers\.0 \(a\)'s text-embedding-3-small \(1536 dims\): vectors of two models .* cannot be compared/,
      ),
    ]);
  });

  it("a client without an embedding provider says so when embed() is called; chat is unaffected", async () => {
    const client = createClient({ providers: [new ScriptedAdapter("chat-only")] });
    expect(client.embeddingSpace).toBeUndefined();
    const error = await rejection(client.embed({ input: "q" }));
    expect(isConfigError(error)).toBe(true);
    expect(error.message).toContain("no provider of this client takes embedding calls");
    expect((await client.chat({ messages: [{ role: "user", content: "hi" }] })).provider).toBe("chat-only");
  });

  it("providers without embeddings are passed over, listed in `excluded`, never called", async () => {
    const chat = new ScriptedAdapter("chat-only");
    const a = new ScriptedEmbedder("a");
    const client = createClient({ providers: [chat, a] });
    const res = await client.embed({ input: ["x", "y"] });
    expect(res).toMatchObject({ provider: "a", model: "embed-model", dimensions: 3 });
    expect(res.embeddings).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(res.excluded).toEqual([
      { provider: "chat-only", reason: expect.stringContaining("takes no embedding calls") },
    ]);
    expect(chat.calls).toBe(0);
    expect(client.embeddingSpace).toEqual({ model: "embed-model", dimensions: 3 });
  });

  it("a request's dimensions must be the space's: InvalidRequestError before anything is sent", async () => {
    const a = new ScriptedEmbedder("a", { dimensions: 3 });
    const client = createClient({ providers: [a] });
    const error = await rejection(client.embed({ input: "q", dimensions: 512 }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.issues[0]).toMatch(
      /^request\.dimensions: 512 is not the length of this client's embedding space/,
    );
    expect(a.calls).toBe(0);
    expect((await client.embed({ input: "q", dimensions: 3 })).dimensions).toBe(3);
    expect(a.requests.at(-1)?.dimensions).toBe(3);
  });

  it("token input goes only to providers that take it; none left is the caller's error", async () => {
    const textOnly = new ScriptedEmbedder("text-only", { tokenInput: false });
    const tokens = new ScriptedEmbedder("tokens");
    const client = createClient({ providers: [textOnly, tokens] });
    const res = await client.embed({ input: [[1, 2, 3]] });
    expect(res.provider).toBe("tokens");
    expect(res.excluded).toEqual([{ provider: "text-only", reason: expect.stringContaining("text only") }]);
    expect(textOnly.calls).toBe(0);
    const onlyText = createClient({ providers: [new ScriptedEmbedder("t", { tokenInput: false })] });
    const error = await rejection(onlyText.embed({ input: [1, 2] }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.issues[0]).toMatch(/^request\.input: no provider can take this embedding call/);
  });
});

describe("embed(): failure classes, as for chat", () => {
  it("falls over at once on a 503 and a 429, surfaces a 400 at once", async () => {
    const a = new ScriptedEmbedder("a").queue(
      { type: "fail", failureClass: "server_error", status: 503 },
      { type: "fail", failureClass: "rate_limited", status: 429, retryAfterMs: 1_000 },
    );
    const b = new ScriptedEmbedder("b").queue(
      { type: "ok" },
      { type: "ok" },
      { type: "fail", failureClass: "bad_request", status: 400 },
    );
    const client = createClient({ providers: [a, b] });
    const first = await client.embed({ input: "q" });
    expect(first.attempts.map((x) => [x.provider, x.outcome, x.reason])).toEqual([
      ["a", "server_error", "initial"],
      ["b", "ok", "fallback"],
    ]);
    const second = await client.embed({ input: "q" });
    expect(second.attempts.map((x) => [x.provider, x.outcome])).toEqual([
      ["a", "rate_limited"],
      ["b", "ok"],
    ]);
    // a is cooling after its 429: b is first, and its 400 is the caller's, at once.
    const error = await rejection(client.embed({ input: "q" }));
    expect(isProviderError(error) && error.failureClass).toBe("bad_request");
    expect(a.calls).toBe(2);
  });

  it("with no other provider, retries the same one with backoff within the retry budget", async () => {
    vi.useFakeTimers();
    try {
      const a = new ScriptedEmbedder("a").queue({ type: "fail", failureClass: "server_error", status: 503 });
      const client = createClient({ providers: [a], retry: { maxRetries: 1 } });
      const retries: number[] = [];
      client.onRetry((event) => retries.push(event.delayMs));
      const pending = client.embed({ input: "q" });
      await vi.runAllTimersAsync();
      const res = await pending;
      expect(res.attempts.map((x) => [x.outcome, x.reason])).toEqual([
        ["server_error", "initial"],
        ["ok", "retry"],
      ]);
      expect(retries).toHaveLength(1);

      const broke = createClient({
        providers: [new ScriptedEmbedder("b").queue({ type: "fail", failureClass: "server_error" })],
        retry: { budget: { ratio: 0, minRetriesPerSecond: 0 } },
      });
      const exhausted: string[] = [];
      broke.onBudgetExhausted((event) => exhausted.push(event.provider));
      const error = await rejection(broke.embed({ input: "q" }));
      expect(isAllProvidersFailedError(error)).toBe(true);
      expect(exhausted).toEqual(["b"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("an open breaker costs no request: the provider is skipped until its probe", async () => {
    const a = new ScriptedEmbedder("a");
    for (let i = 0; i < 3; i++) a.queue({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedEmbedder("b");
    const client = createClient({ providers: [a, b], breaker: { consecutiveFailures: 3 } });
    for (let i = 0; i < 3; i++) await client.embed({ input: "q" });
    const res = await client.embed({ input: "q" });
    expect(res.provider).toBe("b");
    expect(res.attempts).toHaveLength(1);
    expect(a.calls).toBe(3);
    expect(client.health().find((h) => h.provider === "a")).toMatchObject({
      model: "embed-model",
      state: "open",
    });
  });

  it("an answer with a vector missing, mixed lengths or not numbers is invalid_response: it falls over", async () => {
    const a = new ScriptedEmbedder("a").queue({ type: "ok", count: 1 }, { type: "ok", value: Number.NaN });
    const b = new ScriptedEmbedder("b");
    const client = createClient({ providers: [a, b] });
    const missing = await client.embed({ input: ["x", "y"] });
    expect(missing.attempts[0]).toMatchObject({
      outcome: "invalid_response",
      message: expect.stringContaining("1 vectors for 2 inputs"),
    });
    expect(missing.provider).toBe("b");
    const nan = await client.embed({ input: "x" });
    expect(nan.attempts[0]).toMatchObject({
      outcome: "invalid_response",
      message: expect.stringContaining("non-number"),
    });
  });
});

describe("embed(): deadlines", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("an attempt is bounded by deadlines.headersMs (its answer is one body): a black hole falls over", async () => {
    const a = new ScriptedEmbedder("a").queue({ type: "hang" });
    const b = new ScriptedEmbedder("b");
    const client = createClient({ providers: [a, b], deadlines: { headersMs: 2_000 } });
    const pending = client.embed({ input: "q" });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(b.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    const res = await pending;
    expect(res.attempts[0]).toMatchObject({
      provider: "a",
      outcome: "timeout",
      message: expect.stringContaining("no answer within 2000 ms"),
    });
    expect(res.provider).toBe("b");
  });

  it("a slow answer within the deadline is an answer; the total deadline bounds the whole call", async () => {
    const a = new ScriptedEmbedder("a").queue({ type: "slow", ms: 1_500 });
    const client = createClient({ providers: [a], deadlines: { headersMs: 2_000 } });
    const ok = client.embed({ input: "q" });
    await vi.advanceTimersByTimeAsync(1_500);
    expect((await ok).provider).toBe("a");

    const stuck = createClient({
      providers: [new ScriptedEmbedder("s").queue({ type: "hang" }, { type: "hang" })],
      deadlines: { headersMs: 5_000, totalMs: 3_000 },
      retry: { backoff: { initialDelayMs: 0, maxDelayMs: 0 } },
    });
    const pending = rejection(stuck.embed({ input: "q" }));
    await vi.advanceTimersByTimeAsync(3_000);
    const error = await pending;
    expect(isAllProvidersFailedError(error)).toBe(true);
  });

  it("after a timeout the provider is suspect: the next call hedges to the next one after suspectHedgeDelayMs", async () => {
    const a = new ScriptedEmbedder("a").queue({ type: "hang" }, { type: "hang" });
    const b = new ScriptedEmbedder("b");
    const client = createClient({
      providers: [a, b],
      deadlines: { headersMs: 2_000 },
      suspectHedgeDelayMs: 300,
    });
    const first = client.embed({ input: "q" });
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await first).provider).toBe("b");
    const hedges: string[] = [];
    client.onHedge((event) => hedges.push(`${event.slow}→${event.started}`));
    const second = client.embed({ input: "q" });
    await vi.advanceTimersByTimeAsync(300);
    const res = await second;
    expect(hedges).toEqual(["a→b"]);
    // The suspect one that lost is logged as timing out again, then the hedge's answer.
    expect(res.attempts.map((x) => [x.provider, x.reason, x.outcome])).toEqual([
      ["a", "initial", "timeout"],
      ["b", "hedge", "ok"],
    ]);
  });

  it("the caller's signal stops the call at once, with the caller's reason", async () => {
    const a = new ScriptedEmbedder("a").queue({ type: "hang" });
    const client = createClient({ providers: [a] });
    const controller = new AbortController();
    const pending = rejection(client.embed({ input: "q", signal: controller.signal }));
    controller.abort(new Error("caller left"));
    expect((await pending).message).toBe("caller left");
  });
});

describe("embed(): events", () => {
  it("one call, operation embed, no input text; the outcome names who answered", async () => {
    const client = createClient({ providers: [new ScriptedEmbedder("a")] });
    const starts: CallStartEvent[] = [];
    const ends: CallEndEvent[] = [];
    client.onCallStart((e) => starts.push(e));
    client.onCallEnd((e) => ends.push(e));
    await client.embed({ input: "a very private sentence about a customer" });
    expect(starts).toEqual([
      {
        callId: expect.any(String),
        operation: "embed",
        provider: "a",
        model: "embed-model",
        request: {
          maxTokens: undefined,
          temperature: undefined,
          topP: undefined,
          tools: 0,
          structuredOutput: false,
        },
      },
    ]);
    expect(ends[0]).toMatchObject({
      operation: "embed",
      outcome: { type: "ok", provider: "a", model: "embed-model" },
    });
    expect(JSON.stringify([starts, ends])).not.toContain("private sentence");
  });

  it("a per-call policy applies, shared state cannot be set per call, providers restricts", async () => {
    const a = new ScriptedEmbedder("a").queue({ type: "fail", failureClass: "server_error" });
    const b = new ScriptedEmbedder("b");
    const client = createClient({ providers: [a, b] });
    const res = await client.embed({
      input: "q",
      policy: { retry: { preferPrimary: true, backoff: { initialDelayMs: 0, maxDelayMs: 0 } } },
    });
    expect(res.attempts.map((x) => x.provider)).toEqual(["a", "a"]);
    const error = await rejection(client.embed({ input: "q", policy: { breaker: { failureRatio: 0.1 } } }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((await client.embed({ input: "q", providers: ["b"] })).provider).toBe("b");
  });
});
