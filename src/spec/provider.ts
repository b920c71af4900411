import type { EmbeddingCapability, ProviderEmbedRequest, ProviderEmbedResponse } from "./embed.js";
import type { ProviderRequest } from "./request.js";
import type { ProviderResponse } from "./result.js";
import type { StreamPart } from "./stream.js";

export type ProviderKind =
  | "openai"
  | "azure-openai"
  | "anthropic"
  | "mistral"
  | "openai-compatible"
  | "ai-sdk";

/**
 * What `verify()` did with one provider: the request it made (`"GET /models/gpt-4.1"`), or why it
 * made none (a provider whose API has no cheap authenticated request).
 */
export type VerifyCheck = { request: string } | { skipped: string };

/** What the engine hands an adapter for one attempt. */
export interface AttemptContext {
  /**
   * Aborted when the caller aborts or an engine deadline fires. Adapters pass it to the SDK and
   * throw whatever the SDK throws; the engine knows why it aborted and classifies accordingly.
   */
  signal: AbortSignal;
  /**
   * Pass as the SDK's own per-request timeout. It is the call's remaining total deadline; the
   * engine enforces the tighter deadlines (headers, first content, idle) through `signal`.
   */
  timeoutMs: number;
}

/**
 * A provider adapter: request mapping, response mapping, stream mapping, error mapping.
 * Adapters never retry, sleep or fall back: they throw a classified `ProviderError` and the
 * engine decides. They set their SDK's own retries to 0 and leave deadlines to the engine.
 */
export interface ProviderAdapter {
  /** Unique name used in results, attempts, events and per-provider options. */
  readonly name: string;
  /** Which API family the adapter speaks. */
  readonly kind: ProviderKind;
  /** The model this provider uses unless a request maps it to another. */
  readonly model: string;
  /** Failure domain: providers that go down together (OpenAI and Azure OpenAI: "openai"). */
  readonly domain: string;
  /** The model's context window in tokens, when known: lets context_length failures move to a larger window. */
  readonly contextWindow: number | undefined;
  /** One non-streaming call. */
  generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse>;
  /**
   * One streaming call. The promise settles when the response headers arrive (or the call fails
   * before that); the iterable then yields parts and ends with exactly one `finish` part only when
   * the provider sent its terminal event. An iterable that ends without `finish` is a truncation.
   */
  stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>>;
  /**
   * The vector space this provider embeds in (its `embeddings` option), or `undefined` when it
   * takes no embedding calls. A client's providers must all declare one space (checked when the
   * client is created): the engine never moves an embedding call to another model.
   */
  readonly embeddings?: EmbeddingCapability | undefined;
  /**
   * One embedding request: one vector per input, in order. Present on adapters whose API has
   * embeddings (OpenAI, Azure OpenAI, OpenAI-compatible, Mistral); used only when `embeddings` is set.
   * As with `generate`, it throws a classified `ProviderError` and never retries.
   */
  embed?(request: ProviderEmbedRequest, context: AttemptContext): Promise<ProviderEmbedResponse>;
  /**
   * What would make every call to this provider fail, each with its fix, e.g. `the
   * @anthropic-ai/sdk package is not installed (npm install @anthropic-ai/sdk)` or `no API key: pass
   * apiKey or set ANTHROPIC_API_KEY`. Synchronous and free (no request); `createClient` and
   * `withFailover` throw a `ConfigError` listing them, so a fallback that cannot work is found at
   * start-up, not during the outage. A user-supplied SDK client counts as configured.
   */
  findSetupIssues?(): string[];
  /**
   * Checks on demand that the provider answers an authenticated request, with the cheapest one its
   * API offers (e.g. `GET /models/{model}`); throws a classified `ProviderError` when it does not.
   * Never retries; respects `context.signal` and `context.timeoutMs`. See `client.verify()`.
   * @default none: `verify()` reports the provider as skipped
   */
  verify?(context: AttemptContext): Promise<VerifyCheck>;
}
