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
  const path = findUnserializable(body, []);
  if (path !== undefined) {
    const [kind, ...keys] = path;
    throw new InvalidRequestError([
      `${["body", ...keys.reverse()].join(".")}: ${kind} cannot be sent as JSON`,
    ]);
  }
  return body;
};

/**
 * Where `value` holds something `JSON.stringify` would throw on, as `[what, ...keys]` with the keys
 * innermost first (built only on the way out of a failure); undefined when there is none. Cheap on
 * the success path: no path strings, no allocation per node beyond the ancestor stack.
 */
const findUnserializable = (value: unknown, ancestors: object[]): string[] | undefined => {
  if (typeof value === "bigint") return ["a bigint"];
  if (typeof value !== "object" || value === null) return undefined;
  if (ancestors.includes(value)) return ["a circular reference"];
  // Typed arrays, dates, URLs and the like serialise on their own terms (or are converted before).
  if (ArrayBuffer.isView(value) || typeof (value as { toJSON?: unknown }).toJSON === "function")
    return undefined;
  ancestors.push(value);
  let found: string[] | undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && found === undefined; i++) {
      found = findUnserializable(value[i], ancestors);
      if (found !== undefined) found.push(String(i));
    }
  } else {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      found = findUnserializable((value as Record<string, unknown>)[key], ancestors);
      if (found !== undefined) {
        found.push(key);
        break;
      }
    }
  }
  ancestors.pop();
  return found;
};
