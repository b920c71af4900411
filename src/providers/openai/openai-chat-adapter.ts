import type { OpenAI } from "openai";
import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import {
  type EmbeddingCapability,
  type ProviderEmbedRequest,
  type ProviderEmbedResponse,
  spaceDimensions,
} from "../../spec/embed.js";
import type { AttemptContext, ProviderAdapter, ProviderKind, VerifyCheck } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { acquireClient, secretsForCall } from "../shared/acquire-client.js";
import { buildRequestBody } from "../shared/build-request-body.js";
import { clientSecrets, collectKnownSecrets } from "../shared/collect-known-secrets.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { createSetupCheck, type SetupRequirements } from "../shared/find-setup-issues.js";
import { type SseBody, SseEventReader } from "../shared/read-sse-events.js";
import { replayResponse } from "../shared/replay-response.js";
import { toSdkTimeout } from "../shared/to-sdk-timeout.js";
import { convertOpenAIEmbeddingResponse } from "./convert-openai-embedding-response.js";
import { convertOpenAIResponse } from "./convert-openai-response.js";
import { convertOpenAIStream } from "./convert-openai-stream.js";
import {
  convertToOpenAIEmbeddingRequest,
  type OpenAIEmbeddingSettings,
} from "./convert-to-openai-embedding-request.js";
import { convertToOpenAIRequest, type OpenAIRequestSettings } from "./convert-to-openai-request.js";
import { convertOpenAIError, type OpenAIErrorContext } from "./openai-error.js";
import { RawChunkRecorder } from "./record-raw-chunks.js";

/** The part of an openai-node client the adapters use (`OpenAI`, `AzureOpenAI`, or a look-alike). */
export type OpenAIChatClient = Pick<OpenAI, "chat">;

/** The part of an openai-node client embedding calls use. */
export interface OpenAIEmbeddingsClient {
  embeddings: { create(body: never, options?: RequestOptions): PromiseLike<unknown> };
}

/** A provider's embeddings: its space, and how its requests are made. */
export interface OpenAIEmbeddingsConfig extends OpenAIEmbeddingSettings {
  /** The model of the vector space (for Azure, the model behind the deployment). */
  model: string;
  /** The vector length sent as `dimensions` when a request sets none; undefined: the model's own. */
  dimensions: number | undefined;
  /** Whether token arrays may be sent as input (OpenAI and Azure: yes). */
  tokenInput: boolean;
  /**
   * The client for embedding calls, when it is not the chat one (an `AzureOpenAI` client bound to
   * a chat deployment sends every call there). @default the chat client
   */
  client?: () => Promise<OpenAIEmbeddingsClient>;
}

type RequestOptions = NonNullable<Parameters<OpenAI["chat"]["completions"]["create"]>[1]>;

/** Everything an adapter of the Chat Completions family differs in. */
export interface OpenAIChatAdapterConfig extends OpenAIRequestSettings {
  kind: ProviderKind;
  name: string;
  model: string;
  domain: string;
  contextWindow: number | undefined;
  /** The SDK client; called on every attempt, so it may build the client lazily (and cache it). */
  client: () => Promise<OpenAIChatClient>;
  /** Top-level stream-chunk fields kept in the finish part's `raw` (Perplexity's citations). */
  rawStreamFields?: readonly string[];
  /**
   * Credentials given in the provider's options (key, credential headers): redacted from errors
   * because they are known. The client's own (`apiKey`, default headers) are added once it exists.
   * @default none
   */
  secrets?: readonly string[];
  /** The provider's embeddings (its `embeddings` option). @default none: it takes no embedding calls */
  embeddings?: OpenAIEmbeddingsConfig;
  /**
   * What a client built from plain options needs (its SDK, credentials): checked by `createClient`.
   * @default nothing (a user-supplied client counts as configured)
   */
  setup?: SetupRequirements;
  /**
   * What `verify()` asks: `"retrieve"` the configured model (`GET /models/{model}`: the key and the
   * model), `"list"` the models (`GET /models`: the key; Azure deployments and OpenAI-compatible
   * servers), or `"none"` for an API without a models endpoint.
   * @default "list"
   */
  verify?: "retrieve" | "list" | "none";
  /**
   * Keep the provider's own chunks on the parts, and make the finish part's `raw` the completion a
   * JSON request would have returned (see `RawChunkRecorder`): for the drop-in's wrapped client.
   * @default false
   */
  keepRawChunks?: boolean;
}

