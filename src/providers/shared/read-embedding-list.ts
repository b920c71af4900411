import type { WireEmbedding } from "./decode-embeddings.js";
import { isArrayOf, isNullishString, isWireObject, type WireFields, wireCount } from "./wire-fields.js";

const isEntry = (entry: unknown): boolean =>
  isWireObject(entry) && "embedding" in entry && (entry.index == null || Number.isSafeInteger(entry.index));

/** The part of an embeddings list we read; `usage` only when it is an object (see `countOf`). */
export interface WireEmbeddingList {
  id?: string | null;
  model?: string | null;
  data: WireEmbedding[];
  usage: WireFields | undefined;
}

/**
 * An embeddings list (OpenAI's wire shape, or the Mistral SDK's), or undefined when the body is not
 * one: `data` a list of entries (each an object with an `embedding`, checked by `decodeEmbeddings`,
 * and an `index` absent, null or an integer), `model` (and, with `withId`, `id`) absent, null or a string.
 * Unknown fields are ignored. Checked by hand, not with a schema library: a call crosses this once,
 * cold, where a schema parse costs tens of µs (see `convertOpenAIResponse`).
 */
export const readEmbeddingList = (
  body: unknown,
  options: { withId?: boolean } = {},
): WireEmbeddingList | undefined => {
  if (!isWireObject(body) || !isNullishString(body.model)) return undefined;
  if (options.withId && !isNullishString(body.id)) return undefined;
  const { data } = body;
  // A hole is a missing entry, as the schema it replaced read it.
  if (!isArrayOf(data, isEntry)) return undefined;
  return {
    ...(typeof body.id === "string" ? { id: body.id } : {}),
    model: body.model as string | null | undefined,
    data: data as WireEmbedding[],
    usage: isWireObject(body.usage) ? body.usage : undefined,
  };
};

/** A usage count as reported (see `wireCount`). */
export const countOf = (usage: WireFields | undefined, key: string): number | undefined =>
  wireCount(usage?.[key]);
