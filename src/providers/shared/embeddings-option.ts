import { z } from "zod";

/**
 * A provider's embeddings: the vector space it embeds in. Every provider of a client (every
 * fallback of `withFailover`) that takes embedding calls must declare the same space: the engine
 * never moves an embedding call to another model, whose vectors would be meaningless against your
 * index. A provider without this option takes no embedding calls.
 */
export interface EmbeddingsOptions {
  /** The embedding model, e.g. "text-embedding-3-small". It names the vector space. Required. */
  model: string;
  /**
   * The vector length, sent as `dimensions` when a call sets none (for models that shorten their
   * vectors: `text-embedding-3-*`). Leave it out for the model's own length (then nothing is sent).
   * @default the model's own length
   */
  dimensions?: number;
}

/** The zod shape of {@link EmbeddingsOptions}, for factories to extend. */
export const embeddingsOptionShape = {
  model: z.string().min(1, "the embedding model is required (it names the vector space)"),
  dimensions: z.number().int().positive().optional(),
};

/** The zod schema of {@link EmbeddingsOptions}. */
export const embeddingsOptionSchema = z.strictObject(embeddingsOptionShape);

/** True for a client with `embeddings.create` (openai-node, @mistralai/mistralai). */
export const hasEmbeddingsCreate = (client: unknown): boolean =>
  typeof (client as { embeddings?: { create?: unknown } } | null)?.embeddings?.create === "function";

/** A refinement: a client given with `embeddings` must have `embeddings.create`. */
export const requireEmbeddingsClient = (
  options: { client?: unknown; embeddings?: unknown },
  ctx: z.RefinementCtx,
): void => {
  if (options.embeddings === undefined || options.client === undefined) return;
  if (hasEmbeddingsCreate(options.client)) return;
  ctx.addIssue({
    code: "custom",
    path: ["embeddings"],
    message: "the client has no embeddings.create: pass an SDK client that has one, or leave out embeddings",
  });
};
