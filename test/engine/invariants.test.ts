/**
 * Invariants of the engine under random fault sequences and concurrency (fast-check, fake timers).
 * Each provider is an in-memory adapter that plays a random script: replies (text or a streamed tool
 * call, every piece tagged with the provider that produced it), failures of every class before or
 * after content, truncations, stalls, black holes — and failures that carry the prompt and a key
 * where a careless SDK would (a raw error, an SDK error as `cause`, an echo in the message).
 *
 * Whatever the script:
 * 1. a reply never holds text or tool-call arguments from two providers (with the opt-in `continue`,
 *    text segments may follow each other, one provider each, and a tool call never spans two);
 * 2. every call settles, within the total deadline;
 * 3. no configured key and no prompt text appears in any error, at any depth, nor in any event;
 * 4. a provider that always fails receives at most C + consecutiveFailures − 1 + 1 + ⌈T / halfOpenAfterMs⌉
 *    requests (C callers at once, T elapsed), and a call makes at most providers × (1 + maxRetries)
 *    attempts;
 * 5. once providers are healthy again, every breaker ends closed and nothing stays out.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, type FailoverClient } from "../../src/engine/create-client.js";
import { isAiFailoverError } from "../../src/errors/ai-failover-error.js";
import type { FailureClass } from "../../src/errors/failure-class.js";
import { ProviderError } from "../../src/errors/provider-error.js";
import type { ChatResult, ChatStreamEvent } from "../../src/spec/chat.js";
import type { AttemptContext, ProviderAdapter, ProviderKind } from "../../src/spec/provider.js";
import type { ProviderRequest } from "../../src/spec/request.js";
import type { ProviderResponse } from "../../src/spec/result.js";
import type { StreamPart } from "../../src/spec/stream.js";
import { seededRandom } from "../integration/helpers/prng.js";

const PROMPT = "INVARIANT-PROMPT: the purple elephant ledger, quarter four";
const PROMPT_MARKER = /purple elephant/;
/** Keys that do not look like keys: only the engine's refusal to copy raw errors keeps them out. */
const KEY_MARKER = /PROPKEY/;
const keyOf = (name: string) => `${name}-PROPKEY-0001`;
const DEADLINES = { headersMs: 1_000, firstContentMs: 2_000, idleMs: 1_000, totalMs: 10_000 };

type Leak = "none" | "raw-error" | "raw-object" | "sdk-cause" | "echo";
type Step =
  | { kind: "ok"; tool: boolean; pieces: number }
  | {
      kind: "fail";
      cls: FailureClass;
      after: number;
      retryAfterMs: number | undefined;
      leak: Leak;
      tool: boolean;
    }
  | { kind: "truncate"; after: number; tool: boolean }
  | { kind: "stall"; after: number; tool: boolean }
  | { kind: "hang" }
  | { kind: "slow"; ms: number };

const failureClassArb = fc.constantFrom<FailureClass>(
  "server_error",
  "overloaded",
  "connection",
  "rate_limited",
  "invalid_response",
  "truncated",
  "timeout",
  "auth",
  "quota",
  "bad_request",
  "content_filter",
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("ok" as const),
      tool: fc.boolean(),
      pieces: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("fail" as const),
      cls: failureClassArb,
      after: fc.integer({ min: 0, max: 3 }),
      retryAfterMs: fc.option(fc.constantFrom(5, 500, 40_000, 86_400_000), { nil: undefined }),
      leak: fc.constantFrom<Leak>("none", "raw-error", "raw-object", "sdk-cause", "echo"),
      tool: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("truncate" as const),
      after: fc.integer({ min: 0, max: 3 }),
      tool: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("stall" as const),
      after: fc.integer({ min: 0, max: 2 }),
      tool: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "hang" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("slow" as const), ms: fc.constantFrom(50, 1_500) }) },
);

