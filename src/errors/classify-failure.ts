import type { FailureClass } from "./failure-class.js";
import { parseRetryAfter } from "./retry-after.js";
import { sanitizeMessage } from "./sanitize-message.js";

/** What an adapter extracted from an HTTP error, whatever its SDK called the fields. */
export interface HttpFailure {
  /** HTTP status; `undefined` for an error sent inside a successful response (an in-band error). */
  status: number | undefined;
  headers?: Headers | Record<string, string | string[] | null | undefined> | undefined;
  /** Provider error type, e.g. "rate_limit_error", "overloaded_error", "invalid_request_error". */
  type?: string | null | undefined;
  /** Provider error code, e.g. "insufficient_quota", "context_length_exceeded", "content_filter", 402. */
  code?: string | number | null | undefined;
  /** Provider error message (sanitized before use). */
  message?: string | null | undefined;
  /** Raw body text when the provider did not send JSON (HTML pages). */
  bodyText?: string | undefined;
  /** Credentials the provider was configured with: redacted from the message whatever their shape. */
  secrets?: readonly string[] | undefined;
}

export interface Classification {
  failureClass: FailureClass;
  message: string;
  retryAfterMs: number | undefined;
  providerCode: string | undefined;
}

const quotaPattern =
  /insufficient_quota|quota|spend_limit|spend(ing)? limit|billing|credit balance|insufficient (credits|balance|funds)|exceeded your current/i;
const contextPattern =
  /context_length_exceeded|context length|context window|prompt is too long|too many tokens|maximum context|input is too long|string_above_max_length.*messages/i;
const contentFilterPattern =
  /content_filter|content filtering|content management policy|ResponsibleAIPolicyViolation|moderation|invalid_prompt|violating our usage policy/i;
const rateLimitPattern = /rate.?limit|too many requests/i;

/**
 * The HTTP status an in-band error's `type` or `code` stands for, so that one signal means the same
 * thing whether it came as a status line or inside a 200: Anthropic's error types (documented with
 * their statuses), OpenAI's types and codes (`insufficient_quota`, `rate_limit_exceeded`, the
 * `requests` / `tokens` rate-limit types) and the generic ones gateways use.
 */
const inBandStatus: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  invalid_api_key: 401,
  billing_error: 402,
  payment_required: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  rate_limited: 429,
  insufficient_quota: 429,
  requests: 429,
  tokens: 429,
  api_error: 500,
  server_error: 500,
  internal_server_error: 500,
  internal_error: 500,
  service_unavailable: 503,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * The status an in-band error stands for: a numeric `code` in 400–599 (OpenRouter and other
 * gateways put the upstream status there, `{"code": 402}`), else its `code` or `type` in the table
 * above. Undefined when neither says.
 */
const statusOfInBandError = (code: string | undefined, type: string | undefined): number | undefined => {
  if (code !== undefined && /^[45]\d\d$/.test(code)) return Number(code);
  return (
    (code !== undefined ? inBandStatus[code] : undefined) ??
    (type !== undefined ? inBandStatus[type] : undefined)
  );
};

/**
 * Classes an HTTP error response, or an error sent inside a successful one. One table for every
 * provider: adapters only extract fields. An in-band error (no status) is classed by the status its
 * code or type stands for, so a 402 / `insufficient_quota` / `rate_limit_exceeded` inside a 200
 * stream is a quota / rate limit exactly as it would be as a status line.
 */
export const classifyHttpFailure = (failure: HttpFailure): Classification => {
  const code = failure.code === null || failure.code === undefined ? undefined : String(failure.code);
  const type = failure.type ?? undefined;
  const status = failure.status ?? statusOfInBandError(code, type);
  const inBand = failure.status === undefined;
  // URLs in messages (help links) must not decide the class.
  const signals = [code, type, failure.message]
    .filter(Boolean)
    .join(" ")
    .replace(/https?:\/\/\S+/g, "");
  const isHtml = failure.bodyText !== undefined && /<\s*(!doctype|html)\b/i.test(failure.bodyText);
  const message = isHtml
    ? "HTML error page"
    : sanitizeMessage(failure.message ?? failure.bodyText, failure.secrets);
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
  if (status !== undefined) {
    if (contentFilterPattern.test(signals)) return result("content_filter");
    if (status === 413 || contextPattern.test(signals)) return result("context_length");
    return result("bad_request");
  }
  // An in-band error whose code and type say nothing we know: read what its words say.
  if (inBand && contentFilterPattern.test(signals)) return result("content_filter");
  if (inBand && contextPattern.test(signals)) return result("context_length");
  if (inBand && quotaPattern.test(signals)) return result("quota");
  if (inBand && rateLimitPattern.test(signals)) return result("rate_limited");
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
