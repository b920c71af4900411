import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createClient } from "../../src/engine/create-client.js";
import { isAllProvidersFailedError } from "../../src/errors/all-providers-failed-error.js";
import { ConfigError } from "../../src/errors/config-error.js";
import { InvalidRequestError } from "../../src/errors/invalid-request-error.js";
import { isProviderError } from "../../src/errors/provider-error.js";
import { isStreamInterruptedError } from "../../src/errors/stream-interrupted-error.js";
import { StructuredOutputError } from "../../src/errors/structured-output-error.js";
import type { ChatStreamEvent } from "../../src/spec/chat.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

const messages = [{ role: "user" as const, content: "secret prompt text" }];

const collect = async (iterable: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> => {
  const events: ChatStreamEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
};

const textOf = (events: ChatStreamEvent[]): string =>
  events.map((e) => (e.type === "text" ? e.text : "")).join("");

describe("createClient: ordered fallback", () => {
  it("answers from the primary when it is healthy, with one attempt logged", async () => {
    const a = new ScriptedAdapter("a");
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const res = await client.chat({ messages });
    expect(res.text).toBe("Hello from a");
    expect(res.provider).toBe("a");
    expect(res.attempts).toMatchObject([{ provider: "a", outcome: "ok", reason: "initial" }]);
    expect(res.usage.inputTokens).toBe(3);
    expect(b.calls).toBe(0);
  });

  it("falls over at once on a 503 without retrying the primary", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const res = await client.chat({ messages });
    expect(res.provider).toBe("b");
    expect(a.calls).toBe(1);
    expect(res.attempts.map((x) => [x.provider, x.outcome, x.status, x.reason])).toEqual([
      ["a", "server_error", 503, "initial"],
      ["b", "ok", undefined, "fallback"],
    ]);
  });

  it("throws AllProvidersFailedError listing every attempt, without prompt text", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "auth", status: 401 });
    const b = new ScriptedAdapter("b").always({ type: "fail", failureClass: "quota", status: 429 });
    const client = createClient({ providers: [a, b] });
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect(isAllProvidersFailedError(error)).toBe(true);
    if (!isAllProvidersFailedError(error)) return;
    expect(error.attempts.map((x) => x.outcome)).toEqual(["auth", "quota"]);
    expect(error.message).not.toContain("secret prompt text");
    expect(error.message).toContain("a/a-model: auth 401");
  });

  it("surfaces a bad request at once without trying the fallback", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "bad_request", status: 400 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect(isProviderError(error) && error.failureClass).toBe("bad_request");
    expect(b.calls).toBe(0);
  });

  it("moves a context_length failure only to a provider with a larger window", async () => {
    const a = new ScriptedAdapter("a", { contextWindow: 128_000 }).queue({
      type: "fail",
      failureClass: "context_length",
      status: 400,
    });
    const small = new ScriptedAdapter("small", { contextWindow: 32_000 });
    const big = new ScriptedAdapter("big", { contextWindow: 200_000 });
    const client = createClient({ providers: [a, small, big] });
    const res = await client.chat({ messages });
    expect(res.provider).toBe("big");
    expect(small.calls).toBe(0);
  });

  it("prefers a provider outside the failing domain", async () => {
    const openai = new ScriptedAdapter("openai", { domain: "openai" }).queue({
      type: "fail",
      failureClass: "server_error",
      status: 503,
    });
    const azure = new ScriptedAdapter("azure", { domain: "openai" });
    const anthropic = new ScriptedAdapter("anthropic");
    const client = createClient({ providers: [openai, azure, anthropic] });
    const res = await client.chat({ messages });
    expect(res.provider).toBe("anthropic");
    expect(azure.calls).toBe(0);
  });

  it("uses per-call model overrides and provider extras", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a] });
    await client.chat({
      messages,
      models: { a: "other-model" },
      providerOptions: { a: { seed: 7 } },
    });
    expect(a.requests[0]).toMatchObject({ model: "other-model", extra: { seed: 7 } });
  });

  it("also works with the json transport", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "connection" });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b], transport: "json" });
    const res = await client.chat({ messages });
    expect(res.text).toBe("Hello from b");
  });
});

