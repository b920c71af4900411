import { classifyHttpFailure, findNetworkErrorCode, isAbortLike } from "../../errors/classify-failure.js";
import type { FailureClass } from "../../errors/failure-class.js";
import { isInvalidRequestError } from "../../errors/invalid-request-error.js";
import { isProviderError, ProviderError, type ProviderErrorInit } from "../../errors/provider-error.js";
import { sanitizeMessage } from "../../errors/sanitize-message.js";
import { getContentFilterCategories } from "../openai/get-content-filter-categories.js";
import { readGoogleRpcError } from "./read-google-rpc-error.js";

/** Which provider and model failed, and the attempt's signal (aborted means "aborted", whatever was thrown). */
export interface AiSdkErrorContext {
  provider: string;
  model: string;
  signal?: AbortSignal | undefined;
}

type Fields = Record<string, unknown>;
type Extra = Omit<ProviderErrorInit, "failureClass" | "provider" | "model" | "message">;

const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

const apiCallErrorMarker = Symbol.for("vercel.ai.error.AI_APICallError");
const streamErrorMarker = Symbol.for("vercel.ai.providerStreamError");
const isApiCallError = (error: Fields): boolean =>
  error[apiCallErrorMarker as unknown as string] === true || error.name === "AI_APICallError";

const malformedNames = new Set(["AI_JSONParseError", "AI_TypeValidationError", "SyntaxError", "ZodError"]);
const requestNames = new Set([
  "AI_UnsupportedFunctionalityError",
  "AI_InvalidPromptError",
  "AI_InvalidArgumentError",
]);
const credentialNames = new Set(["AI_LoadAPIKeyError", "AI_LoadSettingError"]);

/**
 * Turns whatever an AI SDK model threw, or put in an `error` stream part, into a classified
 * `ProviderError`. Duck-typed (never `instanceof`: the model may use another copy of the SDK).
 *
 * - `APICallError` with a status: its status, response headers (Retry-After & co.) and parsed body
 *   (`data`, or the body text when it was not JSON, for HTML pages) go through the shared HTTP
 *   table, with the providers' own signals on top: Google's `google.rpc` status (a
 *   `RESOURCE_EXHAUSTED` with `RetryInfo` is a rate limit with that wait, one that names billing
 *   without it a quota; `API_KEY_INVALID` in a 400 is auth; `UNAVAILABLE` "overloaded" is an
 *   overload; "input token count … exceeds" a context length), OpenAI's `invalid_prompt` flag,
 *   Anthropic's "content filtering policy", Azure's filter categories;
 * - an `APICallError` without a status (cannot connect), or whose cause chain holds a network
 *   code (a body cut mid-way) → connection; with a 2xx ("failed to process successful response")
 *   → invalid_response, or the error object a gateway sent with HTTP 200;
 * - a stream's in-band error (a provider stream error, or an `APICallError` read from a
 *   `text/event-stream` response) is classified the same way but reports no HTTP status: it came
 *   inside a 200;
 * - JSON / schema failures → invalid_response; missing credentials → auth; a prompt or setting
 *   the model rejects before sending (`UnsupportedFunctionalityError`…) → bad_request; network
 *   codes in the cause chain → connection; aborts → aborted; timeouts → timeout.
 *
 * The `APICallError` is never kept as `cause`: its `responseBody` and `requestBodyValues` can echo
 * the prompt. Only a network error (or the abort reason) is.
 */
export const convertAiSdkError = (error: unknown, context: AiSdkErrorContext): ProviderError => {
  if (isProviderError(error)) return error;
  const make = (failureClass: FailureClass, message: string, extra: Extra = {}) =>
    new ProviderError({ failureClass, provider: context.provider, model: context.model, message, ...extra });

  if (context.signal?.aborted) return make("aborted", "request aborted", { cause: context.signal.reason });
  if (isInvalidRequestError(error)) return make("bad_request", error.issues.join("; "));
  if (!isRecord(error)) return make("invalid_response", `unexpected ${typeof error} from the model`);
  const name = str(error.name) ?? "";

  if (isApiCallError(error)) return fromApiCallError(error, make);
  if (isAbortLike(error)) return make("aborted", "request aborted", { cause: error });
  if (name === "TimeoutError") return make("timeout", "request timed out", { cause: error });
  if (malformedNames.has(name)) return make("invalid_response", "malformed response from the provider");
  if (credentialNames.has(name))
    return make("auth", "the model has no usable credentials (API key or setting missing)");
  if (requestNames.has(name)) return make("bad_request", sanitizeMessage(str(error.message)));
  const networkCode = findNetworkErrorCode(error);
  if (networkCode !== undefined)
    return make("connection", `connection failed (${networkCode})`, { cause: networkCause(error) });
  if (name === "TypeError" && /terminated|fetch failed|socket|network/i.test(str(error.message) ?? "")) {
    return make("connection", "connection failed", { cause: error });
  }
  if (
    error[streamErrorMarker as unknown as string] === true ||
    (!(error instanceof Error) && typeof error.message === "string")
  ) {
    return fromInBandError(error, make);
  }
  return make("invalid_response", `unexpected ${name || "error"} from the model`);
};