const never = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Plays its script, then replies; every piece of content names this provider and call. */
class PropertyAdapter implements ProviderAdapter {
  readonly kind: ProviderKind = "openai-compatible";
  readonly domain: string;
  readonly model: string;
  readonly contextWindow = undefined;
  calls = 0;
  healthy = false;
  private readonly script: Step[];

  constructor(
    readonly name: string,
    script: readonly Step[],
    private readonly fallback: Step = { kind: "ok", tool: false, pieces: 2 },
  ) {
    this.script = [...script];
    this.domain = name;
    this.model = `${name}-model`;
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const parts: StreamPart[] = [];
    for await (const part of await this.stream(request, context)) parts.push(part);
    const finish = parts.find((p) => p.type === "finish");
    if (finish?.type !== "finish") throw this.error("truncated", "none", undefined);
    return {
      text: parts.map((p) => (p.type === "text" ? p.text : "")).join(""),
      toolCalls: parts.flatMap((p) => (p.type === "tool-call" ? [p.toolCall] : [])),
      finishReason: finish.finishReason,
      usage: finish.usage,
      model: finish.model,
      raw: {},
    };
  }

  async stream(request: ProviderRequest, { signal }: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const n = ++this.calls;
    const step = this.healthy
      ? { kind: "ok" as const, tool: false, pieces: 2 }
      : (this.script.shift() ?? this.fallback);
    if (step.kind === "hang") await never(signal);
    if (step.kind === "fail" && step.after === 0) throw this.error(step.cls, step.leak, step.retryAfterMs);
    await Promise.resolve();
    const tag = `${this.name}#${n}`;
    const self = this;
    return (async function* (): AsyncGenerator<StreamPart> {
      if (step.kind === "slow") await sleep(step.ms, signal);
      const pieces = step.kind === "ok" ? step.pieces : 3;
      const tool = "tool" in step && step.tool;
      const args = JSON.stringify({ by: tag, city: "Paris" });
      for (let i = 0; i < pieces; i++) {
        if (step.kind === "fail" && i === step.after)
          throw self.error(step.cls, step.leak, step.retryAfterMs);
        if (step.kind === "truncate" && i === step.after) return;
        if (step.kind === "stall" && i === step.after) await never(signal);
        if (tool) {
          const size = Math.ceil(args.length / pieces);
          yield {
            type: "tool-call-delta",
            index: 0,
            ...(i === 0 ? { id: `call_${tag}`, name: "get_weather" } : {}),
            argumentsDelta: args.slice(i * size, (i + 1) * size),
          };
        } else yield { type: "text", text: `[${tag}]` };
      }
      if (tool) {
        yield {
          type: "tool-call",
          index: 0,
          toolCall: {
            id: `call_${tag}`,
            name: "get_weather",
            arguments: JSON.parse(args),
            rawArguments: args,
          },
        };
      }
      yield {
        type: "finish",
        finishReason: { unified: tool ? "tool-calls" : "stop", raw: tool ? "tool_calls" : "stop" },
        usage: {
          inputTokens: 1,
          outputTokens: pieces,
          cachedInputTokens: undefined,
          totalTokens: 1 + pieces,
        },
        model: request.model,
      };
    })();
  }

  private error(cls: FailureClass, leak: Leak, retryAfterMs: number | undefined): unknown {
    const secret = `upstream echo: ${PROMPT} Authorization: ${keyOf(this.name)}`;
    if (leak === "raw-error") return new TypeError(secret);
    if (leak === "raw-object") return { error: { message: secret } };
    const network = cls === "connection" || cls === "timeout";
    return new ProviderError({
      failureClass: cls,
      provider: this.name,
      model: this.model,
      message: leak === "echo" ? `Invalid input '${PROMPT}'` : `scripted ${cls}`,
      status: network ? undefined : cls === "rate_limited" || cls === "quota" ? 429 : 500,
      retryAfterMs,
      // An SDK error as cause: a socket error for network failures, the raw response otherwise.
      cause:
        leak === "sdk-cause"
          ? network
            ? Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" })
            : Object.assign(new Error(secret), { body: secret })
          : undefined,
    });
  }
}