describe("createClient: retries, Retry-After, breakers and deadlines (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("retries the only provider with backoff, within maxRetries", async () => {
    const a = new ScriptedAdapter("a").queue(
      { type: "fail", failureClass: "server_error", status: 503 },
      { type: "fail", failureClass: "server_error", status: 502 },
    );
    const client = createClient({ providers: [a] });
    const retries: number[] = [];
    client.onRetry((e) => retries.push(e.delayMs));
    const promise = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(10_000);
    const res = await promise;
    expect(res.provider).toBe("a");
    expect(a.calls).toBe(3);
    expect(retries).toHaveLength(2);
    expect(retries[0]).toBeLessThanOrEqual(250);
    expect(retries[1]).toBeLessThanOrEqual(500);
    expect(res.attempts.map((x) => x.reason)).toEqual(["initial", "retry", "retry"]);
  });

  it("honours Retry-After when no other provider can answer", async () => {
    const a = new ScriptedAdapter("a").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 3_000,
    });
    const client = createClient({ providers: [a] });
    const promise = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(a.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(promise).resolves.toMatchObject({ provider: "a" });
    expect(a.calls).toBe(2);
  });

  it("never sleeps a Retry-After longer than allowed: marks the provider cooling and fails fast", async () => {
    const a = new ScriptedAdapter("a").always({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 86_400_000,
    });
    const client = createClient({ providers: [a] });
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect(isAllProvidersFailedError(error)).toBe(true);
    expect(a.calls).toBe(1);
  });

  it("falls over at once on 429 and skips the cooling provider until its reset", async () => {
    const a = new ScriptedAdapter("a").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 5_000,
    });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    expect((await client.chat({ messages })).provider).toBe("b");
    expect((await client.chat({ messages })).provider).toBe("b");
    expect(a.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(5_001);
    expect((await client.chat({ messages })).provider).toBe("a");
  });

  it("opens the breaker after 5 consecutive failures at low traffic; an open breaker costs no request", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const changes: string[] = [];
    client.onBreakerStateChange((e) => changes.push(`${e.provider}:${e.to}`));
    for (let i = 0; i < 5; i++) {
      expect((await client.chat({ messages })).provider).toBe("b");
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(changes).toContain("a:open");
    const callsWhenOpen = a.calls;
    for (let i = 0; i < 3; i++) await client.chat({ messages });
    expect(a.calls).toBe(callsWhenOpen);
    // After the break, exactly one probe goes to the primary.
    a.always({ type: "ok" });
    await vi.advanceTimersByTimeAsync(5_000);
    const [r1, r2] = await Promise.all([client.chat({ messages }), client.chat({ messages })]);
    expect([r1.provider, r2.provider].sort()).toEqual(["a", "b"]);
    expect(a.calls).toBe(callsWhenOpen + 1);
    expect(client.health().find((h) => h.provider === "a")).toEqual({
      provider: "a",
      model: "a-model",
      state: "closed",
      retryInMs: 0,
      origin: { source: "local" },
    });
  });

  it("when every provider is unavailable, still tries the one nearest to recovery", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "auth", status: 401 });
    const client = createClient({ providers: [a], disableForMs: 60_000 });
    await expect(client.chat({ messages })).rejects.toThrow();
    const res = await client.chat({ messages });
    expect(res.provider).toBe("a");
    expect(a.calls).toBe(2);
  });

  it("a black hole costs the headers deadline once; later calls hedge early, then the breaker opens", async () => {
    const a = new ScriptedAdapter("a").always({ type: "hang" });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const first = client.chat({ messages });
    // A deadline is judged after the next I/O poll (setImmediate, see running-attempt.test.ts),
    // which fake timers run once the clock moves on: 1 ms after the deadline.
    await vi.advanceTimersByTimeAsync(10_001);
    const res = await first;
    expect(res.provider).toBe("b");
    expect(res.attempts[0]).toMatchObject({ provider: "a", outcome: "timeout" });
    expect(res.attempts[0]!.durationMs).toBe(10_001);
    // Suspect: the next call starts b after 1 s instead of waiting 10 s.
    const second = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(1_000);
    const res2 = await second;
    expect(res2.provider).toBe("b");
    // Attempts are logged as they end: the suspect primary is cut off when the hedge wins.
    expect(res2.attempts.map((x) => [x.provider, x.reason, x.outcome])).toEqual([
      ["a", "initial", "timeout"],
      ["b", "hedge", "ok"],
    ]);
    for (let i = 0; i < 4; i++) {
      const p = client.chat({ messages });
      await vi.advanceTimersByTimeAsync(1_000);
      await p;
    }
    const callsWhenOpen = a.calls;
    const res3 = await client.chat({ messages });
    expect(res3.attempts).toHaveLength(1);
    expect(a.calls).toBe(callsWhenOpen);
  });

  it("hedging (opt-in): a slow primary gets a second provider started; first content wins", async () => {
    const a = new ScriptedAdapter("a").always({ type: "slow-first", ms: 5_000 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b], hedging: { enabled: true, delayMs: 500 } });
    const hedges: string[] = [];
    client.onHedge((e) => hedges.push(`${e.slow}->${e.started}`));
    const p = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(500);
    const res = await p;
    expect(res.provider).toBe("b");
    expect(hedges).toEqual(["a->b"]);
    expect(res.attempts.find((x) => x.provider === "a")?.outcome).toBe("aborted");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the total deadline bounds retries and fall-overs", async () => {
    const a = new ScriptedAdapter("a").always({ type: "hang" });
    const client = createClient({ providers: [a], deadlines: { headersMs: 60_000, totalMs: 2_000 } });
    const p = client.chat({ messages }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await p;
    expect(isAllProvidersFailedError(error)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a caller abort cancels the attempt and pending waits at once, leaving no timers", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const client = createClient({ providers: [a] });
    const controller = new AbortController();
    const p = client.chat({ messages, signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new Error("user went away"));
    const error = await p;
    expect((error as Error).message).toBe("user went away");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("the retry budget caps retries during an outage", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const client = createClient({
      providers: [a],
      retry: { budget: { ratio: 0.1, minRetriesPerSecond: 0 } },
      // Keep the breaker out of the way: this test is about the budget alone.
      breaker: { consecutiveFailures: 1000, minimumThroughput: 1000 },
    });
    let exhausted = 0;
    client.onBudgetExhausted(() => exhausted++);
    for (let i = 0; i < 20; i++) {
      const p = client.chat({ messages }).catch(() => {});
      await vi.advanceTimersByTimeAsync(10_000);
      await p;
    }
    expect(a.calls).toBeGreaterThanOrEqual(20);
    expect(a.calls).toBeLessThanOrEqual(20 + 3);
    expect(exhausted).toBeGreaterThan(0);
  });
});

describe("createClient: streams", () => {
  it("falls over transparently before the first content; events come from one provider", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "overloaded" });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const stream = client.stream({ messages });
    const events = await collect(stream);
    expect(events[0]).toEqual({ type: "start", provider: "b", model: "b-model" });
    expect(textOf(events)).toBe("Hello from b");
    expect(events.at(-1)).toMatchObject({ type: "finish", provider: "b" });
    const result = await stream.result();
    expect(result.text).toBe("Hello from b");
    expect(result.attempts.map((x) => x.outcome)).toEqual(["overloaded", "ok"]);
  });

  it("a truncated stream before content falls over; never counted as success", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "truncate", afterChunks: 0 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const result = await client.stream({ messages }).result();
    expect(result.provider).toBe("b");
    expect(result.attempts[0]!.outcome).toBe("truncated");
  });

  it("after content, a failure raises StreamInterruptedError with the partial text: never stitched", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "server_error", afterChunks: 2 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    const events: ChatStreamEvent[] = [];
    const error = await (async () => {
      for await (const e of client.stream({ messages })) events.push(e);
    })().catch((e: unknown) => e);
    expect(isStreamInterruptedError(error)).toBe(true);
    if (!isStreamInterruptedError(error)) return;
    expect(error.partialText).toBe("Hello fr");
    expect(textOf(events)).toBe("Hello fr");
    expect(b.calls).toBe(0);
  });

  it("a truncated committed stream is an error, not a success", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "truncate", afterChunks: 1 });
    const client = createClient({ providers: [a, new ScriptedAdapter("b")] });
    const error = await client
      .stream({ messages })
      .result()
      .catch((e: unknown) => e);
    expect(isStreamInterruptedError(error) && error.failureClass).toBe("truncated");
  });

  it("opt-in continue mode resumes on the next provider from the partial output", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "server_error", afterChunks: 1 });
    const b = new ScriptedAdapter("b").queue({ type: "ok", text: " rest" });
    const client = createClient({ providers: [a, b], onStreamInterrupted: "continue" });
    const events = await collect(client.stream({ messages }));
    expect(
      events.filter((e) => e.type === "start").map((e) => (e.type === "start" ? e.provider : "")),
    ).toEqual(["a", "b"]);
    expect(textOf(events)).toBe("Hell rest");
    const sent = b.requests[0]!.messages;
    expect(sent.at(-2)).toEqual({ role: "assistant", content: "Hell" });
  });

  it("a stall after content trips the idle deadline (fake timers)", async () => {
    vi.useFakeTimers();
    try {
      const a = new ScriptedAdapter("a").queue({ type: "stall", afterChunks: 1 });
      const client = createClient({ providers: [a, new ScriptedAdapter("b")], deadlines: { idleMs: 5_000 } });
      const p = client
        .stream({ messages })
        .result()
        .catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(5_001); // the deadline, judged after the next I/O poll
      const error = await p;
      expect(isStreamInterruptedError(error) && error.failureClass).toBe("timeout");
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("aborting a stream before reading it rejects result() and makes iteration throw", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a] });
    const forResult = client.stream({ messages });
    forResult.abort(new Error("changed my mind"));
    await expect(forResult.result()).rejects.toThrow("changed my mind");
    const forLoop = client.stream({ messages });
    forLoop.abort(new Error("changed my mind"));
    await expect(collect(forLoop)).rejects.toThrow("changed my mind");
    expect(a.calls).toBe(0);
  });

  it("a reader that stops at the finish event still gets result()", async () => {
    const client = createClient({ providers: [new ScriptedAdapter("a")] });
    const stream = client.stream({ messages });
    for await (const event of stream) if (event.type === "finish") break;
    await expect(stream.result()).resolves.toMatchObject({ text: "Hello from a", provider: "a" });
  });

  it("breaking out of the loop aborts the attempt", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "stall", afterChunks: 1 });
    const client = createClient({ providers: [a] });
    for await (const e of client.stream({ messages })) {
      if (e.type === "text") break;
    }
    expect(a.calls).toBe(1);
  });

  it("result() after the loop was left rejects as an abort; after abort(reason), with the reason", async () => {
    const left = createClient({
      providers: [new ScriptedAdapter("a").queue({ type: "stall", afterChunks: 1 })],
    });
    const broken = left.stream({ messages });
    for await (const e of broken) if (e.type === "text") break;
    await expect(broken.result()).rejects.toMatchObject({ name: "AbortError" });

    const aborted = createClient({
      providers: [new ScriptedAdapter("a").queue({ type: "stall", afterChunks: 1 })],
    });
    const stream = aborted.stream({ messages });
    const reason = new Error("changed my mind");
    for await (const e of stream) if (e.type === "text") stream.abort(reason);
    await expect(stream.result()).rejects.toBe(reason);
  });

  it("iterating a stream twice is the caller's InvalidRequestError", async () => {
    const client = createClient({ providers: [new ScriptedAdapter("a")] });
    const stream = client.stream({ messages });
    await collect(stream);
    await expect(collect(stream)).rejects.toBeInstanceOf(InvalidRequestError);
  });
});

