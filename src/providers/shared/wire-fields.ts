/**
 * The field checks of the hand-written reply readers (`readCompletion`, `findMessageIssue`,
 * `readEmbeddingList`): each accepts what the zod schema it replaced accepted for that field; and
 * `wireCount`, how every usage converter reads a token count.
 */

export type WireFields = Record<string, unknown>;

/** A JSON object (not null, not an array), as zod's `z.object` reads one. */
export const isWireObject = (value: unknown): value is WireFields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Absent, null or a string (`z.string().nullish()`). */
export const isNullishString = (value: unknown): boolean => value == null || typeof value === "string";

/** An array whose every item passes `test` (indexed, not `every()`: a hole is an item, undefined). */
export const isArrayOf = (value: unknown, test: (item: unknown) => boolean): boolean => {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!test(value[i])) return false;
  return true;
};

/** A count as reported: a finite number, else undefined (a malformed count drops only itself). */
export const wireCount = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
