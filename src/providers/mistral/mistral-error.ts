import {
  type Classification,
  classifyHttpFailure,
  findNetworkErrorCode,
  isAbortLike,
} from "../../errors/classify-failure.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { isProviderError, ProviderError } from "../../errors/provider-error.js";
import { sanitizeMessage } from "../../errors/sanitize-message.js";

/** Who failed, for the error, and the attempt's signal (an aborted signal means "aborted", whatever the SDK says). */
export interface MistralErrorContext {
  provider: string;
  model: string;
  signal?: AbortSignal | undefined;
}

/** The fields of a Mistral error body we use: `{object:"error",message,type,param,code}`, `{message}` or `{detail}`. */
interface MistralErrorBody {
  message?: string | undefined;
  type?: string | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
}

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

/**
 * Turns whatever the Mistral SDK (or its stream) threw into a classified `ProviderError`.
 * Duck-typed on `name` and fields, never `instanceof` (the SDK may be another copy).
 *
 * The SDK error is kept as `cause` only for network, timeout and abort failures: HTTP errors embed
 * the response body in their message (HTML pages, or a 422 `detail` that echoes the prompt), and
 * everything useful from them (status, code, sanitized message, request id) is on the ProviderError.
 */
export const convertMistralError = (error: unknown, context: MistralErrorContext): ProviderError => {
  if (isProviderError(error)) return error;
  const { provider, model } = context;
  const make = (
    failureClass: FailureClass,
    message: string,
    extra: Partial<ProviderError> = {},
    cause?: unknown,
  ) => new ProviderError({ failureClass, provider, model, message, ...extra, cause });

  if (context.signal?.aborted || isAbortLike(error)) return make("aborted", "request aborted", {}, error);

  const fields: Fields = isObject(error) ? error : {};
  const name = str(fields.name);
  const statusCode = typeof fields.statusCode === "number" ? fields.statusCode : undefined;

  if (statusCode !== undefined && statusCode >= 400) return convertHttpError(fields, statusCode, context);

  if (name === "RequestTimeoutError" || hasTimeoutCause(error))
    return make("timeout", "request timed out", {}, error);

  const networkCode = findNetworkErrorCode(error);
  if (networkCode) return make("connection", `connection failed (${networkCode})`, {}, error);
  if (name === "ConnectionError") return make("connection", "connection failed", {}, error);

  // HTTP 200 whose body is an error object (some gateways): classify it like an in-band error.
  const inBand = readErrorBody(fields.rawValue);
  if (name === "ResponseValidationError" && inBand) {
    return fromClassification(classifyHttpFailure({ status: undefined, ...inBand }), inBand, context);
  }
  if (statusCode !== undefined || name === "ResponseValidationError") {
    // A 2xx the SDK could not read: wrong content type, or a body that fails its schema.
    return make("invalid_response", "malformed response from the provider", { status: statusCode });
  }
  if (Array.isArray(fields.issues) || name === "ZodError" || name === "SyntaxError") {
    // A raw ZodError is what the SDK's stream throws for a data line that is not a valid chunk.
    return make("invalid_response", "malformed response from the provider");
  }
  if (name === "SDKValidationError" || name === "InvalidRequestError") {
    // Rejected by the SDK before sending: the request (e.g. an `extra` value) does not fit its schema.
    return make("bad_request", `the Mistral SDK rejected the request (${describeIssues(fields.cause)})`);
  }
  if (name === "UnexpectedClientError") return make("connection", "HTTP client failure", {}, error);
  return make("server_error", sanitizeMessage(fields.message), {}, error);
};

const convertHttpError = (fields: Fields, status: number, context: MistralErrorContext): ProviderError => {
  const bodyText = typeof fields.body === "string" ? fields.body : undefined;
  // Never the SDK error's own message: it embeds the whole body (HTML pages included).
  const parsed = readErrorBody(parseJson(bodyText)) ?? {};
  const headers = fields.headers as Headers | undefined;
  const classification = classifyHttpFailure({
    status,
    headers,
    type: parsed.type,
    code: parsed.code,
    message: parsed.message,
    bodyText: parsed.message === undefined ? bodyText : undefined,
  });
  const requestId =
    headerOf(headers, "mistral-correlation-id") ?? headerOf(headers, "x-request-id") ?? parsed.requestId;
  return fromClassification(
    {
      ...classification,
      retryAfterMs:
        classification.retryAfterMs ?? (status === 429 ? readMistralRateLimitReset(headers) : undefined),
    },
    { ...parsed, requestId },
    context,
    status,
  );
};

