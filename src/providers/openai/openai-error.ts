import type { FailureClass } from "../../errors/failure-class.js";
import type { ProviderError } from "../../errors/provider-error.js";
import { type AdapterError, convertSdkError, type SdkErrorReader } from "../shared/convert-sdk-error.js";
import type { ProviderErrorContext } from "../shared/create-provider-error.js";
import { getContentFilterCategories } from "./get-content-filter-categories.js";

/** Who failed: names the provider and model in the error; see `ProviderErrorContext`. */
export type OpenAIErrorContext = ProviderErrorContext;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const asString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

const isHeaders = (value: unknown): value is Headers =>
  typeof value === "object" && value !== null && typeof (value as Headers).get === "function";

/** openai-node prefixes the status to the body text ("502 <html>…"): keep the body only. */
const stripStatus = (message: string | undefined, status: number | undefined): string | undefined => {
  if (message === undefined || status === undefined) return message;
  const prefix = `${status} `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return text === "status code (no body)" ? undefined : text;
};

/**
 * Where openai-node (6 and 7) keeps what the shared order reads: `APIError { status, headers,
 * error, requestID }` — `error` is the body's `error` object (`{message, type, param, code}`,
 * Azure's `innererror` with content-filter categories), or a string from a compatible server —,
 * `APIConnectionError` / `APIConnectionTimeoutError`, and an `APIError` without a status for an
 * error inside a 200 stream. Azure's request id is `apim-request-id`.
 */
const openAIErrorReader: SdkErrorReader = {
  timeoutNames: ["APIConnectionTimeoutError"],
  connectionNames: ["APIConnectionError"],
  readHttpFailure: (error) => {
    if (!("status" in error) && !("error" in error)) return undefined;
    const status = typeof error.status === "number" ? error.status : undefined;
    const body = asRecord(error.error);
    const bodyMessage =
      asString(body?.message) ?? (typeof error.error === "string" ? error.error : undefined);
    const innerError = asRecord(body?.innererror);
    const headers = isHeaders(error.headers) ? error.headers : undefined;
    return {
      status,
      headers,
      type: asString(body?.type),
      code: asString(body?.code) ?? asString(innerError?.code),
      message: bodyMessage,
      // No JSON body: the SDK put the raw text (an HTML page, a proxy's plain text) in its message.
      bodyText: bodyMessage === undefined ? stripStatus(asString(error.message), status) : undefined,
      requestId: asString(error.requestID) ?? headers?.get("apim-request-id") ?? undefined,
      contentFilterCategories: getContentFilterCategories(
        innerError?.content_filter_result ?? innerError?.content_filter_results,
      ),
    };
  },
  // OpenAI rejects a prompt its moderation flags with 400 `invalid_prompt` ("your prompt was flagged
  // as potentially violating our usage policy"): a content filter, not a malformed request.
  refineClass: (failureClass: FailureClass, failure) =>
    failureClass === "bad_request" &&
    failure.code === "invalid_prompt" &&
    /flagged|usage polic|safety/i.test(failure.message ?? "")
      ? "content_filter"
      : failureClass,
};

/**
 * Converts anything the openai SDK (or our stream reader) throws into an `AdapterError`, in the
 * shared unwrapping order (see `convertSdkError`): aborts, timeouts, connection failures, HTTP
 * errors through the shared table (Retry-After & co., Azure content-filter categories), in-band
 * errors by their code and type, malformed bodies. The SDK error is never kept as `cause`.
 */
export const convertOpenAIError = (error: unknown, context: OpenAIErrorContext): AdapterError =>
  convertSdkError(error, context, openAIErrorReader);

/**
 * Converts an error object a provider sent inside an HTTP 200 (an SSE `error` frame, or an error
 * body some OpenAI-compatible gateways return as a "completion") — classified by its `code` and
 * `type` exactly as the same error with a status would be.
 */
export const convertOpenAIInBandError = (errorBody: unknown, context: OpenAIErrorContext): ProviderError =>
  convertSdkError({ status: undefined, error: errorBody }, context, openAIErrorReader) as ProviderError;
