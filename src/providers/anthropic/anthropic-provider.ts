import type Anthropic from "@anthropic-ai/sdk";
import type { ClientOptions } from "@anthropic-ai/sdk";
import { ConfigError } from "../../errors/config-error.js";
import type { AttemptContext, ProviderAdapter } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { parseProviderOptions } from "../provider-options.js";
import { convertAnthropicError } from "./anthropic-error.js";
import {
  type AnthropicProviderOptions,
  anthropicProviderOptionsSchema,
  defaultAnthropicMaxTokens,
} from "./anthropic-options.js";
import { convertAnthropicResponse } from "./convert-anthropic-response.js";
import { type AnthropicEventStream, convertAnthropicStream } from "./convert-anthropic-stream.js";
import { type AnthropicRequestBody, convertToAnthropicRequest } from "./convert-to-anthropic-request.js";

/** The longest timer Node honours; a longer (or infinite) deadline would overflow to "at once". */
const maxTimeoutMs = 2_147_483_647;

/**
 * An Anthropic Messages API provider.
 *
 * ```ts
 * anthropic({ model: "claude-sonnet-5-5" })                        // key from ANTHROPIC_API_KEY
 * anthropic({ client: new Anthropic({ apiKey }), model: "claude-haiku-5-5", name: "claude-fast" })
 * ```
 * Throws a `ConfigError` naming each invalid option (values are never echoed).
 */
export const anthropic = (options: AnthropicProviderOptions): ProviderAdapter =>
  new AnthropicProvider(options);

class AnthropicProvider implements ProviderAdapter {
  readonly kind = "anthropic" as const;
  readonly name: string;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;
  readonly #options: AnthropicProviderOptions;
  readonly #defaultMaxTokens: number;
  #client: Anthropic | Promise<Anthropic> | undefined;

  constructor(input: AnthropicProviderOptions) {
    const options = parseProviderOptions(anthropicProviderOptionsSchema, input, "anthropic");
    this.#options = options;
    this.name = options.name ?? "anthropic";
    this.model = options.model;
    this.domain = options.domain ?? "anthropic";
    this.contextWindow = options.contextWindow;
    this.#defaultMaxTokens = options.defaultMaxTokens ?? defaultAnthropicMaxTokens;
    this.#client = options.client;
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const errorContext = { provider: this.name, model: request.model || this.model };
    let body: unknown;
    try {
      const client = await this.#getClient();
      body = await client.messages.create(this.#body(request), this.#requestOptions(request, context));
    } catch (error) {
      throw convertAnthropicError(error, errorContext);
    }
    return convertAnthropicResponse(body, errorContext);
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const streamContext = { provider: this.name, model: request.model || this.model, signal: context.signal };
    try {
      const client = await this.#getClient();
      // `create({ stream: true })` yields the raw events: lighter per event than `messages.stream()`.
      const events = await client.messages.create(
        { ...this.#body(request), stream: true },
        this.#requestOptions(request, context),
      );
      return convertAnthropicStream(events as AnthropicEventStream, streamContext);
    } catch (error) {
      throw convertAnthropicError(error, streamContext);
    }
  }

  #body(request: ProviderRequest): AnthropicRequestBody {
    return convertToAnthropicRequest(
      { ...request, model: request.model || this.model },
      { defaultMaxTokens: this.#defaultMaxTokens, extra: this.#options.extra },
    );
  }

  /**
   * Per-request options: no SDK retries (the engine is the one retry layer), the engine's signal,
   * and always an explicit timeout: without one the SDK refuses large non-streaming `max_tokens`
   * ("Streaming is required") before sending anything.
   */
  #requestOptions(request: ProviderRequest, context: AttemptContext): Anthropic.RequestOptions {
    const timeout = Math.min(Math.max(1, Math.ceil(context.timeoutMs)), maxTimeoutMs);
    return {
      signal: context.signal,
      timeout: Number.isFinite(timeout) ? timeout : maxTimeoutMs,
      maxRetries: 0,
      ...(request.headers !== undefined ? { headers: request.headers } : {}),
    };
  }

  #getClient(): Anthropic | Promise<Anthropic> {
    if (this.#client === undefined) {
      const promise = createClient(this.#options);
      this.#client = promise;
      // A failed import is retried on the next call (the package may be installed meanwhile).
      promise.then(
        (client) => {
          this.#client = client;
        },
        () => {
          if (this.#client === promise) this.#client = undefined;
        },
      );
    }
    return this.#client;
  }
}

const createClient = async (options: AnthropicProviderOptions): Promise<Anthropic> => {
  let sdk: typeof import("@anthropic-ai/sdk");
  try {
    sdk = await import("@anthropic-ai/sdk");
  } catch {
    throw new ConfigError([
      "anthropic: the @anthropic-ai/sdk package is not installed (npm install @anthropic-ai/sdk), or pass `client`",
    ]);
  }
  const clientOptions: ClientOptions = { maxRetries: 0 };
  if (options.apiKey !== undefined) clientOptions.apiKey = options.apiKey;
  if (options.authToken !== undefined) clientOptions.authToken = options.authToken;
  if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
  if (options.defaultHeaders !== undefined) clientOptions.defaultHeaders = options.defaultHeaders;
  if (options.fetch !== undefined) clientOptions.fetch = options.fetch;
  return new sdk.Anthropic(clientOptions);
};