const fromClassification = (
  classification: Classification,
  body: MistralErrorBody,
  context: MistralErrorContext,
  status?: number,
): ProviderError => {
  // Mistral answers "no capacity for this model right now" with 429 service_tier_capacity_exceeded
  // (code 3505): an overload of the provider, not the caller's rate limit. A 5xx that says
  // "overloaded" is one too.
  const overloaded =
    body.type === "service_tier_capacity_exceeded" ||
    body.code === "3505" ||
    (classification.failureClass === "server_error" &&
      /overloaded|capacity exceeded/i.test(body.message ?? ""));
  // A 400 from Mistral's moderation ("Prompt blocked by moderation") is a content filter.
  const moderated =
    classification.failureClass === "bad_request" && /\bmoderation\b/i.test(body.message ?? "");
  return new ProviderError({
    failureClass: overloaded ? "overloaded" : moderated ? "content_filter" : classification.failureClass,
    provider: context.provider,
    model: context.model,
    message: classification.message,
    status,
    providerCode: body.type ?? body.code,
    retryAfterMs: classification.retryAfterMs,
    requestId: body.requestId,
  });
};

/** Reads `{object:"error",message,type,code}`, `{message}`, `{detail}` (string or pydantic list) or `{error:{…}}`. */
const readErrorBody = (value: unknown): MistralErrorBody | undefined => {
  if (!isObject(value)) return undefined;
  if (isObject(value.error)) return readErrorBody(value.error);
  const requestId = str(value.request_id);
  const type = str(value.type);
  const code = str(value.code);
  let message = str(value.message);
  if (message === undefined && typeof value.detail === "string") message = value.detail;
  if (message === undefined && Array.isArray(value.detail)) message = describeDetail(value.detail);
  if (message === undefined && type === undefined && code === undefined) return undefined;
  return { message, type, code, requestId };
};

/** A pydantic 422 `detail` list: `loc: msg` only — its `input` field echoes the request (the prompt). */
const describeDetail = (detail: unknown[]): string =>
  detail
    .slice(0, 3)
    .map((item) => {
      if (!isObject(item)) return "invalid request";
      const loc = Array.isArray(item.loc) ? item.loc.map(String).join(".") : "";
      const msg = str(item.msg) ?? "invalid";
      return loc ? `${loc}: ${msg}` : msg;
    })
    .join("; ");

/** The paths of a zod error's issues (never their messages' values). */
const describeIssues = (cause: unknown): string => {
  const issues = isObject(cause) && Array.isArray(cause.issues) ? cause.issues : [];
  const paths = issues
    .slice(0, 3)
    .map((issue) => (isObject(issue) && Array.isArray(issue.path) ? issue.path.map(String).join(".") : ""))
    .filter(Boolean);
  return paths.length > 0 ? `invalid: ${paths.join(", ")}` : "invalid request";
};

const parseJson = (text: string | undefined): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const headerOf = (headers: Headers | undefined, name: string): string | undefined =>
  typeof headers?.get === "function" ? (headers.get(name) ?? undefined) : undefined;

/**
 * Mistral's gateway (Kong) may send `ratelimitbysize-reset` / `ratelimit-reset`: seconds until the
 * spent window refills. Used only when no `retry-after` (which the gateway also sends) was given.
 */
const readMistralRateLimitReset = (headers: Headers | undefined): number | undefined => {
  for (const name of ["ratelimitbysize-reset", "ratelimit-reset"]) {
    const value = headerOf(headers, name)?.trim();
    if (value && /^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  }
  return undefined;
};

/** A timeout surfacing mid-stream is a raw `TimeoutError` DOMException (from `AbortSignal.timeout`). */
const hasTimeoutCause = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isObject(current); depth++) {
    if (current.name === "TimeoutError") return true;
    current = current.cause;
  }
  return false;
};

/**
 * A finish reason that is not a success: `error` (how Mistral reports a failure after HTTP 200,
 * stream or not) → server_error; `content_filter` (not in Mistral's enum today, but sent by
 * moderation-enabled deployments and gateways) → content_filter. Undefined for any other reason.
 */
export const createMistralFinishError = (
  raw: string | null | undefined,
  context: MistralErrorContext,
): ProviderError | undefined => {
  if (raw === "error") {
    return new ProviderError({
      failureClass: "server_error",
      provider: context.provider,
      model: context.model,
      message: "the provider ended the reply with finish_reason error",
      providerCode: "error",
    });
  }
  if (raw === "content_filter") {
    return new ProviderError({
      failureClass: "content_filter",
      provider: context.provider,
      model: context.model,
      message: "the reply was stopped by the provider's content filter",
      providerCode: "content_filter",
    });
  }
  return undefined;
};
