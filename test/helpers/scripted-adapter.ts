import type { FailureClass } from "../../src/errors/failure-class.js";
import { ProviderError } from "../../src/errors/provider-error.js";
import type { AttemptContext, ProviderAdapter, ProviderKind } from "../../src/spec/provider.js";
import type { ProviderRequest } from "../../src/spec/request.js";
import type { ProviderResponse } from "../../src/spec/result.js";
import type { StreamPart } from "../../src/spec/stream.js";

/** What one call to a scripted adapter does. */
export type Behaviour =
  | { type: "ok"; text?: string; chunks?: number }
  | { type: "fail"; failureClass: FailureClass; status?: number; retryAfterMs?: number; afterChunks?: number }
  | { type: "hang" }
  | { type: "slow-first"; ms: number; text?: string }
  | { type: "stall"; afterChunks: number }
  | { type: "truncate"; afterChunks: number };

const waitFor = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

const never = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/**
 * An in-memory adapter whose calls follow a script (then a default), for engine tests that need
 * exact control of timing with fake timers. Wire-level behaviour is tested against the mock server.
 */
export class ScriptedAdapter implements ProviderAdapter {
  readonly kind: ProviderKind = "openai-compatible";
  readonly contextWindow: number | undefined;
  readonly domain: string;
  calls = 0;
  readonly requests: ProviderRequest[] = [];
  private script: Behaviour[] = [];
  private fallback: Behaviour = { type: "ok" };

  constructor(
    readonly name: string,
    options: { model?: string; domain?: string; contextWindow?: number } = {},
  ) {
    this.model = options.model ?? `${name}-model`;
    this.domain = options.domain ?? name;
    this.contextWindow = options.contextWindow;
  }

  readonly model: string;

  queue(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  always(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const parts: StreamPart[] = [];
    for await (const part of await this.stream(request, context)) parts.push(part);
    const finish = parts.find((p) => p.type === "finish");
    if (finish?.type !== "finish") throw this.error("truncated");
    return {
      text: parts.map((p) => (p.type === "text" ? p.text : "")).join(""),
      toolCalls: [],
      finishReason: finish.finishReason,
      usage: finish.usage,
      model: finish.model,
      raw: {},
    };
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    this.calls++;
    this.requests.push(request);
    const behaviour = this.script.shift() ?? this.fallback;
    const { signal } = context;
    if (behaviour.type === "hang") await never(signal);
    if (behaviour.type === "fail" && !behaviour.afterChunks)
      throw this.error(behaviour.failureClass, behaviour);
    await Promise.resolve();
    const self = this;
    const text = "text" in behaviour && behaviour.text ? behaviour.text : `Hello from ${this.name}`;
    return (async function* () {
      if (behaviour.type === "slow-first") await waitFor(behaviour.ms, signal);
      const pieces = text.match(/.{1,4}/g) ?? [text];
      for (let i = 0; i < pieces.length; i++) {
        if (behaviour.type === "fail" && i === behaviour.afterChunks)
          throw self.error(behaviour.failureClass, behaviour);
        if (behaviour.type === "stall" && i === behaviour.afterChunks) await never(signal);
        if (behaviour.type === "truncate" && i === behaviour.afterChunks) return;
        yield { type: "text", text: pieces[i]! } as StreamPart;
      }
      yield {
        type: "finish",
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: 3,
          outputTokens: pieces.length,
          cachedInputTokens: undefined,
          totalTokens: 3 + pieces.length,
        },
        model: request.model,
      } as StreamPart;
    })();
  }

  private error(
    failureClass: FailureClass,
    behaviour?: { status?: number; retryAfterMs?: number },
  ): ProviderError {
    return new ProviderError({
      failureClass,
      provider: this.name,
      model: this.model,
      message: `scripted ${failureClass}`,
      status: behaviour?.status,
      retryAfterMs: behaviour?.retryAfterMs,
    });
  }
}
