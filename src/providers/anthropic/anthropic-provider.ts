import type Anthropic from "@anthropic-ai/sdk";
import type { ClientOptions } from "@anthropic-ai/sdk";
import type { AttemptContext, ProviderAdapter, VerifyCheck } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { parseProviderOptions } from "../provider-options.js";
import { acquireClient, secretsForCall } from "../shared/acquire-client.js";
import { buildRequestBody } from "../shared/build-request-body.js";
import {
  clientSecrets,
  collectKnownSecrets,
  credentialHeaderValues,
} from "../shared/collect-known-secrets.js";
import { createLazyClient } from "../shared/create-lazy-client.js";
import { createSetupCheck, hasHeader, pathExists, readEnv } from "../shared/find-setup-issues.js";
import { toSdkTimeout } from "../shared/to-sdk-timeout.js";
import { type AnthropicErrorContext, convertAnthropicError } from "./anthropic-error.js";
import {
  type AnthropicProviderOptions,
  anthropicProviderOptionsSchema,
  defaultAnthropicMaxTokens,
} from "./anthropic-options.js";
import { convertAnthropicResponse } from "./convert-anthropic-response.js";
import { type AnthropicRequestBody, convertToAnthropicRequest } from "./convert-to-anthropic-request.js";
import { createRequestSignal } from "./create-request-signal.js";
import { readAnthropicStream } from "./read-anthropic-stream.js";

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
  readonly #getClient: () => Promise<Anthropic>;
  /** The configured key, token and credential headers, then the client's own once it exists. */
  #secrets: readonly string[];
  #secretsRead = false;
  /** The setup issues of this provider (see `ProviderAdapter.findSetupIssues`). */
  readonly findSetupIssues: () => string[];

  constructor(input: AnthropicProviderOptions) {
    const options = parseProviderOptions(anthropicProviderOptionsSchema, input, "anthropic");
    this.#options = options;
    this.name = options.name ?? "anthropic";
    this.model = options.model;
    this.domain = options.domain ?? "anthropic";
    this.contextWindow = options.contextWindow;
    this.#defaultMaxTokens = options.defaultMaxTokens ?? defaultAnthropicMaxTokens;
    const { client } = options;
    this.#getClient = client
      ? () => Promise.resolve(client)
      : createLazyClient("@anthropic-ai/sdk", () => createClient(options));
    this.#secrets = collectKnownSecrets(
      options.apiKey,
      options.authToken,
      credentialHeaderValues(options.defaultHeaders),
    );
    this.findSetupIssues = createSetupCheck(
      client
        ? undefined
        : {
            packageName: "@anthropic-ai/sdk",
            credentialIssues: () =>
              hasAnthropicCredentials(options)
                ? []
                : ["no credentials: pass apiKey (or authToken) or set ANTHROPIC_API_KEY"],
          },
    );
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const body = this.#body(request);
    const client = await this.#client(request, context);
    const errorContext = this.#errorContext(request, context);
    let response: unknown;
    try {
      response = await client.messages.create(body, this.#requestOptions(request, context));
    } catch (error) {
      throw convertAnthropicError(error, errorContext);
    }
    return convertAnthropicResponse(response, errorContext);
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const body = this.#body(request);
    const client = await this.#client(request, context);
    const errorContext = this.#errorContext(request, context);
    let response: Response;
    try {
      // The raw response: its events are read by readAnthropicStream, not by the SDK's Stream. An
      // HTTP error still throws the SDK's APIError here; the SDK's own span of the call ends now.
      const options = this.#requestOptions(request, context, createRequestSignal(context.signal));
      response = await client.messages.create({ ...body, stream: true }, options).asResponse();
    } catch (error) {
      throw convertAnthropicError(error, errorContext);
    }
    return readAnthropicStream(response, { ...errorContext, signal: context.signal });
  }

  /** `GET /v1/models/{model}`: the key and the model, the cheapest authenticated request. */
  async verify(context: AttemptContext): Promise<VerifyCheck> {
    const request: ProviderRequest = { model: this.model, messages: [] };
    const client = await this.#client(request, context);
    const models = (client as { models?: { retrieve?: unknown } }).models;
    if (typeof models?.retrieve !== "function") return { skipped: "the client has no models API" };
    try {
      await client.models.retrieve(this.model, {}, this.#requestOptions(request, context));
    } catch (error) {
      throw convertAnthropicError(error, this.#errorContext(request, context));
    }
    return { request: `GET /v1/models/${this.model}` };
  }

  #body(request: ProviderRequest): AnthropicRequestBody {
    return buildRequestBody(this.name, () =>
      convertToAnthropicRequest(
        { ...request, model: request.model || this.model },
        { defaultMaxTokens: this.#defaultMaxTokens, extra: this.#options.extra },
      ),
    );
  }

  async #client(request: ProviderRequest, context: AttemptContext): Promise<Anthropic> {
    const client = await acquireClient(this.#getClient, this.#errorContext(request, context), this.kind);
    if (!this.#secretsRead) {
      this.#secretsRead = true;
      this.#secrets = collectKnownSecrets(this.#secrets, clientSecrets(client));
    }
    return client;
  }

  #errorContext(request: ProviderRequest, context: AttemptContext): AnthropicErrorContext {
    return {
      provider: this.name,
      model: request.model || this.model,
      signal: context.signal,
      secrets: secretsForCall(this.#secrets, request.headers),
    };
  }

  /**
   * Per-request options: no SDK retries (the engine is the one retry layer), the engine's signal
   * (or one that follows it, `signal`),
   * and always an explicit timeout: without one the SDK refuses large non-streaming `max_tokens`
   * ("Streaming is required") before sending anything.
   */
  #requestOptions(
    request: ProviderRequest,
    context: AttemptContext,
    signal: AbortSignal = context.signal,
  ): Anthropic.RequestOptions {
    return {
      signal,
      timeout: toSdkTimeout(context.timeoutMs),
      maxRetries: 0,
      ...(request.headers !== undefined ? { headers: request.headers } : {}),
    };
  }
}

