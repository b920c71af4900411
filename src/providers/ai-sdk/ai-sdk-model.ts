/**
 * An AI SDK language model of any specification version `ai` 7 accepts (`LanguageModelV4`, `V3` or
 * `V2` from `@ai-sdk/provider`, e.g. `google("gemini-2.5-pro")`). Written structurally so that the
 * root entry's types never import `@ai-sdk/provider`: an app without the AI SDK still compiles.
 */
export interface AiSdkLanguageModel {
  readonly specificationVersion: "v2" | "v3" | "v4";
  readonly provider: string;
  readonly modelId: string;
  readonly supportedUrls?: PromiseLike<Record<string, RegExp[]>> | Record<string, RegExp[]>;
  doGenerate(options: unknown): PromiseLike<unknown>;
  doStream(options: unknown): PromiseLike<unknown>;
}

/**
 * What the adapter relies on, whatever the version: it reads every result tolerantly (a
 * third-party model's odd reply is an `invalid_response`, never a crash).
 */
export interface LooseLanguageModel {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
  readonly supportedUrls?: PromiseLike<Record<string, RegExp[]>> | Record<string, RegExp[]>;
  doGenerate(options: unknown): PromiseLike<unknown>;
  doStream(options: unknown): PromiseLike<unknown>;
}

const versions = new Set(["v2", "v3", "v4"]);

/** True for an object that looks like an AI SDK language model of a version this adapter speaks. */
export const isAiSdkLanguageModel = (value: unknown): value is LooseLanguageModel => {
  if (typeof value !== "object" || value === null) return false;
  const model = value as Partial<LooseLanguageModel>;
  return (
    typeof model.specificationVersion === "string" &&
    versions.has(model.specificationVersion) &&
    typeof model.provider === "string" &&
    typeof model.modelId === "string" &&
    typeof model.doGenerate === "function" &&
    typeof model.doStream === "function"
  );
};

/**
 * An AI SDK embedding model (`EmbeddingModelV4`, `V3` or `V2` from `@ai-sdk/provider`, e.g.
 * `google.embedding("gemini-embedding-001")`, `openai.embedding("text-embedding-3-small")`).
 * Structural, as {@link AiSdkLanguageModel}.
 */
export interface AiSdkEmbeddingModel {
  readonly specificationVersion: "v2" | "v3" | "v4";
  readonly provider: string;
  readonly modelId: string;
  doEmbed(options: unknown): PromiseLike<unknown>;
}

/** True for an object that looks like an AI SDK embedding model of a version this adapter speaks. */
export const isAiSdkEmbeddingModel = (value: unknown): value is AiSdkEmbeddingModel => {
  if (typeof value !== "object" || value === null) return false;
  const model = value as Partial<AiSdkEmbeddingModel>;
  return (
    typeof model.specificationVersion === "string" &&
    versions.has(model.specificationVersion) &&
    typeof model.provider === "string" &&
    typeof model.modelId === "string" &&
    typeof model.doEmbed === "function"
  );
};
