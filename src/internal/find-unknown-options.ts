import { suggestKey } from "./suggest-key.js";

/**
 * `label: unknown option "keyprefix" (did you mean "keyPrefix"?)` for each key of `options` not in
 * `known`: options read by hand (a store, `verify()`) named as `createClient`'s zod-checked ones are.
 */
export const findUnknownOptions = (label: string, options: object, known: readonly string[]): string[] =>
  Object.keys(options)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const near = suggestKey(key, known);
      const hint = near ? `did you mean ${JSON.stringify(near)}?` : `expected one of: ${known.join(", ")}`;
      return `${label}: unknown option ${JSON.stringify(key)} (${hint})`;
    });
