import { classifyHttpFailure, findNetworkErrorCode, isAbortLike } from "../../errors/classify-failure.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { isInvalidRequestError } from "../../errors/invalid-request-error.js";
import { isProviderError, ProviderError } from "../../errors/provider-error.js";
import { sanitizeMessage } from "../../errors/sanitize-message.js";

/** Which provider and model an error belongs to. */
export interface AnthropicErrorContext {
  provider: string;
  model: string;
}

/** The fields of the SDK's `APIError` we read, by duck typing (never `instanceof`). */
interface ApiErrorLike {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  headers?: unknown;
  /** The parsed JSON error body, `undefined` when the body was not JSON (an HTML page). */
  error?: unknown;
  /** `error.type` of the body (or of an in-band `event: error`). */
  type?: unknown;
  /** `error.details.error_code` of the body, e.g. `contract_spend_limit_reached`. */
  errorCode?: unknown;
  apiMessage?: unknown;
  requestID?: unknown;
}

const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;

/**
 * Turns whatever the Anthropic SDK (or the adapter itself) threw into a classified `ProviderError`.
 *
 * - an HTTP error (`status`), or an in-band stream error (`event: error`: `status` undefined, the
 *   error `type` in its body) → `classifyHttpFailure` on status, headers, `type`, `errorCode`
 *   (`details.error_code`, e.g. a 429 `contract_spend_limit_reached` is a quota), message, and the
 *   raw body when it was not JSON (an HTML page from a CDN becomes "HTML error page");
 * - the caller's / engine's abort (`APIUserAbortError`, `AbortError`) → aborted;
 * - the SDK's own timeout (`APIConnectionTimeoutError`) → timeout;
 * - refused, reset, DNS failures (`APIConnectionError` and network codes) → connection;
 * - a body that is not JSON or not a Message (`SyntaxError`, an SDK parse error) → invalid_response.
 */
export const convertAnthropicError = (error: unknown, context: AnthropicErrorContext): ProviderError => {
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

  if (isInvalidRequestError(error)) return make("bad_request", error.issues.join("; "));
  if (isAbortLike(error)) return make("aborted", "request aborted");

  const api = (asRecord(error) ?? {}) as ApiErrorLike;
  const name = asString(api.name);
  if (name === "APIConnectionTimeoutError") return make("timeout", "request timed out (SDK timeout)");

  const status = typeof api.status === "number" ? api.status : undefined;
  const type = asString(api.type) ?? inBodyError(api.error)?.type;
  // A bare `APIError` without status or type is an in-band stream error with an unusual body.
  if (status !== undefined || type !== undefined || name === "APIError") {
    return fromHttpError(api, status, type, make);
  }

  const networkCode = findNetworkErrorCode(error);
  if (networkCode !== undefined) return make("connection", `connection failed (${networkCode})`);
  if (name === "APIConnectionError") return make("connection", "connection failed");
  if (name === "SyntaxError") return make("invalid_response", "response is not valid JSON");
  if (name === "TypeError" && /terminated|fetch failed|socket/i.test(asString(api.message) ?? "")) {
    return make("connection", "connection failed");
  }
  if (/authentication method|api ?key|auth ?token|credential/i.test(asString(api.message) ?? "")) {
    return make("auth", "no usable Anthropic credentials (set apiKey / authToken or ANTHROPIC_API_KEY)");
  }
  return make("invalid_response", sanitizeMessage(asString(api.message)));
};

type ProviderErrorFields = Pick<ProviderError, "status" | "providerCode" | "retryAfterMs" | "requestId">;
type Make = (
  failureClass: FailureClass,
  message: string,
  extra?: Partial<ProviderErrorFields>,
) => ProviderError;

const contentFilteringPattern = /content filtering policy|blocked by content filter/i;

/** `{ type: "error", error: { type, message } }` (Anthropic) or a bare `{ type, message }` / `{ message }`. */
const inBodyError = (body: unknown): { type?: string; message?: string; code?: string } | undefined => {
  const record = asRecord(body);
  if (record === undefined) return undefined;
  const inner = asRecord(record.error);
  if (inner !== undefined) {
    return {
      type: asString(inner.type),
      message: asString(inner.message),
      code: asString(asRecord(inner.details)?.error_code) ?? asString(inner.code),
    };
  }
  return {
    type: record.type === "error" ? undefined : asString(record.type),
    message: asString(record.message) ?? asString(record.error),
    code: asString(record.code),
  };
};

const fromHttpError = (
  api: ApiErrorLike,
  status: number | undefined,
  type: string | undefined,
  make: Make,
) => {
  const body = inBodyError(api.error);
  // Without a JSON body the SDK puts the raw text in the message, after the status.
  const bodyText =
    api.error === undefined || api.error === null
      ? asString(api.message)?.replace(/^\d{3}\s/, "")
      : undefined;
  const classification = classifyHttpFailure({
    status,
    headers: api.headers as Headers | undefined,
    type,
    code: asString(api.errorCode) ?? body?.code,
    message: asString(api.apiMessage) ?? body?.message,
    bodyText,
  });
  // Anthropic words its output filter "Output blocked by content filtering policy" (a 400
  // invalid_request_error), which the shared content-filter pattern does not match.
  const failureClass =
    classification.failureClass === "bad_request" && contentFilteringPattern.test(classification.message)
      ? "content_filter"
      : classification.failureClass;
  return make(failureClass, classification.message, {
    status,
    providerCode: classification.providerCode,
    retryAfterMs: classification.retryAfterMs,
    requestId: asString(api.requestID),
  });
};

/** The refusal details Anthropic sends with `stop_reason: "refusal"`. */
export interface AnthropicStopDetails {
  category?: string | null;
  explanation?: string | null;
}

/**
 * A stop reason that is a failure, not a finish: `refusal` (the safety system stopped the output)
 * → content_filter with its category; `model_context_window_exceeded` (input plus output filled the
 * model's window) → context_length, so the engine may move to a model with a larger window.
 * Returns undefined for every other stop reason.
 */
export const convertAnthropicStopFailure = (
  stopReason: string | null | undefined,
  stopDetails: AnthropicStopDetails | null | undefined,
  context: AnthropicErrorContext,
): ProviderError | undefined => {
  if (stopReason === "refusal") {
    const category = asString(stopDetails?.category);
    const explanation = asString(stopDetails?.explanation);
    return new ProviderError({
      failureClass: "content_filter",
      provider: context.provider,
      model: context.model,
      message: `the model refused (stop_reason refusal${category ? `, category ${category}` : ""})${
        explanation ? `: ${sanitizeMessage(explanation)}` : ""
      }`,
      providerCode: "refusal",
      contentFilterCategories: category ? [category] : [],
    });
  }
  if (stopReason === "model_context_window_exceeded") {
    return new ProviderError({
      failureClass: "context_length",
      provider: context.provider,
      model: context.model,
      message: "the model's context window was filled before the answer was complete",
      providerCode: "model_context_window_exceeded",
    });
  }
  return undefined;
};
