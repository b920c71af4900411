/**
 * The call's load shedding, with fake timers (rule 4 of the hardening issue): when every provider
 * is out, calls fail fast and say when each provider is due back; the last-resort probe goes at
 * most once per break and never into a cooling window; a retry's wait never un-cools a provider for
 * the calls around it. (The same over real HTTP at load: test/integration/shed-load.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, type FailoverClient } from "../../src/engine/create-client.js";
import {
  type AllProvidersFailedError,
  isAllProvidersFailedError,
} from "../../src/errors/all-providers-failed-error.js";
import { ScriptedAdapter } from "../helpers/scripted-adapter.js";

const messages = [{ role: "user" as const, content: "hello" }];

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-12-01T12:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs one call to its end, letting fake time pass in small steps (backoff waits included). */
const settle = async <T>(promise: Promise<T>): Promise<T | unknown> => {
  let done = false;
  const outcome = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  void outcome.finally(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(5);
  return outcome;
};

const callEvery = async (client: FailoverClient, stepMs: number, totalMs: number) => {
  const outcomes: unknown[] = [];
  const end = Date.now() + totalMs;
  while (Date.now() < end) {
    outcomes.push(await settle(client.chat({ messages })));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return outcomes;
};

const allFailed = (outcomes: unknown[]): AllProvidersFailedError[] =>
  outcomes.filter(isAllProvidersFailedError);

describe("every provider out: fail fast, say when each is due back", () => {
  it("both 503: after the breakers open, one probe per provider per break (the first may be early)", async () => {
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedAdapter("b").always({ type: "fail", failureClass: "server_error", status: 503 });
    const client = createClient({ providers: [a, b] });
    const outcomes = await callEvery(client, 50, 60_000);
    // Breaks 5 s, 10 s, 20 s, 40 s: opened at ~0 s; early probe at once; probes at ~10 s and ~30 s.
    // While closed (calls one at a time): the 5 failures that open it, retries included.
    expect(a.calls).toBe(5 + 3);
    expect(b.calls).toBe(5 + 3);
    // The bound for any run: concurrency + consecutiveFailures − 1 + 1 + ⌈elapsed / halfOpenAfterMs⌉.
    expect(a.calls).toBeLessThanOrEqual(1 + 5 - 1 + 1 + Math.ceil(60_000 / 5_000));
    const fast = allFailed(outcomes).filter((e) => e.attempts.length === 0);
    expect(fast.length).toBeGreaterThan(1_000);
    const sample = fast.at(-1)!;
    expect(sample.skipped.map((s) => [s.provider, s.reason])).toEqual([
      ["a", "breaker-open"],
      ["b", "breaker-open"],
    ]);
    expect(sample.retryInMs).toBe(Math.min(...sample.skipped.map((s) => s.retryInMs)));
    expect(sample.message).toMatch(/a: breaker-open, due back in \d+(\.\d)? s; b: breaker-open, due back in/);
  });

  it("both 429 with Retry-After 30 s: nothing is sent inside the window; calls fail fast until it ends", async () => {
    const a = new ScriptedAdapter("a").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 30_000,
    });
    const b = new ScriptedAdapter("b").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 30_000,
    });
    const client = createClient({ providers: [a, b] });
    // The first call learns both limits; nobody else can answer, so it waits out b's stated 30 s.
    const first = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(0);
    expect([a.calls, b.calls]).toEqual([1, 1]);
    const during: unknown[] = [];
    for (let t = 0; t < 29_900; t += 100) {
      during.push(await client.chat({ messages }).catch((e: unknown) => e));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect([a.calls, b.calls]).toEqual([1, 1]);
    expect(allFailed(during)).toHaveLength(during.length);
    const last = allFailed(during).at(-1)!;
    expect(last.attempts).toEqual([]);
    expect(last.skipped).toEqual([
      { provider: "a", model: "a-model", reason: "cooling", retryInMs: expect.any(Number) },
      { provider: "b", model: "b-model", reason: "cooling", retryInMs: expect.any(Number) },
    ]);
    expect(last.retryInMs).toBeLessThanOrEqual(200);
    expect(client.health().map((h) => h.unavailable)).toEqual(["cooling", "cooling"]);
    await vi.advanceTimersByTimeAsync(200);
    expect(await first).toMatchObject({ provider: "b" });
    expect((await client.chat({ messages })).provider).toBe("a");
  });

  it("a retry's wait never un-cools the provider for concurrent calls", async () => {
    const a = new ScriptedAdapter("a").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 2_000,
    });
    const client = createClient({ providers: [a] });
    const waiting = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(100);
    const concurrent = await client.chat({ messages }).catch((e: unknown) => e);
    expect(isAllProvidersFailedError(concurrent) && concurrent.skipped).toEqual([
      { provider: "a", model: "a-model", reason: "cooling", retryInMs: 1_900 },
    ]);
    expect(a.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(await waiting).toMatchObject({
      provider: "a",
      attempts: [{ outcome: "rate_limited" }, { reason: "retry" }],
    });
    expect(a.calls).toBe(2);
  });

  it("a retry whose timer fires before the cooling ends (busy loop's stale clock) waits out the rest", async () => {
    const a = new ScriptedAdapter("a").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 1_000,
    });
    const client = createClient({ providers: [a] });
    const waiting = client.chat({ messages });
    await vi.advanceTimersByTimeAsync(500);
    // The wall clock lags the timer clock by 30 ms: the retry's timer fires 30 ms before the cooling ends.
    vi.setSystemTime(Date.now() - 30);
    await vi.advanceTimersByTimeAsync(500);
    expect(a.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(30);
    expect(await waiting).toMatchObject({
      provider: "a",
      attempts: [{ outcome: "rate_limited" }, { reason: "retry" }],
    });
    expect(a.calls).toBe(2);
  });

  it("the last resort never goes to a provider inside its cooling window", async () => {
    const a = new ScriptedAdapter("a").queue({
      type: "fail",
      failureClass: "rate_limited",
      status: 429,
      retryAfterMs: 20_000,
    });
    const client = createClient({ providers: [a], retry: { maxRetryAfterMs: 0 } });
    await client.chat({ messages }).catch(() => {});
    for (let i = 0; i < 10; i++) {
      const error = await client.chat({ messages }).catch((e: unknown) => e);
      expect(isAllProvidersFailedError(error) && error.retryInMs).toBe(20_000 - i * 1_000);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(a.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await client.chat({ messages })).provider).toBe("a");
  });
});

