import { z } from "zod";
import { baseProviderOptionsShape } from "../provider-options.js";
import {
  type AiSdkEmbeddingModel,
  type AiSdkLanguageModel,
  isAiSdkEmbeddingModel,
  isAiSdkLanguageModel,
} from "./ai-sdk-model.js";

/** An `aiSdk()` provider's embeddings: an AI SDK embedding model, and its vector space. */
export interface AiSdkEmbeddingsOptions {
  /**
   * The embedding model, e.g. `google.embedding("gemini-embedding-001")`. Its `modelId` names the
   * vector space. Its `doEmbed` is called directly (no `ai` retry or batching layer): one attempt is
   * one request, so keep a call's batch within the model's `maxEmbeddingsPerCall`.
   */
  model: AiSdkEmbeddingModel;
  /**
   * The vector length the model is set to give (through its provider options, e.g. Gemini's
   * `outputDimensionality`): it names the space, and an answer of another length fails. The AI SDK
   * has no common `dimensions` option, so nothing is sent for it.
   * @default the model's own length
   */
  dimensions?: number;
  /** AI SDK `providerOptions` sent on every embedding call, e.g. `{ google: { outputDimensionality: 768 } }`. @default none */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** Options of {@link aiSdk}. */
export interface AiSdkProviderOptions {
  /**
   * Any AI SDK language model, specification v2, v3 or v4 (what `ai` 7 accepts), built with its
   * provider package: `google("gemini-2.5-pro")`, `bedrock("anthropic.claude-sonnet-4-…")`,
   * `vertex("gemini-2.5-pro")`, `groq("…")`, `openai.chat("gpt-4.1")`… Its auth, base URL, fetch
   * and headers stay yours. The adapter calls `doGenerate` / `doStream` itself: no `ai` retry layer.
   */
  model: AiSdkLanguageModel;
  /**
   * Unique provider name.
   * @default from the model's `provider`: "google" (Gemini API), "vertex", "vertex-anthropic",
   * "bedrock", "openai", "azure", otherwise its first segment ("groq.chat" → "groq")
   */
  name?: string;
  /**
   * Failure domain: the cloud the model runs on.
   * @default "openai" for OpenAI and Azure models, "google" for Gemini and Vertex, "aws" for
   * Bedrock, otherwise the name
   */
  domain?: string;
  /** The model's context window in tokens, when known. @default undefined (unknown) */
  contextWindow?: number;
  /**
   * AI SDK `providerOptions` sent on every call, e.g. `{ google: { thinkingConfig: { thinkingBudget: 0 } } }`.
   * Per-call `providerOptions[<this provider's name>]` are merged over them, per provider key.
   * @default none
   */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Headers sent on every call. @default none */
  headers?: Record<string, string>;
  /** Take `embed()` calls with an AI SDK embedding model. @default none: no embedding calls */
  embeddings?: AiSdkEmbeddingsOptions;
}

/** The zod schema of {@link AiSdkProviderOptions}: strict, so a misspelt option is reported. */
export const aiSdkProviderOptionsSchema = z.strictObject({
  model: z.custom<AiSdkLanguageModel>(
    isAiSdkLanguageModel,
    'expected an AI SDK language model (specification v2, v3 or v4), e.g. google("gemini-2.5-pro")',
  ),
  name: baseProviderOptionsShape.name,
  domain: baseProviderOptionsShape.domain,
  contextWindow: baseProviderOptionsShape.contextWindow,
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  embeddings: z
    .strictObject({
      model: z.custom<AiSdkEmbeddingModel>(
        isAiSdkEmbeddingModel,
        'expected an AI SDK embedding model (specification v2, v3 or v4), e.g. google.embedding("gemini-embedding-001")',
      ),
      dimensions: z.number().int().positive().optional(),
      providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    })
    .optional(),
});
