import type { OpenAI } from "openai";
import { z } from "zod";
import {
  type FetchFunction,
  looksLikeOpenAIClient,
  type OpenAILikeClient,
  openAIConnectionShape,
  rejectWithClient,
} from "../openai/openai-options.js";
import { type BaseProviderOptions, baseProviderOptionsShape } from "../provider-options.js";
import {
  type EmbeddingsOptions,
  embeddingsOptionSchema,
  requireEmbeddingsClient,
} from "../shared/embeddings-option.js";

/** Options of {@link openaiCompatible}: any server that speaks OpenAI Chat Completions. */
export interface OpenAICompatibleProviderOptions extends BaseProviderOptions {
  /** Unique provider name, e.g. "groq", "ollama". Required: it names the provider everywhere. */
  name: string;
  /** Base URL up to the version segment, e.g. `https://api.groq.com/openai/v1`, `http://localhost:11434/v1`. Required. */
  baseURL: string;
  /**
   * API key, sent as `Authorization: Bearer`. Never read from `OPENAI_API_KEY`: your OpenAI key is
   * not sent to another server. @default none (no `Authorization` header)
   */
  apiKey?: string;
  /** Headers sent with every request. @default none */
  headers?: Record<string, string>;
  /**
   * A ready OpenAI SDK client pointed at the server; its settings stay yours and it is never
   * mutated. Mutually exclusive with `apiKey`, `headers` and `fetch` (`baseURL` is still required:
   * it documents where the provider lives, and must match the client's).
   * @default a client built on the first call
   */
  client?: OpenAILikeClient;
  /** A `fetch` implementation for the SDK to use. @default `globalThis.fetch` */
  fetch?: FetchFunction;
  /**
   * The body field for `maxTokens`. Most compatible servers know `max_tokens`; some newer ones
   * (and OpenAI reasoning models behind a gateway) want `max_completion_tokens`.
   * @default "max_tokens"
   */
  maxTokensField?: "max_completion_tokens" | "max_tokens";
  /**
   * Send `stream_options: { include_usage: true }` so the stream ends with a usage chunk. Turn it
   * off for a server that rejects `stream_options`. @default true
   */
  includeStreamUsage?: boolean;
  /**
   * Top-level fields of stream chunks kept in the finish part's `raw` (the non-stream `raw` is the
   * whole body anyway), e.g. `["citations"]`. @default none
   */
  rawStreamFields?: readonly string[];
  /** Failure domain. @default the provider's name */
  domain?: string;
  /**
   * Take `embed()` calls in this vector space (the server's `/embeddings`), e.g.
   * `{ model: "nomic-embed-text" }`. Vectors are asked for as floats (not every server knows base64),
   * and text only (token arrays are tokenizer-specific). @default none: no embedding calls
   */
  embeddings?: EmbeddingsOptions;
  /** @internal What `verify()` asks (presets without a models endpoint say `"none"`). @default "list" */
  verify?: "list" | "none";
}

/** The zod schema of {@link OpenAICompatibleProviderOptions}: strict, so a misspelt option is reported. */
export const openAICompatibleProviderOptionsSchema = z
  .strictObject({
    ...baseProviderOptionsShape,
    name: baseProviderOptionsShape.name.unwrap(),
    baseURL: openAIConnectionShape.baseURL.unwrap(),
    apiKey: openAIConnectionShape.apiKey,
    headers: openAIConnectionShape.defaultHeaders,
    fetch: openAIConnectionShape.fetch,
    client: z
      .custom<OpenAI>(looksLikeOpenAIClient, "expected an OpenAI SDK client (new OpenAI(...))")
      .optional(),
    maxTokensField: z.enum(["max_completion_tokens", "max_tokens"]).optional(),
    includeStreamUsage: z.boolean().optional(),
    rawStreamFields: z.array(z.string().min(1)).optional(),
    embeddings: embeddingsOptionSchema.optional(),
  })
  .superRefine(rejectWithClient(["apiKey", "headers", "fetch"]))
  .superRefine(requireEmbeddingsClient);
