import { classifyHttpFailure, findNetworkErrorCode, isAbortLike } from "../../errors/classify-failure.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { isProviderError, ProviderError } from "../../errors/provider-error.js";
import { sanitizeMessage } from "../../errors/sanitize-message.js";
import { getContentFilterCategories } from "./get-content-filter-categories.js";

/** Who failed: names the provider and model in the error. */
export interface OpenAIErrorContext {
  provider: string;
  model: string;
  /** The attempt's signal: once it is aborted, any failure is an abort (the engine knows why). */
  signal?: AbortSignal | undefined;
}

/** What an openai-node `APIError` carries, read by duck typing (never `instanceof`). */
interface ApiErrorLike {
  status?: unknown;
  headers?: unknown;
  error?: unknown;
  message?: unknown;
  requestID?: unknown;
}

/** The class names openai-node gives its errors (it does not set `name`, so read the constructor). */
const sdkErrorName = (error: unknown): string | undefined => {
  let proto = typeof error === "object" && error !== null ? Object.getPrototypeOf(error) : null;
  // Walk up so a subclass (e.g. a user's wrapper) still matches; stop at Error.
  for (let depth = 0; proto && proto !== Error.prototype && depth < 4; depth++) {
    const name = (proto.constructor as { name?: unknown } | undefined)?.name;
    if (
      name === "APIUserAbortError" ||
      name === "APIConnectionTimeoutError" ||
      name === "APIConnectionError"
    ) {
      return name;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
};

const urlPattern = /\bhttps?:\/\/\S+/g;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const asString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

const isHeaders = (value: unknown): value is Headers =>
  typeof value === "object" && value !== null && typeof (value as Headers).get === "function";

/**
 * Converts anything the openai SDK (or our stream reader) throws into a classified `ProviderError`:
 * - the attempt's signal aborted, an `AbortError`, `APIUserAbortError` → `aborted`;
 * - `APIConnectionTimeoutError` → `timeout`;
 * - `APIConnectionError` / a network code (ECONNREFUSED, ECONNRESET, …) in the `cause` chain → `connection`;
 * - `SyntaxError` (a body or SSE frame that is not JSON) → `invalid_response`;
 * - an `APIError` with a status → the shared HTTP table (`classifyHttpFailure`) fed with its status,
 *   headers (Retry-After & co.), the body's `type` / `code` / `message`, or the raw text of a
 *   non-JSON body (HTML pages are never copied); Azure content-filter categories are attached;
 * - an `APIError` without a status (an error frame inside a 200 stream) → classified by its `type`.
 * Messages are sanitized: no key, no HTML, no request text.
 */
export const convertOpenAIError = (error: unknown, context: OpenAIErrorContext): ProviderError => {
  if (isProviderError(error)) return error;
  const make = (failureClass: FailureClass, message: string, extra: Partial<ProviderErrorFields> = {}) =>
    new ProviderError({
      failureClass,
      provider: context.provider,
      model: context.model,
      message,
      cause: error,
      ...extra,
    });

  const name = sdkErrorName(error);
  if (context.signal?.aborted || name === "APIUserAbortError") return make("aborted", "request aborted");
  // Before isAbortLike: the SDK's timeout error carries the AbortError of its own timer as `cause`.
  if (name === "APIConnectionTimeoutError") return make("timeout", "request timed out");
  if (isAbortLike(error)) return make("aborted", "request aborted");
  const networkCode = findNetworkErrorCode(error);
  if (networkCode !== undefined) return make("connection", `connection failed (${networkCode})`);
  if (name === "APIConnectionError") return make("connection", "connection failed");
  if (error instanceof SyntaxError) return make("invalid_response", "the response is not valid JSON");

  const apiError = asRecord(error) as ApiErrorLike | undefined;
  const status = typeof apiError?.status === "number" ? apiError.status : undefined;
  const looksLikeApiError = apiError !== undefined && ("status" in apiError || "error" in apiError);
  if (!looksLikeApiError) {
    const kind = error instanceof Error ? error.constructor.name : typeof error;
    return make("invalid_response", `unexpected ${kind} while reading the response`);
  }

  const body = asRecord(apiError.error);
  const bodyMessage =
    asString(body?.message) ?? (typeof apiError.error === "string" ? apiError.error : undefined);
  const innerError = asRecord(body?.innererror);
  const headers = isHeaders(apiError.headers) ? apiError.headers : undefined;
  const classification = classifyHttpFailure({
    status,
    headers,
    type: asString(body?.type),
    code: asString(body?.code) ?? asString(innerError?.code),
    // Links carry no signal and can mislead the keyword table: Azure's ordinary 429 message links
    // to "aka.ms/oai/quotaincrease", which is not a quota failure.
    message: bodyMessage?.replace(urlPattern, "(link)"),
    // No JSON body: the SDK put the raw text (an HTML page, a proxy's plain text) in its message.
    bodyText: bodyMessage === undefined ? stripStatus(asString(apiError.message), status) : undefined,
  });
  const requestId = asString(apiError.requestID) ?? headers?.get("apim-request-id") ?? undefined;
  const failureClass = isUsagePolicyFlag(classification.failureClass, body)
    ? "content_filter"
    : classification.failureClass;
  const message = bodyMessage !== undefined ? sanitizeMessage(bodyMessage) : classification.message;
  return make(failureClass, message, {
    status,
    providerCode: classification.providerCode,
    retryAfterMs: classification.retryAfterMs,
    requestId,
    contentFilterCategories:
      failureClass === "content_filter"
        ? getContentFilterCategories(innerError?.content_filter_result ?? innerError?.content_filter_results)
        : undefined,
  });
};

/**
 * OpenAI rejects a prompt its moderation flags with 400 `invalid_prompt` ("your prompt was flagged
 * as potentially violating our usage policy"): a content filter, not a malformed request.
 */
const isUsagePolicyFlag = (failureClass: FailureClass, body: Record<string, unknown> | undefined): boolean =>
  failureClass === "bad_request" &&
  body?.code === "invalid_prompt" &&
  /flagged|usage polic|safety/i.test(asString(body.message) ?? "");

type ProviderErrorFields = Pick<
  ProviderError,
  "status" | "providerCode" | "retryAfterMs" | "requestId" | "contentFilterCategories"
>;

/** openai-node prefixes the status to the body text ("502 <html>…"): keep the body only. */
const stripStatus = (message: string | undefined, status: number | undefined): string | undefined => {
  if (message === undefined || status === undefined) return message;
  const prefix = `${status} `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return text === "status code (no body)" ? undefined : text;
};

/**
 * Converts an error object a provider sent inside an HTTP 200 (an SSE `error` frame, or an error
 * body some OpenAI-compatible gateways return as a "completion") — classified by its `type`/`code`.
 */
export const convertOpenAIInBandError = (errorBody: unknown, context: OpenAIErrorContext): ProviderError =>
  convertOpenAIError(
    Object.assign(new Error("error inside a successful response"), { status: undefined, error: errorBody }),
    context,
  );
