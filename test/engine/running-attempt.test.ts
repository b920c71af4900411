/**
 * The attempt deadlines (headers, first content, idle) judge the provider, not our own stall. When
 * the process is starved (a long GC pause, a busy machine), libuv runs the timers that expired
 * before it polls the sockets: a reply that arrived in time would be aborted as a timeout. With
 * fake timers that order is exact: the reply below is delivered by a timer due at the very same
 * instant as the deadline but queued after it, as a socket read is handled after the timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient } from "../../src/engine/create-client.js";
import type { PolicyOptions } from "../../src/engine/policy-options.js";
import { isAllProvidersFailedError } from "../../src/errors/all-providers-failed-error.js";
import type { AttemptContext, ProviderAdapter } from "../../src/spec/provider.js";
import type { ProviderRequest } from "../../src/spec/request.js";
import type { ProviderResponse } from "../../src/spec/result.js";
import type { StreamPart } from "../../src/spec/stream.js";

const usage = { inputTokens: 1, outputTokens: 2, cachedInputTokens: undefined, totalTokens: 3 };
const finish: StreamPart = {
  type: "finish",
  finishReason: { unified: "stop", raw: "stop" },
  usage,
  model: "m",
};

/** Resolves `value` at `at` (fake epoch ms): a timer queued now, so after every timer already due then. */
const at = <T>(when: number, value: () => T, signal: AbortSignal): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(value()), Math.max(0, when - Date.now()));
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * An adapter whose response headers, first content and second content arrive at fixed instants
 * (ms after the call started), each scheduled only when the engine starts waiting for it — after
 * the engine armed the deadline for it.
 */
class TimedAdapter implements ProviderAdapter {
  readonly kind = "openai-compatible" as const;
  readonly name = "timed";
  readonly model = "m";
  readonly domain = "timed";
  readonly contextWindow = undefined;
  private startedAt = 0;

  constructor(private readonly times: { headers?: number; first?: number; second?: number; json?: number }) {}

  async generate(_request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    this.startedAt = Date.now();
    return at(
      this.startedAt + (this.times.json ?? 0),
      () => ({
        text: "Hello",
        toolCalls: [],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        model: "m",
        raw: undefined,
      }),
      context.signal,
    );
  }

  async stream(_request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    this.startedAt = Date.now();
    const { signal } = context;
    const { headers = 0, first = 0, second = 0 } = this.times;
    await at(this.startedAt + headers, () => undefined, signal);
    const parts: [number, StreamPart][] = [
      [first, { type: "text", text: "Hel" }],
      [second, { type: "text", text: "lo" }],
    ];
    let index = 0;
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<StreamPart>> => {
          const planned = parts[index++];
          if (!planned)
            return index === parts.length + 1
              ? { done: false, value: finish }
              : { done: true, value: undefined };
          return at(this.startedAt + planned[0], () => ({ done: false, value: planned[1] }), signal);
        },
        return: async () => ({ done: true, value: undefined }),
      }),
    };
  }
}

const deadlines = { headersMs: 1_000, firstContentMs: 2_000, idleMs: 500 };

/** Runs one call to its end with fake time, microtasks flushed between timers (as between loop phases). */
const run = async (adapter: ProviderAdapter, policy: PolicyOptions = {}) => {
  const client = createClient({ providers: [adapter], deadlines, ...policy });
  const outcome = client.chat({ messages: [{ role: "user", content: "hi" }] }).then(
    (result) => result,
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(10_000);
  return outcome;
};

const timedOut = (outcome: unknown): string | undefined =>
  isAllProvidersFailedError(outcome) ? outcome.attempts[0]?.message?.replace(/^.*timeout: /, "") : undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-12-07T12:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a deadline judges the provider only after I/O that arrived in time is processed", () => {
  it("headers that arrive at the headers deadline: the call succeeds", async () => {
    const outcome = await run(new TimedAdapter({ headers: 1_000, first: 1_010, second: 1_020 }));
    expect(outcome).toMatchObject({ text: "Hello", provider: "timed" });
  });

  it("the first content at the first-content deadline: the call succeeds", async () => {
    // A headers deadline beyond the first-content one: the first-content deadline is the one armed.
    const outcome = await run(new TimedAdapter({ headers: 10, first: 2_000, second: 2_010 }), {
      deadlines: { ...deadlines, headersMs: 5_000 },
    });
    expect(outcome).toMatchObject({ text: "Hello" });
  });

  it("the next content at the idle deadline: the call succeeds", async () => {
    const outcome = await run(new TimedAdapter({ headers: 10, first: 20, second: 520 }));
    expect(outcome).toMatchObject({ text: "Hello" });
  });

  it("a JSON reply at the first-content deadline: the call succeeds", async () => {
    const outcome = await run(new TimedAdapter({ json: 2_000 }), { transport: "json" });
    expect(outcome).toMatchObject({ text: "Hello" });
  });

  it("a millisecond later, each deadline still fires", async () => {
    expect(timedOut(await run(new TimedAdapter({ headers: 1_001 })))).toBe(
      "no response headers within 1000 ms",
    );
    expect(
      timedOut(
        await run(new TimedAdapter({ headers: 10, first: 2_001 }), {
          deadlines: { ...deadlines, headersMs: 5_000 },
        }),
      ),
    ).toBe("no content within 2000 ms");
    expect(timedOut(await run(new TimedAdapter({ headers: 10, first: 20, second: 521 })))).toBe(
      "stream idle for 500 ms",
    );
    expect(timedOut(await run(new TimedAdapter({ json: 2_001 }), { transport: "json" }))).toBe(
      "no content within 2000 ms",
    );
  });
});

/** Waits `ms` on a timer (the monotonic clock, as a socket delivers bytes), rejecting on abort. */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Headers after `headersMs`, then "Hello" `firstMs` later, then the finish: each a timer away. */
const pacedAdapter = (headersMs: number, firstMs: number): ProviderAdapter => ({
  kind: "openai-compatible",
  name: "paced",
  model: "m",
  domain: "paced",
  contextWindow: undefined,
  generate: () => Promise.reject(new Error("stream only")),
  async stream(_request, context) {
    await sleep(headersMs, context.signal);
    async function* parts(): AsyncGenerator<StreamPart> {
      await sleep(firstMs, context.signal);
      yield { type: "text", text: "Hello" };
      yield finish;
    }
    return parts();
  },
});

describe("a step of the system clock (NTP, a resumed VM) does not move the stage deadlines", () => {
  const start = (adapter: ProviderAdapter) => {
    const client = createClient({ providers: [adapter], deadlines });
    let settled = false;
    const outcome = client
      .chat({ messages: [{ role: "user", content: "hi" }] })
      .then(
        (result) => result,
        (error: unknown) => error,
      )
      .finally(() => {
        settled = true;
      });
    return { outcome, settled: () => settled };
  };

  it("stepped back an hour: a black-holed provider still times out on its headers deadline", async () => {
    const call = start(pacedAdapter(10_000_000, 0));
    await vi.advanceTimersByTimeAsync(100);
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.settled()).toBe(true);
    expect(timedOut(await call.outcome)).toBe("no response headers within 1000 ms");
  });

  it("stepped forward an hour: a healthy reply is not aborted as a timeout", async () => {
    const call = start(pacedAdapter(300, 1_200));
    await vi.advanceTimersByTimeAsync(100);
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await call.outcome).toMatchObject({ text: "Hello", provider: "paced" });
  });
});
