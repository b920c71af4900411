import { isAllProvidersFailedError } from "../errors/all-providers-failed-error.js";
import { isAbortLike } from "../errors/classify-failure.js";
import type { FailureClass } from "../errors/failure-class.js";
import { isInvalidRequestError } from "../errors/invalid-request-error.js";
import { isProviderError } from "../errors/provider-error.js";
import { isStreamInterruptedError } from "../errors/stream-interrupted-error.js";
import { isStructuredOutputError } from "../errors/structured-output-error.js";
import type { SSEErrorCode } from "./sse-protocol.js";

/** How one failure is told to the browser. */
export interface SSEErrorDescription {
  /** The HTTP status, for a failure before anything was sent. */
  status: number;
  code: SSEErrorCode;
  failureClass?: FailureClass;
}

/** Classes where a provider refused this request: another try would be refused too. */
const refusals: ReadonlySet<FailureClass> = new Set(["bad_request", "context_length", "content_filter"]);

/** What the browser reads by default: nothing about providers, keys, prompts or internals. */
const defaultMessages: Record<SSEErrorCode, string> = {
  all_providers_failed: "The AI service is unavailable right now. Please try again later.",
  invalid_request: "The request is not valid.",
  bad_request: "The AI provider refused the request.",
  context_length: "The conversation is too long for the model.",
  content_filter: "The request or the reply was blocked by a content filter.",
  interrupted: "The reply was interrupted.",
  structured_output: "The reply does not have the expected format.",
  timeout: "The request took too long.",
  aborted: "The request was cancelled.",
  internal_error: "Something went wrong.",
  rate_limited: "The AI service is busy. Please try again later.",
  quota: "The AI service is unavailable right now. Please try again later.",
  server_error: "The AI service is unavailable right now. Please try again later.",
  overloaded: "The AI service is busy. Please try again later.",
  connection: "The AI service is unavailable right now. Please try again later.",
  truncated: "The reply was interrupted.",
  invalid_response: "The AI service sent an invalid reply.",
  auth: "The AI service is unavailable right now. Please try again later.",
};

/** The default `message` for a code. */
export const defaultSSEErrorMessage = (code: SSEErrorCode): string => defaultMessages[code];

const isTimeoutReason = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { name?: unknown }).name === "TimeoutError";

/**
 * Maps a failure of `client.stream()` to an HTTP status and an error code. Reads only the error's
 * type and failure class, never its message.
 */
export const describeSSEError = (error: unknown): SSEErrorDescription => {
  if (isAllProvidersFailedError(error)) {
    return error.failureClass
      ? { status: 503, code: "all_providers_failed", failureClass: error.failureClass }
      : { status: 503, code: "all_providers_failed" };
  }
  if (isStreamInterruptedError(error)) {
    return { status: 502, code: "interrupted", failureClass: error.failureClass };
  }
  if (isProviderError(error)) {
    const status = refusals.has(error.failureClass) ? 422 : 503;
    return { status, code: error.failureClass, failureClass: error.failureClass };
  }
  if (isInvalidRequestError(error)) return { status: 400, code: "invalid_request" };
  if (isStructuredOutputError(error)) return { status: 502, code: "structured_output" };
  // The call's own signal (a timeout or an abort the app chose): the engine rethrows its reason.
  if (isTimeoutReason(error)) return { status: 504, code: "timeout" };
  if (isAbortLike(error)) return { status: 503, code: "aborted" };
  return { status: 500, code: "internal_error" };
};
