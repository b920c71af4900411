import type { EmbedResult } from "../../../spec/embed.js";

/** An embedding vector as OpenAI's base64 encoding: the little-endian bytes of its float32s. */
export const toBase64Embedding = (vector: readonly number[]): string => {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes.toString("base64");
};

/**
 * A fallback's answer as a genuine `CreateEmbeddingResponse`: `object: "list"`, one
 * `{ object: "embedding", index, embedding }` per input in order, the model that answered, and
 * `usage` with the counts the provider reported (an absent count is absent, never 0). Vectors are
 * base64 when the app asked for `encoding_format: "base64"`, numbers otherwise (as the SDK gives them).
 */
export const convertToEmbeddingResponse = (result: EmbedResult, base64: boolean): Record<string, unknown> => {
  const usage: Record<string, number> = {};
  if (result.usage.inputTokens !== undefined) usage.prompt_tokens = result.usage.inputTokens;
  if (result.usage.totalTokens !== undefined) usage.total_tokens = result.usage.totalTokens;
  return {
    object: "list",
    data: result.embeddings.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? toBase64Embedding(vector) : vector,
    })),
    model: result.model,
    usage,
  };
};
