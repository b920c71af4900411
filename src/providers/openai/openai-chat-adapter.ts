import type { OpenAI } from "openai";
import type { AttemptContext, ProviderAdapter, ProviderKind } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { acquireClient, secretsForCall } from "../shared/acquire-client.js";
import { buildRequestBody } from "../shared/build-request-body.js";
import { clientSecrets, collectKnownSecrets } from "../shared/collect-known-secrets.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { toSdkTimeout } from "../shared/to-sdk-timeout.js";
import { convertOpenAIResponse } from "./convert-openai-response.js";
import { convertOpenAIStream } from "./convert-openai-stream.js";
import { convertToOpenAIRequest, type OpenAIRequestSettings } from "./convert-to-openai-request.js";
import { convertOpenAIError, type OpenAIErrorContext } from "./openai-error.js";
import { type SseBody, SseEventReader } from "./read-sse-events.js";

/** The part of an openai-node client the adapters use (`OpenAI`, `AzureOpenAI`, or a look-alike). */
export type OpenAIChatClient = Pick<OpenAI, "chat">;

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
  /** The configured secrets plus the client's, once the client exists. */
  private secrets: readonly string[];
  private secretsRead = false;

  constructor(private readonly config: OpenAIChatAdapterConfig) {
    this.name = config.name;
    this.kind = config.kind;
    this.model = config.model;
    this.domain = config.domain;
    this.contextWindow = config.contextWindow;
    this.secrets = collectKnownSecrets(config.secrets);
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const body = buildRequestBody(this.name, () => convertToOpenAIRequest(request, this.config, false));
    const client = await this.client(request, context);
    const errorContext = this.errorContext(request, context);
    let response: unknown;
    try {
      response = await client.chat.completions.create(body as never, requestOptions(request, context));
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    return convertOpenAIResponse(response, errorContext);
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const body = buildRequestBody(this.name, () => convertToOpenAIRequest(request, this.config, true));
    const client = await this.client(request, context);
    const errorContext = this.errorContext(request, context);
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
    // Its return() releases the connection at once, even while a read is pending.
    return convertOpenAIStream(new SseEventReader(response.body as SseBody), {
      ...errorContext,
      rawFields: this.config.rawStreamFields,
    });
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
    const result = convertOpenAIResponse(body, errorContext);
    const parts: StreamPart[] = [];
    if (result.text) parts.push({ type: "text", text: result.text });
    if (result.refusal !== undefined) parts.push({ type: "refusal", text: result.refusal });
    result.toolCalls.forEach((toolCall, index) => {
      parts.push({ type: "tool-call", index, toolCall });
    });
    parts.push({
      type: "finish",
      finishReason: result.finishReason,
      usage: result.usage,
      model: result.model,
      ...(result.id !== undefined ? { id: result.id } : {}),
      raw: result.raw,
    });
    return replay(parts);
  }

  private async client(request: ProviderRequest, context: AttemptContext): Promise<OpenAIChatClient> {
    const client = await acquireClient(this.config.client, this.errorContext(request, context), this.kind);
    if (!this.secretsRead) {
      this.secretsRead = true;
      this.secrets = collectKnownSecrets(this.secrets, clientSecrets(client));
    }
    return client;
  }

  private errorContext(request: ProviderRequest, context: AttemptContext): OpenAIErrorContext {
    return {
      provider: this.name,
      model: request.model,
      signal: context.signal,
      secrets: secretsForCall(this.secrets, request.headers),
    };
  }
}

const requestOptions = (request: ProviderRequest, context: AttemptContext): RequestOptions => ({
  signal: context.signal,
  timeout: toSdkTimeout(context.timeoutMs),
  maxRetries: 0,
  ...(request.headers ? { headers: request.headers } : {}),
});

async function* replay(parts: readonly StreamPart[]): AsyncGenerator<StreamPart, void, undefined> {
  yield* parts;
}