interface Caller {
  startAt: number;
  mode: "chat" | "stream";
  breakAfter: number | undefined;
}
const callerArb: fc.Arbitrary<Caller> = fc.record({
  startAt: fc.integer({ min: 0, max: 3_000 }),
  mode: fc.constantFrom("chat" as const, "stream" as const),
  breakAfter: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 5 }),
});

interface Outcome {
  settled: boolean;
  result?: ChatResult;
  error?: unknown;
  events: ChatStreamEvent[];
}

const runCaller = (client: FailoverClient, caller: Caller, outcome: Outcome): Promise<void> =>
  (async () => {
    await new Promise((resolve) => setTimeout(resolve, caller.startAt));
    const request = { messages: [{ role: "user" as const, content: PROMPT }] };
    if (caller.mode === "chat") {
      outcome.result = await client.chat(request);
      return;
    }
    const stream = client.stream(request);
    for await (const event of stream) {
      outcome.events.push(event);
      if (caller.breakAfter !== undefined && outcome.events.length >= caller.breakAfter) return;
    }
    outcome.result = await stream.result();
  })().then(
    () => {
      outcome.settled = true;
    },
    (error: unknown) => {
      outcome.error = error;
      outcome.settled = true;
    },
  );

/** Tags (provider#call) found in a text or arguments. */
const tagsIn = (text: string): Set<string> => new Set([...text.matchAll(/([abc])#\d+/g)].map((m) => m[1]!));

const checkNoStitching = (outcome: Outcome, continueMode: boolean) => {
  const { result } = outcome;
  if (result) {
    for (const call of result.toolCalls) {
      expect(tagsIn(call.rawArguments).size, call.rawArguments).toBeLessThanOrEqual(1);
      expect(() => JSON.parse(call.rawArguments)).not.toThrow();
    }
    if (!continueMode) expect(tagsIn(result.text).size, result.text).toBeLessThanOrEqual(1);
  }
  // Stream events: between two `start`s, content from one provider only; a tool call never spans two.
  let provider: string | undefined;
  let sawTool = false;
  let starts = 0;
  for (const event of outcome.events) {
    if (event.type === "start") {
      starts++;
      provider = event.provider;
      expect(sawTool, "continued after a tool call was delivered").toBe(false);
      continue;
    }
    const text =
      event.type === "text" ? event.text : event.type === "tool-call-delta" ? event.argumentsDelta : "";
    if (event.type === "tool-call-delta" || event.type === "tool-call") sawTool = true;
    for (const tag of tagsIn(text)) expect(tag).toBe(provider);
  }
  if (!continueMode) expect(starts).toBeLessThanOrEqual(1);
};

const checkNoLeak = (outcome: Outcome, observed: unknown[]) => {
  const views: string[] = [JSON.stringify(observed)];
  if (outcome.error !== undefined) {
    views.push(inspect(outcome.error, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
    views.push(JSON.stringify(outcome.error));
    for (let e: unknown = outcome.error; e !== undefined; e = (e as { cause?: unknown }).cause)
      views.push(inspect(e));
    // Only the library's own errors (or the caller's abort) ever reach the caller.
    expect(isAiFailoverError(outcome.error), String(outcome.error)).toBe(true);
  }
  if (outcome.result) views.push(JSON.stringify(outcome.result.attempts));
  for (const view of views) {
    expect(view).not.toMatch(KEY_MARKER);
    expect(view).not.toMatch(PROMPT_MARKER);
  }
};

let restoreRandom: (() => void) | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-12-01T12:00:00Z") });
});
afterEach(() => {
  restoreRandom?.();
  vi.useRealTimers();
});

describe("engine invariants under random faults and concurrency", () => {
  it("never stitches, always settles, never leaks; healthy providers end with every breaker closed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 12 }),
        fc.array(stepArb, { maxLength: 12 }),
        fc.array(stepArb, { maxLength: 12 }),
        fc.array(callerArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom("error" as const, "continue" as const),
        fc.boolean(),
        fc.integer(),
        async (scriptA, scriptB, scriptC, callers, onStreamInterrupted, hedging, seed) => {
          const random = vi.spyOn(Math, "random").mockImplementation(seededRandom(seed));
          restoreRandom = () => random.mockRestore();
          const adapters = [
            new PropertyAdapter("a", scriptA),
            new PropertyAdapter("b", scriptB),
            new PropertyAdapter("c", scriptC),
          ];
          const client = createClient({
            // One tier: a weighted random order per call, so every provider sees traffic.
            providers: adapters.map((provider) => ({ provider, tier: 0 })),
            deadlines: DEADLINES,
            onStreamInterrupted,
            hedging: { enabled: hedging, delayMs: 300 },
          });
          const observed: unknown[] = [];
          for (const [key, subscribe] of Object.entries(client)) {
            if (key.startsWith("on") && typeof subscribe === "function")
              (subscribe as FailoverClient["onAttemptEnd"])((event) => void observed.push(event));
          }
          const outcomes = callers.map((): Outcome => ({ settled: false, events: [] }));
          const runs = callers.map((caller, i) => runCaller(client, caller, outcomes[i]!));
          // 2. every call settles within its total deadline (callers start within 3 s).
          await vi.advanceTimersByTimeAsync(3_000 + DEADLINES.totalMs + 10);
          expect(outcomes.map((o) => o.settled)).toEqual(outcomes.map(() => true));
          await Promise.all(runs);
          for (const outcome of outcomes) {
            checkNoStitching(outcome, onStreamInterrupted === "continue");
            checkNoLeak(outcome, observed);
            const attempts =
              outcome.result?.attempts ?? (outcome.error as { attempts?: unknown[] })?.attempts ?? [];
            expect(attempts.length).toBeLessThanOrEqual(3 * (1 + 2) + 1);
          }

          // 5. Providers recover; after the longest break, disable and cooling cap, traffic closes every breaker.
          for (const adapter of adapters) adapter.healthy = true;
          await vi.advanceTimersByTimeAsync(300_001);
          for (let i = 0; i < 30; i++) await client.chat({ messages: [{ role: "user", content: "again" }] });
          for (const health of client.health())
            expect(health).toMatchObject({ state: "closed", retryInMs: 0 });
          random.mockRestore();
          restoreRandom = undefined;
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it("an always-failing provider gets at most C + consecutiveFailures − 1 + 1 + ⌈T / halfOpenAfterMs⌉ requests", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<FailureClass>("server_error", "overloaded", "connection", "invalid_response"),
        fc.array(stepArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 50, max: 400 }),
        fc.integer({ min: 5_000, max: 40_000 }),
        async (cls, scriptB, concurrency, gapMs, durationMs) => {
          const down = new PropertyAdapter("a", [], {
            kind: "fail",
            cls,
            after: 0,
            retryAfterMs: undefined,
            leak: "none",
            tool: false,
          });
          const other = new PropertyAdapter("b", scriptB);
          const client = createClient({ providers: [down, other], deadlines: DEADLINES });
          const started = Date.now();
          const worker = async () => {
            while (Date.now() - started < durationMs) {
              await client.chat({ messages: [{ role: "user", content: PROMPT }] }).catch(() => {});
              await new Promise((resolve) => setTimeout(resolve, gapMs));
            }
          };
          const workers = Promise.all(Array.from({ length: concurrency }, worker));
          await vi.advanceTimersByTimeAsync(durationMs + DEADLINES.totalMs + gapMs + 10);
          await workers;
          const elapsed = Date.now() - started;
          const bound = concurrency + 5 - 1 + 1 + Math.ceil(elapsed / 5_000);
          expect(down.calls).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
