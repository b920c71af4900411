import { createProviderError, type ProviderErrorContext } from "./create-provider-error.js";

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * One vector from the wire: an array as it is (the engine checks, once, that every value is a
 * finite number), or the base64 text of little-endian float32s (OpenAI's `encoding_format:
 * "base64"`); `undefined` when it is neither.
 */
export const decodeEmbedding = (value: unknown): number[] | undefined => {
  if (Array.isArray(value)) return value as number[];
  if (typeof value !== "string" || !base64Pattern.test(value)) return undefined;
  const bytes = Buffer.from(value, "base64");
  if (bytes.length === 0 || bytes.length % 4 !== 0) return undefined;
  const out = new Array<number>(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
};

/** One entry of an embeddings list: its `index` (when sent) and its vector as sent. */
export interface WireEmbedding {
  index?: number | null | undefined;
  embedding?: unknown;
}

/**
 * The vectors of an embeddings list in input order (by `index` when every entry has a distinct one,
 * else as listed), decoded, and of the expected length (the one asked for, else the model's own when known). Throws an
 * `invalid_response` ProviderError otherwise: a provider that answered in another length answered
 * in another vector space.
 */
export const decodeEmbeddings = (
  data: readonly WireEmbedding[],
  dimensions: number | undefined,
  context: ProviderErrorContext,
): number[][] => {
  const invalid = (message: string) =>
    createProviderError(context, { failureClass: "invalid_response", message });
  const indexes = data.map((entry) => entry.index);
  const indexed =
    indexes.every((index) => typeof index === "number" && index >= 0 && index < data.length) &&
    new Set(indexes).size === data.length;
  const vectors = new Array<number[]>(data.length);
  data.forEach((entry, position) => {
    const vector = decodeEmbedding(entry.embedding);
    if (!vector) throw invalid("an embedding is neither numbers nor base64 float32s");
    if (dimensions !== undefined && vector.length !== dimensions)
      throw invalid(`${vector.length}-dimension vectors where ${dimensions} were expected`);
    vectors[indexed ? (entry.index as number) : position] = vector;
  });
  return vectors;
};
