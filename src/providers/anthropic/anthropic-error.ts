import type { FailureClass } from "../../errors/failure-class.js";
import type { ProviderError } from "../../errors/provider-error.js";
import { type AdapterError, convertSdkError, type SdkErrorReader } from "../shared/convert-sdk-error.js";
import { createProviderError, type ProviderErrorContext } from "../shared/create-provider-error.js";

/** Which provider and model an error belongs to; see `ProviderErrorContext`. */
export type AnthropicErrorContext = ProviderErrorContext;

const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;

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

const contentFilteringPattern = /content filtering policy|blocked by content filter/i;

/**
 * Where the Anthropic SDK keeps what the shared order reads: `APIError { status, headers, error,
 * type, errorCode, apiMessage, requestID }` (`errorCode` is `details.error_code`, e.g. a 429
 * `contract_spend_limit_reached`, which is a quota); an in-band `event: error` is an `APIError`
 * without a status but with its `type`; a body without JSON leaves its raw text in `message`.
 */
const anthropicErrorReader: SdkErrorReader = {
  timeoutNames: ["APIConnectionTimeoutError"],
  connectionNames: ["APIConnectionError"],
  readHttpFailure: (error, names) => {
    const status = typeof error.status === "number" ? error.status : undefined;
    const body = inBodyError(error.error);
    const type = asString(error.type) ?? body?.type;
    // A bare `APIError` without status or type is an in-band stream error with an unusual body.
    if (status === undefined && type === undefined && !names.includes("APIError")) return undefined;
    return {
      status,
      headers: asRecord(error.headers) as Headers | undefined,
      type,
      code: asString(error.errorCode) ?? body?.code,
      message: asString(error.apiMessage) ?? body?.message,
      // Without a JSON body the SDK puts the raw text in the message, after the status.
      bodyText:
        error.error === undefined || error.error === null
          ? asString(error.message)?.replace(/^\d{3}\s/, "")
          : undefined,
      requestId: asString(error.requestID),
    };
  },
  // Anthropic words its output filter "Output blocked by content filtering policy" (a 400
  // invalid_request_error), which the shared content-filter pattern does not match.
  refineClass: (failureClass: FailureClass, failure) =>
    failureClass === "bad_request" && contentFilteringPattern.test(failure.message ?? "")
      ? "content_filter"
      : failureClass,
  // The SDK found no credentials before sending ("Could not resolve authentication method").
  classifyOther: (error) =>
    /authentication method|api ?key|auth ?token|credential/i.test(asString(error.message) ?? "")
      ? {
          failureClass: "auth",
          message: "no usable Anthropic credentials (set apiKey / authToken or ANTHROPIC_API_KEY)",
        }
      : undefined,
};

/**
 * Turns whatever the Anthropic SDK (or the adapter itself) threw into an `AdapterError`, in the
 * shared unwrapping order (see `convertSdkError`): HTTP errors and in-band `event: error`s (a 529
 * or a mid-stream `overloaded_error` is `overloaded`) through the shared table on status,
 * headers, `type`, `errorCode` and message; an HTML page from a CDN becomes "HTML error page";
 * aborts, the SDK's own timeout, connection failures and malformed bodies by kind. The SDK error
 * is never kept as `cause`.
 */
export const convertAnthropicError = (error: unknown, context: AnthropicErrorContext): AdapterError =>
  convertSdkError(error, context, anthropicErrorReader);

/** An error object Anthropic (or a proxy) sent as a 200 body or a plain stream event: classed by its `type`. */
export const convertAnthropicInBandError = (body: unknown, context: AnthropicErrorContext): ProviderError =>
  convertSdkError({ error: body }, context, anthropicErrorReader) as ProviderError;

/**
 * A stream's `event: error` (its data as sent: JSON, else raw text), classed as the SDK's in-band
 * `APIError` for it is (no status; its `type`, `requestID` from the response's `request-id`): by
 * the error's `type` (`overloaded_error` → overloaded), a server_error when it has none.
 */
export const convertAnthropicErrorEvent = (
  data: string,
  context: AnthropicErrorContext,
  requestId?: string | null,
): ProviderError => {
  let body: unknown = data;
  try {
    body = JSON.parse(data);
  } catch {
    // Kept as text, as the SDK keeps it.
  }
  const error = { name: "APIError", error: body, requestID: requestId ?? undefined };
  return convertSdkError(error, context, anthropicErrorReader) as ProviderError;
};

/**
 * A stop reason that is a failure, not a finish: `model_context_window_exceeded` (input plus output
 * filled the model's window) → context_length, so the engine may move to a model with a larger
 * window. Undefined for every other stop reason — a `refusal` is an answer (see `refusal`).
 */
export const convertAnthropicStopFailure = (
  stopReason: string | null | undefined,
  context: AnthropicErrorContext,
): ProviderError | undefined => {
  if (stopReason === "model_context_window_exceeded") {
    return createProviderError(context, {
      failureClass: "context_length",
      message: "the model's context window was filled before the answer was complete",
      providerCode: "model_context_window_exceeded",
    });
  }
  return undefined;
};

/** The refusal details Anthropic sends with `stop_reason: "refusal"`. */
export interface AnthropicStopDetails {
  category?: string | null;
  explanation?: string | null;
}

/**
 * The refusal text of a `stop_reason: "refusal"`: Anthropic's own explanation when it gives one,
 * else a short statement naming the policy category. Never empty, so `if (result.refusal)` holds.
 */
export const describeAnthropicRefusal = (details: AnthropicStopDetails | null | undefined): string => {
  const explanation = asString(details?.explanation)?.trim();
  if (explanation) return explanation;
  const category = asString(details?.category);
  return `The model declined to answer${category ? ` (policy category: ${category})` : ""}.`;
};