describe("createClient: structured output, validation, events", () => {
  it("returns a typed, validated object", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "ok", text: '{"city":"Paris","population":2100000}' });
    const client = createClient({ providers: [a] });
    const schema = z.object({ city: z.string(), population: z.number() });
    const res = await client.chat({ messages, schema });
    expect(res.object.city).toBe("Paris");
    expect(a.requests[0]!.responseFormat).toMatchObject({ type: "json_schema", name: "response" });
  });

  it("a reply that does not fit the schema is a StructuredOutputError", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "ok", text: '{"city":3}' });
    const client = createClient({ providers: [a] });
    await expect(client.chat({ messages, schema: z.object({ city: z.string() }) })).rejects.toBeInstanceOf(
      StructuredOutputError,
    );
  });

  it("rejects bad config naming the field", () => {
    expect(() => createClient({ providers: [] })).toThrow(/providers: at least one provider/);
    const a = new ScriptedAdapter("a");
    expect(() => createClient({ providers: [a, new ScriptedAdapter("a")] })).toThrow(
      /providers\[1\]: duplicate provider name "a"/,
    );
    expect(() => createClient({ providers: [a], retry: { maxRetries: -1 } })).toThrow(ConfigError);
    expect(() => createClient({ providers: [a], retyr: {} } as never)).toThrow(/retyr/);
    expect(() => createClient({ providers: [{ name: "x" }] } as never)).toThrow(/providers\[0\]/);
    expect(() => createClient({ providers: [a], breaker: { halfOpenAfterMs: 120_000 } })).toThrow(
      ConfigError,
    );
    // Timers cannot wait past 2^31 - 1 ms: a larger deadline would fire at once and fail every call.
    expect(() => createClient({ providers: [a], deadlines: { totalMs: Number.MAX_SAFE_INTEGER } })).toThrow(
      /deadlines.totalMs/,
    );
    expect(() =>
      createClient({ providers: [{ provider: a, policy: { deadlines: { totalMs: 5 } } }] }),
    ).toThrow(/providers\[0\]\.policy\.deadlines\.totalMs: deadlines.totalMs is call-wide/);
  });

  it("a request or options that cannot be read (a getter throws, a revoked Proxy) is a typed error naming only the error's class", async () => {
    const hostile = () =>
      new Proxy(
        {},
        {
          get: () => {
            throw new Error("secret prompt text in a getter");
          },
          ownKeys: () => {
            throw new Error("secret prompt text in ownKeys");
          },
        },
      );
    const revoked = Proxy.revocable({ role: "user", content: "x" }, {});
    revoked.revoke();
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a] });
    for (const request of [hostile(), { messages: [hostile()] }, { messages: [revoked.proxy] }]) {
      const error = await client.chat(request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(String((error as Error).message)).not.toContain("secret prompt text");
      expect(() => client.stream(request as never)).toThrow(InvalidRequestError);
    }
    expect(() => createClient(hostile() as never)).toThrow(ConfigError);
    expect(a.calls).toBe(0);
  });

  it("rejects a malformed request before calling anyone", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a] });
    await expect(client.chat({ messages: [] })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.chat({ messages: [{ role: "robot", content: "x" }] } as never)).rejects.toThrow(
      /messages.0/,
    );
    expect(() => client.stream({ messages: [], temperature: 9 })).toThrow(InvalidRequestError);
    expect(() => client.stream({ messages, policy: { breaker: { failureRatio: 0.9 } } })).toThrow(
      /request.policy.breaker: breakers are shared/,
    );
    expect(a.calls).toBe(0);
  });

  it("events are typed subscriptions with disposers", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "server_error", status: 500 });
    const listenerErrors: string[] = [];
    const client = createClient({
      providers: [a, new ScriptedAdapter("b")],
      onListenerError: (error, { event }) => listenerErrors.push(`${event}: ${(error as Error).message}`),
    });
    const seen: string[] = [];
    const sub = client.onFallback((e) => seen.push(`${e.from}->${e.to}:${e.failureClass}`));
    client.onAttemptEnd(() => {
      throw new Error("a broken listener never breaks a call");
    });
    await client.chat({ messages });
    sub.dispose();
    a.queue({ type: "fail", failureClass: "server_error", status: 500 });
    await client.chat({ messages });
    expect(seen).toEqual(["a->b:server_error"]);
    expect(listenerErrors[0]).toBe("onAttemptEnd: a broken listener never breaks a call");
  });
});

