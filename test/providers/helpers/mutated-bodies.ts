/**
 * Provider reply bodies for property tests of the hand checks that replaced zod schemas: a valid
 * body, then a few fields (at the paths given) set to a value of any kind a JSON body or a broken
 * gateway can carry — including integers past 2^53, non-finite numbers and array holes (a path
 * past an array's end leaves one).
 */
import fc from "fast-check";

export type BodyPath = readonly (string | number)[];

/** Values of every kind, good and bad, for any field. */
export const anyFieldValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53), 1e20),
  fc.string({ maxLength: 3 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 2 }), fc.jsonValue(), { maxKeys: 2 }),
);

/** `body` with `value` at `path` (copies along the path; the original is left as it was). */
export const setAt = (body: unknown, path: BodyPath, value: unknown): unknown => {
  if (path.length === 0) return value;
  if (typeof body !== "object" || body === null) return body;
  const [key, ...rest] = path;
  const copy = (Array.isArray(body) ? [...body] : { ...body }) as Record<string | number, unknown>;
  copy[key!] = setAt(copy[key!], rest, value);
  return copy;
};

/** Valid bodies from `valid`, each with up to `maxEdits` of `paths` set to anything. */
export const mutatedBodies = (
  valid: fc.Arbitrary<unknown>,
  paths: readonly BodyPath[],
  maxEdits: number,
): fc.Arbitrary<unknown> =>
  fc
    .tuple(valid, fc.array(fc.tuple(fc.constantFrom(...paths), anyFieldValue), { maxLength: maxEdits }))
    .map(([body, edits]) => edits.reduce<unknown>((b, [path, value]) => setAt(b, path, value), body));
