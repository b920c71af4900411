import type { FailureClass } from "./failure-class.js";
import { parseRetryAfter } from "./retry-after.js";
import { sanitizeMessage } from "./sanitize-message.js";

/** What an adapter extracted from an HTTP error, whatever its SDK called the fields. */
export interface HttpFailure {
  status: number | undefined;
  headers?: Headers | Record<string, string | string[] | null | undefined> | undefined;
  /** Provider error type, e.g. "rate_limit_error", "overloaded_error", "invalid_request_error". */
  type?: string | null | undefined;
  /** Provider error code, e.g. "insufficient_quota", "context_length_exceeded", "content_filter". */
  code?: string | null | undefined;
  /** Provider error message (sanitized before use). */
  message?: string | null | undefined;
  /** Raw body text when the provider did not send JSON (HTML pages). */
  bodyText?: string | undefined;
}

export interface Classification {
  failureClass: FailureClass;
  message: string;
  retryAfterMs: number | undefined;
  providerCode: string | undefined;
}

const quotaPattern =
  /insufficient_quota|quota|spend_limit|spend(ing)? limit|billing|credit balance|exceeded your current/i;
const contextPattern =
  /context_length_exceeded|context length|context window|prompt is too long|too many tokens|maximum context|input is too long|string_above_max_length.*messages/i;
const contentFilterPattern =
  /content_filter|content filtering|content management policy|ResponsibleAIPolicyViolation|moderation|invalid_prompt|violating our usage policy/i;

/** Classes an HTTP error response. One table for every provider: adapters only extract fields. */
export const classifyHttpFailure = (failure: HttpFailure): Classification => {
  const { status } = failure;
  const code = failure.code ?? undefined;
  const type = failure.type ?? undefined;
  // URLs in messages (help links) must not decide the class.
  const signals = [code, type, failure.message]
    .filter(Boolean)
    .join(" ")
    .replace(/https?:\/\/\S+/g, "");
  const isHtml = failure.bodyText !== undefined && /<\s*(!doctype|html)\b/i.test(failure.bodyText);
  const message = isHtml ? "HTML error page" : sanitizeMessage(failure.message ?? failure.bodyText);
  const retryAfterMs = failure.headers ? parseRetryAfter(failure.headers) : undefined;
  const providerCode = code ?? type;
  const result = (failureClass: FailureClass): Classification => ({
    failureClass,
    message,
    retryAfterMs,
    providerCode,
  });

  if (type === "overloaded_error" || status === 529) return result("overloaded");
  if (status === 429 || type === "rate_limit_error") {
    return result(quotaPattern.test(signals) ? "quota" : "rate_limited");
  }
  if (status === 401 || status === 403 || type === "authentication_error" || type === "permission_error") {
    return result("auth");
  }
  if (status === 402 || (type === "billing_error" && status !== undefined && status < 500))
    return result("quota");
  if (status === 408) return result("timeout");
  if (status !== undefined && status >= 500) return result("server_error");
  // A success status carrying an error body (or nothing usable) is a garbage reply.
  if (status !== undefined && status < 400) return result("invalid_response");
  if (
    status === 400 ||
    status === 404 ||
    status === 413 ||
    status === 422 ||
    (status !== undefined && status >= 400)
  ) {
    if (contentFilterPattern.test(signals)) return result("content_filter");
    if (status === 413 || contextPattern.test(signals)) return result("context_length");
    return result("bad_request");
  }
  // No status: an in-band error inside a 200 stream. Classify by type where the provider says one.
  if (type === "api_error" || type === "server_error" || type === "internal_server_error")
    return result("server_error");
  if (contentFilterPattern.test(signals)) return result("content_filter");
  if (type === "invalid_request_error") {
    return result(contextPattern.test(signals) ? "context_length" : "bad_request");
  }
  return result("server_error");
};

const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/** Walks an error's `cause` chain for a network error code such as ECONNREFUSED. */
export const findNetworkErrorCode = (error: unknown): string | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && connectionCodes.has(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const found = findNetworkErrorCode(inner);
        if (found) return found;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
};

const nameOf = (error: object): string[] => {
  const name = (error as { name?: unknown }).name;
  // openai-node's error classes leave `name` as "Error": read the class name too.
  return [typeof name === "string" ? name : "", error.constructor?.name ?? ""];
};
const abortNames = new Set(["AbortError", "APIUserAbortError", "RequestAbortedError"]);
const timeoutNames = new Set(["TimeoutError", "APIConnectionTimeoutError", "RequestTimeoutError"]);

/**
 * True when the error (or its cause chain) says the caller/engine aborted the request. An SDK
 * timeout whose cause is an AbortError is a timeout, not an abort: timeouts are checked first.
 */
export const isAbortLike = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    const names = nameOf(current);
    if (names.some((n) => timeoutNames.has(n))) return false;
    if (names.some((n) => abortNames.has(n))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};
