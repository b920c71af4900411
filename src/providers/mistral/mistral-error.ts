import type { FailureClass } from "../../errors/failure-class.js";
import {
  type AdapterError,
  convertSdkError,
  type ProviderHttpFailure,
  type SdkErrorReader,
} from "../shared/convert-sdk-error.js";
import { createProviderError, type ProviderErrorContext } from "../shared/create-provider-error.js";

/** Who failed, for the error, and the attempt's signal; see `ProviderErrorContext`. */
export type MistralErrorContext = ProviderErrorContext;

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
 * Where the Mistral SDK keeps what the shared order reads, by `name` and fields (never
 * `instanceof`: the SDK may be another copy): `SDKError { statusCode, body, headers }` for an HTTP
 * error — whose own message embeds the raw body, so only the parsed body is read —,
 * `ResponseValidationError` for a 2xx it could not read (its `rawValue` may be an error object a
 * gateway sent with 200), `RequestTimeoutError`, `ConnectionError`, `UnexpectedClientError`, a raw
 * `ZodError` for a stream chunk that is not valid, and `SDKValidationError` / the SDK's own
 * `InvalidRequestError` for a request it refused to send.
 */
const mistralErrorReader: SdkErrorReader = {
  timeoutNames: ["RequestTimeoutError"],
  connectionNames: ["ConnectionError", "UnexpectedClientError"],
  parseErrorNames: ["ResponseValidationError"],
  readRequestRejection: (error, names) =>
    names.includes("SDKValidationError") ||
    (names.includes("InvalidRequestError") && !("statusCode" in error))
      ? [`request: the Mistral SDK refused to send this request (${describeIssues(error.cause)})`]
      : undefined,
  readHttpFailure: (error, names) => {
    const statusCode = typeof error.statusCode === "number" ? error.statusCode : undefined;
    if (statusCode !== undefined && statusCode >= 400) return readHttpError(error, statusCode);
    // HTTP 200 whose body is an error object (some gateways), or an error object in the event
    // stream the adapter reads itself: classified like an in-band error.
    const inBand = readErrorBody(error.rawValue ?? error.inBandBody);
    if ((names.includes("ResponseValidationError") || "inBandBody" in error) && inBand) {
      return { status: undefined, ...inBand, providerCode: inBand.type ?? inBand.code };
    }
    // A 2xx the SDK could not read (a wrong content type): a garbage reply.
    if (statusCode !== undefined)
      return { status: statusCode, message: "malformed response from the provider" };
    return undefined;
  },
  refineClass: (failureClass: FailureClass, failure) => {
    // Mistral answers "no capacity for this model right now" with 429 service_tier_capacity_exceeded
    // (code 3505): an overload of the provider, not the caller's rate limit. A 5xx that says
    // "overloaded" is one too.
    if (
      failure.type === "service_tier_capacity_exceeded" ||
      String(failure.code) === "3505" ||
      (failureClass === "server_error" && /overloaded|capacity exceeded/i.test(failure.message ?? ""))
    ) {
      return "overloaded";
    }
    // A 400 from Mistral's moderation ("Prompt blocked by moderation") is a content filter.
    if (failureClass === "bad_request" && /\bmoderation\b/i.test(failure.message ?? ""))
      return "content_filter";
    return failureClass;
  },
};

/**
 * Turns whatever the Mistral SDK (or its stream) threw into an `AdapterError`, in the shared
 * unwrapping order (see `convertSdkError`). The SDK error is never kept as `cause` (HTTP errors
 * embed the whole response body in their message: HTML pages, or a 422 `detail` that echoes the
 * prompt); everything useful (status, code, sanitized message, request id, Retry-After) is on the
 * `ProviderError`.
 */
export const convertMistralError = (error: unknown, context: MistralErrorContext): AdapterError =>
  convertSdkError(error, context, mistralErrorReader);

/**
 * A stream event that is JSON but not a chat completion chunk: an error object the provider sent
 * inside the HTTP 200 stream (`{object:"error",message,type,code}`, `{error:{…}}`), classified by
 * its `type` and `code` as the same error with a status would be; anything else `invalid_response`.
 */
export const convertMistralInBandError = (body: unknown, context: MistralErrorContext): AdapterError =>
  readErrorBody(body) === undefined
    ? createProviderError(context, {
        failureClass: "invalid_response",
        message: "a stream event is not a chat completion chunk",
      })
    : convertSdkError({ inBandBody: body }, context, mistralErrorReader);

const readHttpError = (fields: Fields, status: number): ProviderHttpFailure => {
  const bodyText = typeof fields.body === "string" ? fields.body : undefined;
  const parsed = readErrorBody(parseJson(bodyText)) ?? {};
  const headers = fields.headers as Headers | undefined;
  return {
    status,
    headers,
    type: parsed.type,
    code: parsed.code,
    // Mistral's `type` names the error ("quota_exceeded"); its `code` is a number ("1301").
    providerCode: parsed.type ?? parsed.code,
    message: parsed.message,
    bodyText: parsed.message === undefined ? bodyText : undefined,
    requestId:
      headerOf(headers, "mistral-correlation-id") ?? headerOf(headers, "x-request-id") ?? parsed.requestId,
    fallbackRetryAfterMs: status === 429 ? readMistralRateLimitReset(headers) : undefined,
  };
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
