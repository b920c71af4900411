import { InvalidRequestError, isInvalidRequestError } from "../../errors/invalid-request-error.js";

/**
 * Builds one request body, or throws the caller's `InvalidRequestError`: the one step every adapter
 * takes between the neutral request and its SDK call.
 *
 * Whatever goes wrong here happens before a byte leaves the process, so it is never the provider's
 * failure: the engine surfaces it at once, with no retry, no fall-over and no breaker count. An
 * `InvalidRequestError` a converter throws keeps its issues (they name the field). Any other
 * exception — a field the adapter cannot map, a converter bug — is reported by its class only,
 * since its message may quote the request. A body that JSON cannot carry (a `bigint` or a cycle in
 * `extra`, tool parameters or a schema) is caught here too, rather than inside the SDK where it
 * would look like a failure of the provider.
 *
 * @param adapter the provider's name, for the issue text
 */
export const buildRequestBody = <T>(adapter: string, build: () => T): T => {
  let body: T;
  try {
    body = build();
  } catch (error) {
    if (isInvalidRequestError(error)) throw error;
    const kind = error instanceof Error ? error.name : typeof error;
    throw new InvalidRequestError([
      `request: the ${adapter} adapter cannot map this request (${kind} while building the body)`,
    ]);
  }
  const problem = findUnserializable(body, "body", new Set());
  if (problem !== undefined) throw new InvalidRequestError([problem]);
  return body;
};

/** The first value of `value` that `JSON.stringify` would throw on, as an issue; undefined when none. */
const findUnserializable = (value: unknown, path: string, ancestors: Set<object>): string | undefined => {
  if (typeof value === "bigint") return `${path}: a bigint cannot be sent as JSON`;
  if (typeof value !== "object" || value === null) return undefined;
  if (ancestors.has(value)) return `${path}: a circular reference cannot be sent as JSON`;
  // Typed arrays, dates, URLs and the like serialise on their own terms (or are converted before).
  if (ArrayBuffer.isView(value) || typeof (value as { toJSON?: unknown }).toJSON === "function")
    return undefined;
  ancestors.add(value);
  try {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnserializable(item, `${path}.${key}`, ancestors);
      if (found !== undefined) return found;
    }
    return undefined;
  } finally {
    ancestors.delete(value);
  }
};
