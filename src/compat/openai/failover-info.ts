import type { Attempt } from "../../spec/attempt.js";
import type { ExcludedProvider } from "../../spec/embed.js";

/**
 * Where a drop-in answer came from. Attached to every `ChatCompletion`, Responses `Response`,
 * embeddings list (`CreateEmbeddingResponse`) and every stream that `withFailover` returns (and to the SDK's `responses.stream()` runner and its
 * `finalResponse()`), as a non-enumerable symbol property: `JSON.stringify`, spreading,
 * deep-equality assertions and the SDK's types never see it. Read it with {@link getFailoverInfo}.
 */
export interface FailoverInfo {
  /** Name of the provider that answered, e.g. "openai", "anthropic". */
  provider: string;
  /** The model that answered, as the provider reported it. */
  model: string;
  /**
   * Every attempt of the call, in order, ending with the one that answered. For a stream this is
   * filled in when the stream ends (it holds only what is known so far while it runs).
   */
  attempts: Attempt[];
  /** True when the wrapped OpenAI client itself did not answer. */
  failedOver: boolean;
  /**
   * Set when the call could only go to the wrapped client: why (`path: reason`, e.g.
   * `"previous_response_id: the conversation is stored at OpenAI"`). Such a call still has the
   * engine's deadlines, retries and breaker, but no fallback. Absent for calls that could fail over.
   */
  primaryOnly?: string[];
  /**
   * Embedding calls: the fallbacks that could not take the call, and why (Anthropic has no
   * embeddings API; a text-only provider and token input). Absent when there are none.
   */
  excluded?: ExcludedProvider[];
}

/** `Symbol.for`, so two copies of the package (ESM and CJS) read each other's answers. */
export const failoverInfoKey: unique symbol = Symbol.for("ai-failover.info") as never;

/** Attaches `info` to `target` as a non-enumerable, replaceable property and returns `target`. */
export const attachFailoverInfo = <T extends object>(target: T, info: FailoverInfo): T => {
  Object.defineProperty(target, failoverInfoKey, {
    value: info,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return target;
};

/**
 * Which provider answered a `chat.completions.create`, `responses.create` or `embeddings.create`
 * call made through `withFailover`: pass the `ChatCompletion` / `Response` / embeddings list or the
 * stream it returned. `undefined` for anything else
 * (e.g. a completion from an unwrapped client).
 *
 * @example
 * const completion = await openai.chat.completions.create({ model: "gpt-4.1", messages });
 * getFailoverInfo(completion)?.provider; // "anthropic" while OpenAI is down
 */
export const getFailoverInfo = (value: unknown): FailoverInfo | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const info = (value as Record<symbol, unknown>)[failoverInfoKey];
  return typeof info === "object" && info !== null ? (info as FailoverInfo) : undefined;
};
