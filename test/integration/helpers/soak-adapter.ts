/**
 * An in-memory provider adapter whose every call draws a random behaviour from a seeded PRNG: a
 * reply, a classified failure before or after content, a truncation, a stall, a black hole. It
 * follows the pattern of test/helpers/scripted-adapter.ts, for soaks too large for real HTTP.
 */
import { type FailureClass, ProviderError } from "../../../src/index.js";
import type { AttemptContext, ProviderAdapter, ProviderKind } from "../../../src/spec/provider.js";
import type { ProviderRequest } from "../../../src/spec/request.js";
import type { ProviderResponse } from "../../../src/spec/result.js";
import type { StreamPart } from "../../../src/spec/stream.js";
import { pickWeighted } from "./prng.js";

export type SoakBehaviour =
  | { type: "ok" }
  | { type: "fail"; failureClass: FailureClass; status?: number; retryAfterMs?: number }
  | { type: "fail-after"; failureClass: FailureClass; chunks: number }
  | { type: "truncate"; chunks: number }
  | { type: "stall"; chunks: number }
  | { type: "hang" }
  | { type: "slow-first"; ms: number };

/**
 * The default mix (weights per ~1,000 calls): mostly replies, every failure class the engine
 * distinguishes, a few deadline faults. About 8 % of attempts fail: an outage-free day is calmer,
 * but the soak is about exercising every path many thousands of times.
 */
export const SOAK_MIX: readonly { weight: number; value: SoakBehaviour }[] = [
  { weight: 920, value: { type: "ok" } },
  { weight: 15, value: { type: "fail", failureClass: "server_error", status: 503 } },
  { weight: 8, value: { type: "fail", failureClass: "overloaded", status: 529 } },
  { weight: 8, value: { type: "fail", failureClass: "rate_limited", status: 429, retryAfterMs: 5 } },
  { weight: 8, value: { type: "fail", failureClass: "connection" } },
  { weight: 4, value: { type: "fail", failureClass: "invalid_response" } },
  { weight: 1, value: { type: "fail", failureClass: "auth", status: 401 } },
  { weight: 1, value: { type: "fail", failureClass: "quota", status: 429 } },
  { weight: 2, value: { type: "fail", failureClass: "bad_request", status: 400 } },
  { weight: 2, value: { type: "fail", failureClass: "content_filter", status: 400 } },
  { weight: 2, value: { type: "fail", failureClass: "context_length", status: 400 } },
  { weight: 8, value: { type: "fail-after", failureClass: "server_error", chunks: 2 } },
  { weight: 6, value: { type: "truncate", chunks: 2 } },
  { weight: 3, value: { type: "truncate", chunks: 0 } },
  { weight: 3, value: { type: "stall", chunks: 1 } },
  { weight: 3, value: { type: "stall", chunks: 0 } },
  { weight: 3, value: { type: "hang" } },
  { weight: 10, value: { type: "slow-first", ms: 2 } },
];

/** Rejects with the signal's reason once it aborts (never resolves otherwise). */
const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

const TEXT = ["The ", "quick ", "brown ", "fox ", "jumps."];

export class SoakAdapter implements ProviderAdapter {
  readonly kind: ProviderKind = "openai-compatible";
  readonly contextWindow = undefined;
  readonly model: string;
  calls = 0;
  /** Calls per behaviour served (keyed by the behaviour as JSON). */
  readonly served: Record<string, number> = {};

  constructor(
    readonly name: string,
    private readonly random: () => number,
    private readonly mix: readonly { weight: number; value: SoakBehaviour }[] = SOAK_MIX,
    readonly domain: string = name,
  ) {
    this.model = `${name}-model`;
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    let text = "";
    let finish: StreamPart | undefined;
    for await (const part of await this.stream(request, context)) {
      if (part.type === "text") text += part.text;
      if (part.type === "finish") finish = part;
    }
    if (finish?.type !== "finish") throw this.error("truncated");
    return {
      text,
      toolCalls: [],
      finishReason: finish.finishReason,
      usage: finish.usage,
      model: finish.model,
      raw: {},
    };
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    this.calls++;
    const behaviour = pickWeighted(this.mix, this.random);
    const label = JSON.stringify(behaviour);
    this.served[label] = (this.served[label] ?? 0) + 1;
    const { signal } = context;
    if (behaviour.type === "hang") await untilAborted(signal);
    if (behaviour.type === "fail") throw this.error(behaviour.failureClass, behaviour);
    await Promise.resolve();
    const self = this;
    return (async function* (): AsyncGenerator<StreamPart> {
      if (behaviour.type === "slow-first") await sleep(behaviour.ms, signal);
      for (let i = 0; i < TEXT.length; i++) {
        if (behaviour.type === "fail-after" && i === behaviour.chunks)
          throw self.error(behaviour.failureClass);
        if (behaviour.type === "truncate" && i === behaviour.chunks) return;
        if (behaviour.type === "stall" && i === behaviour.chunks) await untilAborted(signal);
        yield { type: "text", text: TEXT[i]! };
      }
      yield {
        type: "finish",
        finishReason: { unified: "stop", raw: "stop" },
        usage: { inputTokens: 3, outputTokens: TEXT.length, cachedInputTokens: undefined, totalTokens: 8 },
        model: request.model,
      };
    })();
  }

  private error(failureClass: FailureClass, behaviour?: { status?: number; retryAfterMs?: number }) {
    return new ProviderError({
      failureClass,
      provider: this.name,
      model: this.model,
      message: `soak ${failureClass}`,
      status: behaviour?.status,
      retryAfterMs: behaviour?.retryAfterMs,
    });
  }
}