const createClient = async (options: AnthropicProviderOptions): Promise<Anthropic> => {
  const sdk = await import("@anthropic-ai/sdk");
  const clientOptions: ClientOptions = { maxRetries: 0 };
  if (options.apiKey !== undefined) clientOptions.apiKey = options.apiKey;
  if (options.authToken !== undefined) clientOptions.authToken = options.authToken;
  if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
  if (options.defaultHeaders !== undefined) clientOptions.defaultHeaders = options.defaultHeaders;
  if (options.fetch !== undefined) clientOptions.fetch = options.fetch;
  return new sdk.Anthropic(clientOptions);
};

/**
 * Whether a client built from these options finds credentials, as the SDK looks for them: a key or
 * token given or in the environment, an auth header, or its credential chain (a profile, workload
 * identity federation, or a config directory such as `~/.config/anthropic`). When in doubt, yes: a
 * check that refused a working setup would be worse than none.
 */
const hasAnthropicCredentials = (options: AnthropicProviderOptions): boolean => {
  if (options.apiKey !== undefined || options.authToken !== undefined) return true;
  if (hasHeader(options.defaultHeaders, ["x-api-key", "authorization"])) return true;
  const variables = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_PROFILE",
    "ANTHROPIC_FEDERATION_RULE_ID",
    "ANTHROPIC_CONFIG_DIR",
  ];
  if (variables.some((name) => readEnv(name) !== undefined)) return true;
  const root =
    globalThis.process?.platform === "win32"
      ? (readEnv("APPDATA") ?? readEnv("USERPROFILE"))
      : (readEnv("XDG_CONFIG_HOME") ?? (readEnv("HOME") ? `${readEnv("HOME")}/.config` : undefined));
  if (root === undefined) return false;
  const dir = globalThis.process?.platform === "win32" ? "Anthropic" : "anthropic";
  return pathExists(`${root}/${dir}/configs`);
};
