/**
 * The field checks of the hand-written reply readers (`readCompletion`, `findMessageIssue`,
 * `readEmbeddingList`): each accepts what the zod schema it replaced accepted for that field.
 */

export type WireFields = Record<string, unknown>;

/** A JSON object (not null, not an array), as zod's `z.object` reads one. */
export const isWireObject = (value: unknown): value is WireFields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Absent, null or a string (`z.string().nullish()`). */
export const isNullishString = (value: unknown): boolean => value == null || typeof value === "string";