/** The first error in the cause chain that carries a network code (safe to keep: no body). */
const networkCause = (error: unknown): unknown => {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && isRecord(current); depth++) {
    if (typeof current.code === "string" && /^(E[A-Z]+|UND_ERR_\w+|ERR_\w+)$/.test(current.code))
      return current;
    current = current.cause;
  }
  return undefined;
};

type Make = (failureClass: FailureClass, message: string, extra?: Extra) => ProviderError;

const headerOf = (headers: Record<string, string> | undefined, name: string): string | undefined =>
  headers?.[name] ?? headers?.[name.toLowerCase()];

const parseJson = (text: unknown): unknown => {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const fromApiCallError = (error: Fields, make: Make): ProviderError => {
  const status = typeof error.statusCode === "number" ? error.statusCode : undefined;
  const headers = isRecord(error.responseHeaders)
    ? (error.responseHeaders as Record<string, string>)
    : undefined;
  // A body cut mid-way reaches the model's parser as "failed to process successful response" (200).
  const networkCode = findNetworkErrorCode(error);
  if (isAbortLike(error.cause)) return make("aborted", "request aborted", { cause: error.cause });
  if (networkCode !== undefined || status === undefined) {
    return make("connection", networkCode ? `connection failed (${networkCode})` : "connection failed", {
      cause: networkCause(error),
    });
  }
  if (status < 400) {
    // A 2xx the model could not read. Some gateways answer an error object with HTTP 200.
    const value = isRecord(error.cause) ? error.cause.value : undefined;
    if (isRecord(value) && isRecord(value.error)) return fromInBandError(value.error, make);
    return make("invalid_response", "malformed response from the provider");
  }
  const body = error.data ?? parseJson(error.responseBody);
  const inBand = /text\/event-stream/i.test(headerOf(headers, "content-type") ?? "");
  return classify(
    {
      status,
      headers,
      body,
      message: str(error.message),
      bodyText: body === undefined ? str(error.responseBody) : undefined,
      requestId:
        headerOf(headers, "x-request-id") ??
        headerOf(headers, "request-id") ??
        headerOf(headers, "apim-request-id") ??
        headerOf(headers, "mistral-correlation-id"),
    },
    inBand,
    make,
  );
};

/** An error object a provider sent after HTTP 200 (a JSON body, or a stream frame), classified by its fields. */
export const convertAiSdkInBandError = (error: unknown, context: AiSdkErrorContext): ProviderError =>
  fromInBandError(
    isRecord(error) ? error : {},
    (failureClass, message, extra = {}) =>
      new ProviderError({
        failureClass,
        provider: context.provider,
        model: context.model,
        message,
        ...extra,
      }),
  );

/** A provider stream error (`{ message, type, code, statusCode, data }`) or an error object sent after HTTP 200. */
const fromInBandError = (error: Fields, make: Make): ProviderError =>
  classify(
    {
      status:
        typeof error.statusCode === "number"
          ? error.statusCode
          : typeof error.code === "number"
            ? error.code
            : undefined,
      headers: undefined,
      body: error.data ?? error,
      message: str(error.message),
      type: str(error.type) ?? str(error.status),
      code: typeof error.code === "string" ? error.code : undefined,
      bodyText: undefined,
      requestId: undefined,
    },
    true,
    make,
  );

interface Facts {
  status: number | undefined;
  headers: Record<string, string> | undefined;
  body: unknown;
  message: string | undefined;
  type?: string | undefined;
  code?: string | undefined;
  bodyText: string | undefined;
  requestId: string | undefined;
}

const contentFilteringPattern = /content filtering policy|blocked by content filter/i;

const classify = (facts: Facts, inBand: boolean, make: Make): ProviderError => {
  const body = isRecord(facts.body) ? facts.body : {};
  const inner = isRecord(body.error) ? body.error : body;
  const rpc = readGoogleRpcError(facts.body);
  const type = facts.type ?? rpc?.status ?? str(inner.type === "error" ? undefined : inner.type);
  const code =
    facts.code ??
    (typeof inner.code === "string" ? inner.code : undefined) ??
    str(isRecord(inner.details) ? inner.details.error_code : undefined) ??
    (isRecord(inner.innererror) ? str(inner.innererror.code) : undefined);
  const message = facts.message ?? rpc?.message ?? str(inner.message);
  const classification = classifyHttpFailure({
    status: facts.status,
    headers: facts.headers,
    type,
    code,
    message,
    bodyText: facts.bodyText,
  });
  let failureClass = classification.failureClass;
  let retryAfterMs = classification.retryAfterMs;
  const text = message ?? "";
  if (rpc !== undefined) {
    if (rpc.reason === "API_KEY_INVALID" || /API key not valid/i.test(text)) failureClass = "auth";
    else if (rpc.status === "RESOURCE_EXHAUSTED") {
      retryAfterMs ??= rpc.retryDelayMs;
      // Gemini words every 429 "exceeded your current quota"; a stated wait makes it a rate limit.
      failureClass =
        retryAfterMs === undefined && /billing|spend|credit|prepa(y|id)/i.test(text)
          ? "quota"
          : "rate_limited";
    } else if (rpc.status === "UNAVAILABLE" && /overloaded/i.test(text)) failureClass = "overloaded";
  }
  if (/input token count.*exceeds the maximum/i.test(text)) failureClass = "context_length";
  if (failureClass === "bad_request") {
    if (contentFilteringPattern.test(text)) failureClass = "content_filter";
    if (code === "invalid_prompt" && /flagged|usage polic|safety/i.test(text))
      failureClass = "content_filter";
  }
  const categories =
    failureClass === "content_filter" && isRecord(inner.innererror)
      ? getContentFilterCategories(
          inner.innererror.content_filter_result ?? inner.innererror.content_filter_results,
        )
      : undefined;
  return make(failureClass, classification.message, {
    status: inBand ? undefined : facts.status,
    providerCode: classification.providerCode ?? rpc?.reason,
    retryAfterMs,
    requestId: facts.requestId,
    contentFilterCategories: categories,
  });
};

/**
 * A finish that is a failure: `content-filter` (with the categories a Google-style
 * `safetyRatings` marks `blocked`, or a prompt's `blockReason`) → content_filter, except a model's
 * refusal (raw `"refusal"`), which is an answer; `error` → server_error. Undefined for every other
 * finish reason.
 */
export const convertAiSdkFinishFailure = (
  unified: string,
  raw: string | undefined,
  providerMetadata: unknown,
  context: AiSdkErrorContext,
): ProviderError | undefined => {
  const make = (failureClass: FailureClass, message: string, extra: Extra = {}) =>
    new ProviderError({ failureClass, provider: context.provider, model: context.model, message, ...extra });
  // A model's refusal (Anthropic `stop_reason: "refusal"`) is an answer, as on every other adapter;
  // the AI SDK does not pass its explanation on, so the result carries no refusal text.
  if (unified === "content-filter" && raw === "refusal") return undefined;
  if (unified === "content-filter") {
    const categories = blockedCategories(providerMetadata);
    return make(
      "content_filter",
      `the provider's content filter stopped the reply${raw ? ` (${raw})` : ""}`,
      {
        providerCode: raw ?? "content-filter",
        contentFilterCategories: categories.length > 0 ? categories : undefined,
      },
    );
  }
  if (unified === "error") {
    return make("server_error", `the model finished with an error${raw ? ` (${raw})` : ""}`, {
      providerCode: raw,
    });
  }
  return undefined;
};

/** `HARM_CATEGORY_HATE_SPEECH` → `hate_speech`, from any provider entry's blocked safety ratings. */
const blockedCategories = (providerMetadata: unknown): string[] => {
  const categories = new Set<string>();
  if (!isRecord(providerMetadata)) return [];
  for (const entry of Object.values(providerMetadata)) {
    if (!isRecord(entry)) continue;
    const feedback = isRecord(entry.promptFeedback) ? entry.promptFeedback : undefined;
    const ratings = [
      ...(Array.isArray(entry.safetyRatings) ? entry.safetyRatings : []),
      ...(Array.isArray(feedback?.safetyRatings) ? feedback.safetyRatings : []),
    ];
    for (const rating of ratings) {
      if (isRecord(rating) && rating.blocked === true && typeof rating.category === "string") {
        categories.add(rating.category.replace(/^HARM_CATEGORY_/, "").toLowerCase());
      }
    }
  }
  return [...categories];
};
