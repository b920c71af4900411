import { z } from "zod";
import { baseProviderOptionsShape } from "../provider-options.js";
import { type AiSdkLanguageModel, isAiSdkLanguageModel } from "./ai-sdk-model.js";

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
});