/** An adapter that throws what it is given on every call, before sending anything. */
const throwing = (name: string, thrown: () => unknown): ScriptedAdapter => {
  const adapter = new ScriptedAdapter(name);
  adapter.stream = async () => {
    adapter.calls++;
    throw thrown();
  };
  return adapter;
};

describe("what the engine builds from what an adapter throws", () => {
  it("an unexpected error never travels as cause: its text (prompt, key) stays out of the error at any depth", async () => {
    const { inspect } = await import("node:util");
    const a = throwing("a", () => new TypeError("upstream said: the purple elephant ledger key=PROPKEY-9"));
    const client = createClient({ providers: [a], retry: { maxRetries: 0 } });
    const error = await client
      .chat({ messages: [{ role: "user", content: "the purple elephant ledger" }] })
      .catch((e: unknown) => e);
    expect(isAllProvidersFailedError(error) && error.attempts).toEqual([
      expect.objectContaining({
        outcome: "invalid_response",
        message: expect.stringContaining("unexpected TypeError from the openai-compatible adapter"),
      }),
    ]);
    const seen = inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(seen).not.toContain("PROPKEY");
    expect(seen).not.toContain("purple elephant");
  });

  it("an InvalidRequestError from the adapter holding the half-open probe releases it: the next call probes at once", async () => {
    const { InvalidRequestError } = await import("../../src/errors/invalid-request-error.js");
    const a = new ScriptedAdapter("a").always({ type: "fail", failureClass: "server_error", status: 503 });
    const b = new ScriptedAdapter("b");
    const client = createClient({ providers: [a, b] });
    for (let i = 0; i < 5; i++) await settle(client.chat({ messages }));
    expect(client.health()[0]).toMatchObject({ provider: "a", state: "open" });
    await vi.advanceTimersByTimeAsync(5_000);
    const refuse = a.stream.bind(a);
    a.stream = async () => {
      throw new InvalidRequestError(["messages.0.content.0.image.mediaType: required"]);
    };
    const error = await client.chat({ messages }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("InvalidRequestError");
    expect(b.calls).toBe(5);
    a.stream = refuse;
    a.always({ type: "ok" });
    expect((await client.chat({ messages })).provider).toBe("a");
    expect(client.health()[0]).toMatchObject({ provider: "a", state: "closed" });
  });
});
