import { InvalidRequestError } from "../../errors/invalid-request-error.js";
import { ProviderError } from "../../errors/provider-error.js";
import {
  type EmbeddingCapability,
  type ProviderEmbedRequest,
  type ProviderEmbedResponse,
  spaceDimensions,
} from "../../spec/embed.js";
import type { AttemptContext, ProviderAdapter } from "../../spec/provider.js";
import type { ProviderRequest } from "../../spec/request.js";
import type { ProviderResponse } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { parseProviderOptions } from "../provider-options.js";
import { type AiSdkErrorContext, convertAiSdkError } from "./ai-sdk-error.js";
import type { LooseLanguageModel } from "./ai-sdk-model.js";
import {
  type AiSdkEmbeddingsOptions,
  type AiSdkProviderOptions,
  aiSdkProviderOptionsSchema,
} from "./ai-sdk-options.js";
import { convertAiSdkEmbeddings } from "./convert-ai-sdk-embeddings.js";
import { convertAiSdkResponse } from "./convert-ai-sdk-response.js";
import { convertAiSdkStream } from "./convert-ai-sdk-stream.js";
import { type CallDefaults, convertToAiSdkCallOptions } from "./convert-to-ai-sdk-call-options.js";
import { nameAiSdkProvider } from "./name-ai-sdk-provider.js";

/**
 * Any AI SDK language model as a provider: Gemini, Vertex, Bedrock, Groq, xAI… whatever the AI
 * SDK covers, with this engine's failover, breakers and deadlines around it.
 *
 * ```ts
 * import { google } from "@ai-sdk/google";
 * createClient({ providers: [openai({ model: "gpt-4.1" }), aiSdk({ model: google("gemini-2.5-pro") })] });
 * ```
 * The model is called directly (`doGenerate` / `doStream`): no `ai` retry layer, and our deadlines
 * reach it through its `abortSignal`. Imports nothing from `ai` or `@ai-sdk/*` at runtime.
 * Throws a `ConfigError` naming each invalid option.
 */
export const aiSdk = (options: AiSdkProviderOptions): ProviderAdapter =>
  new AiSdkProvider(parseProviderOptions(aiSdkProviderOptionsSchema, options, "aiSdk"));

class AiSdkProvider implements ProviderAdapter {
  readonly kind = "ai-sdk" as const;
  readonly name: string;
  readonly model: string;
  readonly domain: string;
  readonly contextWindow: number | undefined;
  readonly embeddings: EmbeddingCapability | undefined;
  readonly #model: LooseLanguageModel;
  readonly #embeddings: AiSdkEmbeddingsOptions | undefined;
  readonly #defaults: CallDefaults;
  #supportedUrls: Promise<Record<string, RegExp[]>> | undefined;

  constructor(options: AiSdkProviderOptions) {
    this.#model = options.model as unknown as LooseLanguageModel;
    const naming = nameAiSdkProvider(this.#model.provider);
    this.name = options.name ?? naming.name;
    this.domain = options.domain ?? naming.domain;
    this.model = this.#model.modelId;
    this.contextWindow = options.contextWindow;
    this.#defaults = { providerOptions: options.providerOptions, headers: options.headers };
    this.#embeddings = options.embeddings;
    this.embeddings = options.embeddings && {
      model: options.embeddings.model.modelId,
      dimensions: options.embeddings.dimensions,
      tokenInput: false,
    };
  }

  /**
   * One `doEmbed` call of the embedding model (text only): the space's length is checked, not sent
   * (the AI SDK has no common option for it). Per-call `providerOptions[<this provider's name>]` are
   * merged over the embeddings' own, per provider key.
   */
  async embed(request: ProviderEmbedRequest, context: AttemptContext): Promise<ProviderEmbedResponse> {
    const settings = this.#embeddings;
    if (!settings || !this.embeddings)
      throw new InvalidRequestError([`${this.name}: no \`embeddings\` option: it takes no embedding calls`]);
    if (request.input.some((input) => typeof input !== "string"))
      throw new InvalidRequestError([`request.input: ${this.name} takes text only, not token arrays`]);
    const errorContext = { provider: this.name, model: this.embeddings.model, signal: context.signal };
    const headers =
      this.#defaults.headers || request.headers
        ? { ...this.#defaults.headers, ...request.headers }
        : undefined;
    const providerOptions = mergeProviderOptions(
      settings.providerOptions,
      request.extra as Record<string, Record<string, unknown>> | undefined,
    );
    try {
      const result = await settings.model.doEmbed({
        values: [...(request.input as readonly string[])],
        abortSignal: context.signal,
        ...(headers ? { headers } : {}),
        ...(providerOptions ? { providerOptions } : {}),
      });
      return convertAiSdkEmbeddings(
        result,
        errorContext,
        request.dimensions ?? spaceDimensions(this.embeddings),
      );
    } catch (error) {
      throw convertAiSdkError(error, errorContext);
    }
  }

  async generate(request: ProviderRequest, context: AttemptContext): Promise<ProviderResponse> {
    const errorContext = this.#errorContext(context.signal);
    try {
      const options = await this.#callOptions(request, context.signal);
      return convertAiSdkResponse(
        await this.#model.doGenerate(options),
        this.#model.specificationVersion,
        errorContext,
      );
    } catch (error) {
      throw convertAiSdkError(error, errorContext);
    }
  }

  async stream(request: ProviderRequest, context: AttemptContext): Promise<AsyncIterable<StreamPart>> {
    const errorContext = this.#errorContext(context.signal);
    let result: unknown;
    try {
      result = await this.#model.doStream(await this.#callOptions(request, context.signal));
    } catch (error) {
      throw convertAiSdkError(error, errorContext);
    }
    const stream = (result as { stream?: ReadableStream<unknown> } | null)?.stream;
    if (typeof stream?.getReader !== "function") {
      throw new ProviderError({
        ...errorContext,
        failureClass: "invalid_response",
        message: "doStream returned no stream",
      });
    }
    return convertAiSdkStream(stream, { ...errorContext, version: this.#model.specificationVersion });
  }

  #errorContext(signal: AbortSignal): AiSdkErrorContext & { signal: AbortSignal } {
    return { provider: this.name, model: this.model, signal };
  }

  async #callOptions(request: ProviderRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    if (request.model !== "" && request.model !== this.model) {
      // An AI SDK model object is bound to its model id: another one needs another aiSdk() provider.
      throw new ProviderError({
        provider: this.name,
        model: this.model,
        failureClass: "bad_request",
        message: `this provider serves ${this.model} only; add another aiSdk() provider for ${request.model}`,
      });
    }
    return convertToAiSdkCallOptions(
      request,
      this.#model.specificationVersion,
      await this.#loadSupportedUrls(),
      this.#defaults,
      signal,
    );
  }

  /** The URLs the model fetches itself (read once; a model that cannot say gets everything downloaded). */
  #loadSupportedUrls(): Promise<Record<string, RegExp[]>> {
    this.#supportedUrls ??= Promise.resolve(this.#model.supportedUrls)
      .then((urls) => urls ?? {})
      .catch(() => ({}));
    return this.#supportedUrls;
  }
}

/** AI SDK provider options merged per provider key (the call's over the configured ones). */
const mergeProviderOptions = (
  base: Record<string, Record<string, unknown>> | undefined,
  call: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> | undefined => {
  if (!call) return base;
  const merged: Record<string, Record<string, unknown>> = { ...base };
  for (const [key, value] of Object.entries(call)) merged[key] = { ...merged[key], ...value };
  return merged;
};
