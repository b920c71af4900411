/** One `embeddings.create` call, as the primary (and only the primary) sees it. */
export interface EmbeddingsCall {
  /** The OpenAI client to call: the wrapped one, or a clone made with `withOptions()`. */
  client: object;
  /** The app's own params: what the primary is sent, untouched. */
  params: Record<string, unknown>;
  /** Headers from the call's request options (they may carry OpenAI credentials: primary only). */
  headers?: Record<string, string>;
  /** The call's `timeout` request option, in ms: caps the primary's attempts. */
  timeoutMs?: number;
  /**
   * The vector length the answer must have, when known: the space's for a call that may fail over
   * (so the primary and its fallbacks are held to one length), the app's `dimensions` otherwise.
   */
  expectedDimensions?: number;
}

const embeddingsCallKey = Symbol("ai-failover.embeddings-call");

/**
 * Attaches a call's `EmbeddingsCall` to the (empty) body-fields object given as
 * `providerOptions[primary]`: the engine hands that object to the primary only, request validation
 * ignores a non-enumerable symbol, and it can never be serialized into any request body.
 */
export const attachEmbeddingsCall = <T extends object>(carrier: T, call: EmbeddingsCall): T => {
  Object.defineProperty(carrier, embeddingsCallKey, { value: call, enumerable: false });
  return carrier;
};

/** The `EmbeddingsCall` riding on an attempt's `extra`, if this is a drop-in embeddings call. */
export const getEmbeddingsCall = (extra: unknown): EmbeddingsCall | undefined =>
  typeof extra === "object" && extra !== null
    ? ((extra as Record<symbol, EmbeddingsCall | undefined>)[embeddingsCallKey] ?? undefined)
    : undefined;