/** The models API of an openai-node client, when it has one (a look-alike client may not). */
interface ModelsApi {
  retrieve?: (model: string, options?: RequestOptions) => PromiseLike<unknown>;
  list?: (options?: RequestOptions) => PromiseLike<unknown>;
}

/**
 * The Chat Completions adapter shared by OpenAI, Azure OpenAI and OpenAI-compatible providers: it
 * only wires the converters together. Every call passes `maxRetries: 0` (the engine is the only
 * retry layer), the attempt's remaining deadline as the SDK timeout and the attempt's signal; the
 * user's client is never mutated.
 */
export class OpenAIChatAdapter implements ProviderAdapter {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;
  readonly embeddings: EmbeddingCapability | undefined;
  /**
   * The configured secrets plus the client's, once the client exists. Private fields (`#`), as is
   * the config: a logged or JSON-serialised provider shows no key.
   */
  #secrets: readonly string[];
  readonly #config: OpenAIChatAdapterConfig;
  /** The clients whose own secrets (key, default headers) were added to `secrets`. */
  private readonly secretsRead = new WeakSet<object>();
  /**
   * Clients whose key is a function (openai-node's key provider): the key is known only once the
   * SDK has called it, so their secrets are read again whenever an error needs them.
   */
  private readonly keyedLater = new WeakSet<object>();
  /** Whether any client in `keyedLater`: most adapters never look there. */
  private anyKeyedLater = false;
  /** The setup issues of this provider (see `ProviderAdapter.findSetupIssues`). */
  readonly findSetupIssues: () => string[];

  constructor(config: OpenAIChatAdapterConfig) {
    this.#config = config;
    this.name = config.name;
    this.kind = config.kind;
    this.model = config.model;
    this.domain = config.domain;
    this.contextWindow = config.contextWindow;
    const embeddings = config.embeddings;
    this.embeddings = embeddings && {
      model: embeddings.model,
      dimensions: embeddings.dimensions,
      tokenInput: embeddings.tokenInput,
    };
    this.#secrets = collectKnownSecrets(config.secrets);
    this.findSetupIssues = createSetupCheck(config.setup);
  }

