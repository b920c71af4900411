import { InvalidRequestError } from "../../../errors/invalid-request-error.js";
import { convertOpenAIEmbeddingResponse } from "../../../providers/openai/convert-openai-embedding-response.js";
import { convertOpenAIError } from "../../../providers/openai/openai-error.js";
import { secretsForCall } from "../../../providers/shared/acquire-client.js";
import { clientSecrets } from "../../../providers/shared/collect-known-secrets.js";
import {
  type EmbeddingCapability,
  type ProviderEmbedRequest,
  type ProviderEmbedResponse,
  spaceDimensions,
} from "../../../spec/embed.js";
import type { AttemptContext, ProviderAdapter, ProviderKind, VerifyCheck } from "../../../spec/provider.js";
import type { ProviderRequest } from "../../../spec/request.js";
import type { ProviderResponse } from "../../../spec/result.js";
import type { StreamPart } from "../../../spec/stream.js";
import { getEmbeddingsCall } from "./embeddings-call.js";

/** The part of an openai-node client (`OpenAI` or `AzureOpenAI`, v6 or v7) embedding calls use. */
interface EmbeddingsClient {
  embeddings: { create(body: unknown, options?: unknown): PromiseLike<unknown> };
}

/** setTimeout's limit: a larger (or infinite) timeout would fire at once. */
const maxTimerMs = 2_147_483_647;

/** The wrapped client's embedding space, as `withFailover` resolved it. */
export interface PrimaryEmbeddings {
  /** The space (declared by `primary.embeddings`, else by the fallbacks); undefined when none is. */
  space: EmbeddingCapability | undefined;
  /** The `model` the app names for that space (the Azure deployment, else the model). */
  requestModel: string | undefined;
}

/**
 * The wrapped OpenAI (or Azure) client as the primary provider of embedding calls, delegating every
 * other call to the primary it wraps. A drop-in call (one carrying an `EmbeddingsCall`) sends the
 * app's own params to `embeddings.create` untouched — so while OpenAI answers, the app gets exactly
 * the SDK's answer — with the engine's signal and deadline and `maxRetries: 0`. A call made on the
 * engine itself (`getFailoverClient(client).embed()`) asks for the space's model.
 */
export class EmbeddingsPrimaryAdapter implements ProviderAdapter {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;
  readonly embeddings: EmbeddingCapability;

  constructor(
    private readonly inner: ProviderAdapter,
    private readonly defaultClient: object,
    private readonly primaryEmbeddings: PrimaryEmbeddings,
  ) {
    this.name = inner.name;
    this.kind = inner.kind;
    this.model = inner.model;
    this.domain = inner.domain;
    this.contextWindow = inner.contextWindow;
    // Without a declared space every drop-in call stays on the primary, under the app's own model.
    this.embeddings = primaryEmbeddings.space ?? {
      model: "(the call's model)",
      dimensions: undefined,
      tokenInput: true,
    };
  }

  /** The wrapped client's own check (see `PrimaryAdapter.verify`). */
  verify(context: AttemptContext): Promise<VerifyCheck> {
    return this.inner.verify?.(context) ?? Promise.resolve({ skipped: "no check for this client" });
  }

  generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    return this.inner.generate(request, context);
  }

  stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    return this.inner.stream(request, context);
  }

  async embed(request: ProviderEmbedRequest, context: AttemptContext): Promise<ProviderEmbedResponse> {
    const call = getEmbeddingsCall(request.extra);
    const client = (call?.client ?? this.defaultClient) as EmbeddingsClient;
    const { params, dimensions } = call
      ? { params: call.params, dimensions: call.expectedDimensions }
      : {
          params: this.paramsFor(request),
          dimensions: request.dimensions ?? spaceDimensions(this.embeddings),
        };
    const headers = request.headers || call?.headers ? { ...request.headers, ...call?.headers } : undefined;
    const model = typeof params.model === "string" ? params.model : this.embeddings.model;
    const errorContext = {
      provider: this.name,
      model,
      signal: context.signal,
      secrets: secretsForCall(clientSecrets(client), headers),
    };
    const timeoutMs =
      call?.timeoutMs !== undefined ? Math.min(call.timeoutMs, context.timeoutMs) : context.timeoutMs;
    let response: unknown;
    try {
      response = await client.embeddings.create(params, {
        signal: context.signal,
        timeout: Math.min(Math.max(1, Math.ceil(timeoutMs)), maxTimerMs) || maxTimerMs,
        maxRetries: 0,
        ...(headers ? { headers } : {}),
      });
    } catch (error) {
      throw convertOpenAIError(error, errorContext);
    }
    return convertOpenAIEmbeddingResponse(response, errorContext, dimensions);
  }

  /** The body of a call made on the engine itself: the space's model, the request's input and length. */
  private paramsFor(request: ProviderEmbedRequest): Record<string, unknown> {
    const { requestModel } = this.primaryEmbeddings;
    if (requestModel === undefined)
      throw new InvalidRequestError([
        `${this.name}: no embedding space is declared (primary.embeddings, or a fallback's embeddings option): call embeddings.create with a model instead`,
      ]);
    return {
      model: requestModel,
      input: request.input,
      encoding_format: "base64",
      ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
      ...request.extra,
    };
  }
}