describe("createClient: a call restricted to some providers (`providers`)", () => {
  it("tries only the named providers, in the client's order, and never the others", async () => {
    const a = new ScriptedAdapter("a").queue({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedAdapter("b");
    const c = new ScriptedAdapter("c");
    const client = createClient({ providers: [a, b, c] });
    const res = await client.chat({ messages, providers: ["c", "a"] });
    expect(res.provider).toBe("c");
    expect(res.attempts.map((x) => x.provider)).toEqual(["a", "c"]);
    expect(b.calls).toBe(0);
    const only = await client.chat({ messages, providers: ["b"] }).catch((e: unknown) => e);
    expect(only).toMatchObject({ provider: "b" });
  });

  it("fails with AllProvidersFailedError rather than fall over outside the restriction", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b], retry: { maxRetries: 0 } });
    const error = await client.chat({ messages, providers: ["a"] }).catch((e: unknown) => e);
    expect(isAllProvidersFailedError(error)).toBe(true);
    expect(b.calls).toBe(0);
  });

  it("refuses unknown or empty restrictions as the caller's error, before any attempt", async () => {
    const a = new ScriptedAdapter("a");
    const client = createClient({ providers: [a] });
    await expect(client.chat({ messages, providers: ["nope"] })).rejects.toThrow(/no provider named "nope"/);
    await expect(client.chat({ messages, providers: [] })).rejects.toThrow(InvalidRequestError);
    expect(() => client.stream({ messages, providers: ["nope"] })).toThrow(InvalidRequestError);
    expect(a.calls).toBe(0);
  });
});
