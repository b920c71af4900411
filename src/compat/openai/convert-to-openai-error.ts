import { isAllProvidersFailedError } from "../../errors/all-providers-failed-error.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { type InvalidRequestError, isInvalidRequestError } from "../../errors/invalid-request-error.js";
import { isProviderError } from "../../errors/provider-error.js";
import { isStreamInterruptedError } from "../../errors/stream-interrupted-error.js";

/** The SDK's error classes, read from the wrapped client's constructor (`OpenAI.APIError`…). */
interface OpenAIErrorClasses {
  APIError?: {
    new (
      status: number | undefined,
      error: object | undefined,
      message: string | undefined,
      headers: Headers | undefined,
    ): Error;
    generate(
      status: number | undefined,
      body: object | undefined,
      message: string | undefined,
      headers: Headers | undefined,
    ): Error;
  };
  APIConnectionTimeoutError?: new (options: { message?: string }) => Error;
  APIUserAbortError?: new (options?: { message?: string }) => Error;
}

/** The HTTP status an unwrapped client would most likely have seen for a failure class. */
const statusOf = (failureClass: FailureClass | undefined): number | undefined => {
  switch (failureClass) {
    case "rate_limited":
    case "quota":
      return 429;
    case "auth":
      return 401;
    case "bad_request":
    case "context_length":
    case "content_filter":
      return 400;
    case "connection":
    case "timeout":
    case "aborted":
      return undefined;
    default:
      return 503;
  }
};

/**
 * With `errors: "openai"`, the drop-in's failures are rethrown as the wrapped SDK's own error
 * classes, so existing `catch (e) { if (e instanceof OpenAI.APIError) … }` code keeps working:
 * - `AllProvidersFailedError` → `RateLimitError` (429) when the last failure was a rate limit or
 *   quota, else `InternalServerError` (503): the service, all providers together, is unavailable;
 * - `ProviderError` (a failure that does not fall over, e.g. a 400) → the class of its status, as
 *   the unwrapped client would have thrown; connection failures → `APIConnectionError`, timeouts
 *   → `APIConnectionTimeoutError`;
 * - `StreamInterruptedError` → `APIError` with no status, as the SDK throws for in-band stream errors.
 * - `InvalidRequestError` (a request refused before anything is sent: `n: 2`, a stateful request
 *   with `stateful: "error"`, an empty embeddings input) → `BadRequestError` (400), type
 *   `invalid_request_error` as OpenAI types its own 400s, code `ai_failover_invalid_request`, and
 *   `param` the first field named: the app's handling of a bad request applies.
 * The original error is the SDK error's `cause` (attempts, partial output, issues); the failure
 * class is in `error.type`, `error.code` and the `x-ai-failover-failure-class` header. The caller's
 * abort (the call's `signal` aborted with this error) → `APIUserAbortError`, its reason as `cause`,
 * as the SDK throws it. Anything else is returned unchanged. The classes come from the client's
 * constructor: the SDK is never imported.
 */
export const convertToOpenAIError = (
  classes: OpenAIErrorClasses | undefined,
  error: unknown,
  /** The call's own signal: when it aborted with this error, the caller stopped the call. */
  signal?: AbortSignal,
): unknown => {
  if (signal?.aborted && error === signal.reason && classes?.APIUserAbortError)
    return withCause(new classes.APIUserAbortError(), error);
  const APIError = classes?.APIError;
  if (typeof APIError?.generate !== "function") return error;
  if (isInvalidRequestError(error)) return withCause(badRequest(APIError, error), error);
  let failureClass: FailureClass | undefined;
  let status: number | undefined;
  if (isAllProvidersFailedError(error)) {
    failureClass = error.failureClass;
    status = failureClass === "rate_limited" || failureClass === "quota" ? 429 : 503;
  } else if (isProviderError(error)) {
    failureClass = error.failureClass;
    status = error.status ?? statusOf(failureClass);
  } else if (isStreamInterruptedError(error)) {
    failureClass = error.failureClass;
  } else {
    return error;
  }
  const message = error.message;
  const body = { message, type: failureClass ?? "server_error", code: failureClass ?? null, param: null };
  let converted: Error;
  if (isStreamInterruptedError(error)) {
    converted = new APIError(undefined, body, message, undefined);
  } else if (status === undefined && failureClass === "timeout" && classes?.APIConnectionTimeoutError) {
    converted = new classes.APIConnectionTimeoutError({ message });
  } else {
    const headers =
      status === undefined ? undefined : new Headers({ "x-ai-failover-failure-class": failureClass ?? "" });
    converted = APIError.generate(status, { error: body }, message, headers);
  }
  return withCause(converted, error);
};

/** The 400 OpenAI would answer a request it refuses, for one the drop-in refused before sending it. */
const badRequest = (
  APIError: Required<OpenAIErrorClasses>["APIError"],
  error: InvalidRequestError,
): Error => {
  const { message } = error;
  const field = /^([\w.[\]]+): /.exec(error.issues[0] ?? "")?.[1] ?? null;
  const body = { message, type: "invalid_request_error", code: "ai_failover_invalid_request", param: field };
  const headers = new Headers({ "x-ai-failover-failure-class": "bad_request" });
  return APIError.generate(400, { error: body }, message, headers);
};

/** `converted` with `error` as its (non-enumerable) `cause`, as the SDK sets causes. */
const withCause = (converted: Error, error: unknown): Error => {
  Object.defineProperty(converted, "cause", {
    value: error,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return converted;
};
