import {
  classifyHttpFailure,
  findNetworkErrorCode,
  type HttpFailure,
  isAbortLike,
} from "../../errors/classify-failure.js";
import { type ConfigError, isConfigError } from "../../errors/config-error.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { InvalidRequestError, isInvalidRequestError } from "../../errors/invalid-request-error.js";
import { isProviderError, type ProviderError } from "../../errors/provider-error.js";
import { sanitizeIdentifier } from "../../errors/sanitize-message.js";
import { createProviderError, errorClassNames, type ProviderErrorContext } from "./create-provider-error.js";

/**
 * What an adapter may throw: a classified failure of the provider, the caller's request error
 * (nothing was sent), or a configuration error (an SDK that is not installed).
 */
export type AdapterError = ProviderError | InvalidRequestError | ConfigError;

/** The shared table's fields, plus what an adapter reads beside them. */
export interface ProviderHttpFailure extends HttpFailure {
  requestId?: unknown;
  /** Categories a content filter named (Azure); kept only if the failure is classed `content_filter`. */
  contentFilterCategories?: readonly unknown[] | undefined;
  /** The provider's code to report, when not the shared choice (`code`, else `type`). */
  providerCode?: string | undefined;
  /** The wait to use when no Retry-After-style header gave one (e.g. Mistral's gateway reset headers). */
  fallbackRetryAfterMs?: number | undefined;
}

/** Where one SDK keeps what the shared unwrapping order reads. Every field but `readHttpFailure` is optional. */
export interface SdkErrorReader {
  /** Class names of the SDK's own timeout errors. (A DOMException `TimeoutError` anywhere counts too.) */
  timeoutNames?: readonly string[];
  /** Class names of the SDK's connection errors (refused, reset, DNS). */
  connectionNames?: readonly string[];
  /** Class names of errors for a body the SDK could not read (besides `SyntaxError` and zod errors). */
  parseErrorNames?: readonly string[];
  /**
   * Issues (`path: message`, never values) when the SDK refused to send the request (its own
   * request validation): the caller's error, as nothing left the process. Undefined otherwise.
   */
  readRequestRejection?(error: Record<string, unknown>, names: readonly string[]): string[] | undefined;
  /**
   * The fields of an HTTP error, or of an error object sent inside a 200 (`status` undefined);
   * undefined when `error` is neither.
   */
  readHttpFailure(error: Record<string, unknown>, names: readonly string[]): ProviderHttpFailure | undefined;
  /** Corrects the shared table where this provider words a class its own way. */
  refineClass?(failureClass: FailureClass, failure: ProviderHttpFailure): FailureClass;
  /** A provider-specific failure read before "unexpected" (e.g. credentials the SDK could not find). */
  classifyOther?(
    error: Record<string, unknown>,
    names: readonly string[],
  ): { failureClass: FailureClass; message: string } | undefined;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

/** True when `error` or any of its causes carries one of `names`. */
const chainHasName = (error: unknown, names: ReadonlySet<string>): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    if (errorClassNames(current).some((name) => names.has(name))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

const isSocketTypeError = (names: readonly string[], error: Record<string, unknown>): boolean =>
  names.includes("TypeError") &&
  /^(terminated|fetch failed|other side closed)|socket/i.test(String(error.message ?? ""));

/**
 * Turns whatever an SDK (or the adapter reading its stream) threw into an {@link AdapterError}, in
 * one order for every adapter — the order matters, as SDK errors nest:
 *
 * 1. this library's own errors pass through (`ProviderError`, `InvalidRequestError`, `ConfigError`);
 * 2. the attempt's signal is aborted → `aborted` (the engine knows whether that was a deadline);
 * 3. the SDK's timeout (or a `TimeoutError` anywhere in the cause chain) → `timeout` — checked
 *    before aborts, since an SDK timeout's cause is the `AbortError` of its own timer;
 * 4. an abort anywhere in the chain → `aborted`;
 * 5. the SDK refused to send the request (its own validation) → the caller's `InvalidRequestError`;
 * 6. a network code in the chain (`ECONNREFUSED`, `ECONNRESET`…) or the SDK's connection error →
 *    `connection` (before HTTP errors: some SDKs' connection errors are HTTP errors without a status);
 * 7. an HTTP error or an in-band error object → the shared table (`classifyHttpFailure`), refined
 *    by the adapter;
 * 8. a body that is not JSON or not the expected shape → `invalid_response`;
 * 9. the adapter's last word (`classifyOther`), then `invalid_response` for anything unexpected.
 *
 * The SDK's error never becomes the `cause` as is: only failures below HTTP (steps 2–6) keep a
 * sanitized summary of it. Messages carry no key (known ones included), no HTML, and a provider's
 * text only after `sanitizeMessage`.
 */
export const convertSdkError = (
  error: unknown,
  context: ProviderErrorContext,
  reader: SdkErrorReader,
): AdapterError => {
  if (isProviderError(error) || isInvalidRequestError(error) || isConfigError(error)) return error;
  const record = asRecord(error);
  const names = errorClassNames(error);
  const transport = (failureClass: FailureClass, message: string): ProviderError =>
    createProviderError(context, { failureClass, message, cause: error });

  if (context.signal?.aborted) return transport("aborted", "request aborted");
  if (chainHasName(error, new Set(["TimeoutError", ...(reader.timeoutNames ?? [])]))) {
    return transport("timeout", "request timed out");
  }
  if (isAbortLike(error)) return transport("aborted", "request aborted");

  const rejection = reader.readRequestRejection?.(record, names);
  if (rejection !== undefined) return new InvalidRequestError(rejection);

  const networkCode = findNetworkErrorCode(error);
  if (networkCode !== undefined) return transport("connection", `connection failed (${networkCode})`);
  if (names.some((name) => reader.connectionNames?.includes(name)) || isSocketTypeError(names, record)) {
    return transport("connection", "connection failed");
  }

  const http = reader.readHttpFailure(record, names);
  if (http !== undefined) {
    const classification = classifyHttpFailure({ ...http, secrets: context.secrets });
    const failureClass =
      reader.refineClass?.(classification.failureClass, http) ?? classification.failureClass;
    return createProviderError(context, {
      failureClass,
      message: classification.message,
      status: http.status,
      providerCode: http.providerCode ?? classification.providerCode,
      retryAfterMs: classification.retryAfterMs ?? http.fallbackRetryAfterMs,
      requestId: http.requestId,
      contentFilterCategories: http.contentFilterCategories,
    });
  }

  const isParseError =
    names.some(
      (name) => name === "SyntaxError" || name === "ZodError" || reader.parseErrorNames?.includes(name),
    ) || Array.isArray(record.issues);
  if (isParseError) {
    return createProviderError(context, {
      failureClass: "invalid_response",
      message: "malformed response from the provider (not valid JSON, or not the expected shape)",
    });
  }
  const other = reader.classifyOther?.(record, names);
  if (other !== undefined) return createProviderError(context, other);
  const kind =
    sanitizeIdentifier(
      names.find((name) => name !== "Error"),
      context.secrets,
      64,
    ) ?? (typeof error === "object" ? "Error" : typeof error);
  return createProviderError(context, {
    failureClass: "invalid_response",
    message: `unexpected ${kind} while reading the response`,
  });
};