  /**
   * One embeddings request (`client.embeddings.create`) in the provider's space: its model (Azure:
   * its deployment), the request's `dimensions` or the space's, base64 or float as configured.
   */
  async embed(request: ProviderEmbedRequest, context: AttemptContext): Promise<ProviderEmbedResponse> {
    const settings = this.#config.embeddings;
    if (!settings)
      throw new InvalidRequestError([`${this.name}: no \`embeddings\` option: it takes no embedding calls`]);
    const body = buildRequestBody(this.name, () => convertToOpenAIEmbeddingRequest(request, settings));
    const getClient =
      settings.client ?? (this.#config.client as unknown as () => Promise<OpenAIEmbeddingsClient>);
    const client = await acquireClient(
      getClient,
      this.errorContextFor(settings.model, request.headers, context),
      this.kind,
    );
    this.readSecrets(client);
    const errorContext = this.errorContextFor(settings.model, request.headers, context, client);
    let response: unknown;
    try {
      response = await client.embeddings.create(body as never, requestOptions(request, context));
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    // The length asked for, else the model's own when it is known: another length is another space.
    const expected = request.dimensions ?? spaceDimensions(settings);
    return convertOpenAIEmbeddingResponse(response, errorContext, expected);
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const body = buildRequestBody(this.name, () => convertToOpenAIRequest(request, this.#config, false));
    const client = await this.client(request, context);
    const errorContext = this.errorContext(request, context, client);
    let response: unknown;
    try {
      response = await client.chat.completions.create(body as never, requestOptions(request, context));
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    return convertOpenAIResponse(response, errorContext);
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const body = buildRequestBody(this.name, () => convertToOpenAIRequest(request, this.#config, true));
    const client = await this.client(request, context);
    const errorContext = this.errorContext(request, context, client);
    let response: Response;
    try {
      response = await client.chat.completions
        .create(body as never, requestOptions(request, context))
        .asResponse();
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (response.body === null || /json/i.test(contentType))
      return this.wholeResponseAsStream(response, errorContext);
    if (/html/i.test(contentType)) {
      // A captive portal or proxy page with HTTP 200: not an event stream, and never copied.
      response.body.cancel().catch(() => {});
      throw createProviderError(errorContext, {
        failureClass: "invalid_response",
        message: "HTML page instead of an event stream",
      });
    }
    const recorder = this.#config.keepRawChunks ? new RawChunkRecorder() : undefined;
    // Its return() releases the connection at once, even while a read is pending.
    return convertOpenAIStream(new SseEventReader(response.body as SseBody), {
      ...errorContext,
      rawFields: this.#config.rawStreamFields,
      onChunk: recorder?.onChunk,
      labelPart: recorder ? (part) => recorder.label(part) : undefined,
    });
  }

  /**
   * The cheapest authenticated request the API offers: `GET /models/{model}` or `GET /models`,
   * with no retries and the context's signal and timeout. Throws the classified failure.
   */
  async verify(context: AttemptContext): Promise<VerifyCheck> {
    const mode = this.#config.verify ?? "list";
    if (mode === "none") return { skipped: `${this.name} has no models endpoint to check` };
    const request: ProviderRequest = { model: this.model, messages: [] };
    const client = await this.client(request, context);
    const models = (client as { models?: ModelsApi }).models;
    const options = requestOptions(request, context);
    try {
      if (mode === "retrieve" && typeof models?.retrieve === "function") {
        await models.retrieve(this.model, options);
        return { request: `GET /models/${this.model}` };
      }
      if (typeof models?.list === "function") {
        await models.list(options);
        return { request: "GET /models" };
      }
    } catch (error) {
      throw convertOpenAIError(error, this.errorContext(request, context, client));
    }
    return { skipped: "the client has no models API" };
  }

  /**
   * A server that ignored `stream: true` and sent one JSON body (some OpenAI-compatible servers do,
   * and gateways send error objects that way): convert it whole and replay it as parts.
   */
  private async wholeResponseAsStream(
    response: Response,
    errorContext: OpenAIErrorContext,
  ): Promise<AsyncIterable<StreamPart>> {
    let body: unknown;
    try {
      body = response.body === null ? undefined : await response.json();
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    return replayResponse(convertOpenAIResponse(body, errorContext));
  }

  private async client(request: ProviderRequest, context: AttemptContext): Promise<OpenAIChatClient> {
    const client = await acquireClient(this.#config.client, this.errorContext(request, context), this.kind);
    this.readSecrets(client);
    return client;
  }

  private readSecrets(client: object): void {
    if (this.secretsRead.has(client)) return;
    this.secretsRead.add(client);
    this.#secrets = collectKnownSecrets(this.#secrets, clientSecrets(client));
    const options = (client as { _options?: { apiKey?: unknown } })._options;
    if (typeof options?.apiKey === "function") {
      this.keyedLater.add(client);
      this.anyKeyedLater = true;
    }
  }

  private errorContext(
    request: ProviderRequest,
    context: AttemptContext,
    client?: object,
  ): OpenAIErrorContext {
    return this.errorContextFor(request.model, request.headers, context, client);
  }

  /**
   * Who answered, and the secrets to keep out of an error. For a client whose key is a function,
   * `secrets` is read when asked for (an error, after the request went out), so the key the SDK
   * got from the function, kept on the client as `apiKey`, is among them.
   */
  private errorContextFor(
    model: string,
    headers: Record<string, string> | undefined,
    context: AttemptContext,
    client?: object,
  ): OpenAIErrorContext {
    if (!this.anyKeyedLater || client === undefined || !this.keyedLater.has(client))
      return {
        provider: this.name,
        model,
        signal: context.signal,
        secrets: secretsForCall(this.#secrets, headers),
      };
    const adapter = this;
    return {
      provider: this.name,
      model,
      signal: context.signal,
      get secrets() {
        adapter.#secrets = collectKnownSecrets(adapter.#secrets, clientSecrets(client));
        return secretsForCall(adapter.#secrets, headers);
      },
    };
  }
}

const requestOptions = (
  request: { headers?: Record<string, string> | undefined },
  context: AttemptContext,
): RequestOptions => ({
  signal: context.signal,
  timeout: toSdkTimeout(context.timeoutMs),
  maxRetries: 0,
  ...(request.headers ? { headers: request.headers } : {}),
});
