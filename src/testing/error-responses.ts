import { randomBytes } from "node:crypto";
import type { MockErrorFault, MockErrorKind, MockProviderKind } from "./types.js";
import { anthropicRequestId } from "./wire/anthropic.js";
import { googleErrorResponse } from "./wire/google.js";

/** An HTTP error response: what a `status` fault sends. */
export interface MockErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const DEFAULT_STATUS: Record<MockErrorKind, number> = {
  rate_limited: 429,
  quota: 429,
  server_error: 503,
  overloaded: 503,
  auth: 401,
  context_length: 400,
  content_filter: 400,
  bad_request: 400,
  not_found: 404,
};

/** Go-style duration as OpenAI writes `x-ratelimit-reset-*`: `300ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`. */
export function formatOpenAIDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** RFC 3339 without milliseconds, as Anthropic writes `anthropic-ratelimit-*-reset`. */
function rfc3339(secondsFromNow: number): string {
  return new Date(Date.now() + secondsFromNow * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function rateLimitHeaders(kind: MockProviderKind, seconds: number): Record<string, string> {
  if (kind === "openai") {
    return {
      "x-ratelimit-limit-requests": "500",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": formatOpenAIDuration(seconds),
      "x-ratelimit-limit-tokens": "200000",
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-reset-tokens": formatOpenAIDuration(seconds),
    };
  }
  if (kind === "azure") {
    return {
      "retry-after": String(Math.ceil(seconds)),
      "retry-after-ms": String(Math.round(seconds * 1000)),
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-remaining-tokens": "0",
    };
  }
  if (kind === "anthropic") {
    const reset = rfc3339(seconds);
    const headers: Record<string, string> = { "retry-after": String(Math.ceil(seconds)) };
    for (const what of ["requests", "tokens", "input-tokens", "output-tokens"]) {
      headers[`anthropic-ratelimit-${what}-limit`] = what === "requests" ? "50" : "40000";
      headers[`anthropic-ratelimit-${what}-remaining`] = "0";
      headers[`anthropic-ratelimit-${what}-reset`] = reset;
    }
    return headers;
  }
  return {};
}

interface Parts {
  message: string;
  type: string | null;
  code: string | null;
  param?: string | null;
}

function openAIParts(
  error: MockErrorKind,
  status: number,
  f: MockErrorFault,
  model: string,
  wait: string,
): Parts {
  switch (error) {
    case "rate_limited":
      return {
        message: `Rate limit reached for ${model} in organization org-mock on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: "requests",
        code: "rate_limit_exceeded",
      };
    case "quota":
      return {
        message:
          "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
        type: "insufficient_quota",
        code: "insufficient_quota",
      };
    case "server_error":
    case "overloaded":
      return {
        message:
          status === 503
            ? "The server is overloaded or not ready yet."
            : "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        code: null,
      };
    case "auth":
      return status === 403
        ? {
            message: "You are not allowed to sample from this model",
            type: "invalid_request_error",
            code: null,
          }
        : { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" };
    case "context_length":
      return {
        message: `This model's maximum context length is ${f.maxTokens ?? 200000} tokens. However, your messages resulted in ${f.promptTokens ?? 210000} tokens. Please reduce the length of the messages.`,
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "messages",
      };
    case "content_filter":
      return {
        message: "Invalid prompt: your prompt was flagged as potentially violating our usage policy.",
        type: "invalid_request_error",
        code: "invalid_prompt",
      };
    case "not_found":
      return {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: "invalid_request_error",
        code: "model_not_found",
      };
    default:
      return { message: "Invalid request.", type: "invalid_request_error", code: null };
  }
}

const AZURE_FILTER_MESSAGE =
  "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766";

function azureBody(error: MockErrorKind, status: number, f: MockErrorFault, model: string, seconds: number) {
  const safe = { filtered: false, severity: "safe" };
  switch (error) {
    case "rate_limited":
      return {
        error: {
          code: f.code ?? "429",
          message:
            f.message ??
            `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${Math.ceil(seconds)} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
        },
      };
    case "server_error":
    case "overloaded":
      return {
        error: {
          code: f.code ?? (status === 503 ? "ServiceUnavailable" : "InternalServerError"),
          message:
            f.message ?? "The service is temporarily unable to process your request. Please try again later.",
        },
      };
    case "auth":
      return {
        error: {
          code: f.code ?? String(status),
          message:
            f.message ??
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
        },
      };
    case "content_filter":
      return {
        error: {
          message: f.message ?? AZURE_FILTER_MESSAGE,
          type: null,
          param: "prompt",
          code: f.code ?? "content_filter",
          status: 400,
          innererror: {
            code: "ResponsibleAIPolicyViolation",
            content_filter_result: {
              hate: { filtered: true, severity: "high" },
              jailbreak: { filtered: false, detected: false },
              self_harm: safe,
              sexual: safe,
              violence: safe,
            },
          },
        },
      };
    case "not_found":
      return {
        error: {
          code: f.code ?? "DeploymentNotFound",
          message:
            f.message ??
            "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
        },
      };
    default: {
      const p = openAIParts(error, status, f, model, `${seconds}s`);
      return {
        error: {
          message: f.message ?? p.message,
          type: p.type,
          param: p.param ?? null,
          code: f.code ?? p.code,
        },
      };
    }
  }
}

function anthropicBody(error: MockErrorKind, status: number, f: MockErrorFault, model: string) {
  let type = "invalid_request_error";
  let message = "Invalid request.";
  let code: string | undefined;
  switch (error) {
    case "rate_limited":
      type = "rate_limit_error";
      message =
        "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.";
      break;
    case "quota":
      type = "rate_limit_error";
      message =
        "You have reached your specified API usage limits. You will regain access on the first of next month.";
      code = "enforced_spend_limit_reached";
      break;
    case "server_error":
      type = "api_error";
      message = "Internal server error";
      break;
    case "overloaded":
      type = "overloaded_error";
      message = "Overloaded";
      break;
    case "auth":
      type = status === 403 ? "permission_error" : "authentication_error";
      message =
        status === 403
          ? "Your API key does not have permission to use the specified resource."
          : "invalid x-api-key";
      break;
    case "context_length":
      message = `prompt is too long: ${f.promptTokens ?? 210000} tokens > ${f.maxTokens ?? 200000} maximum`;
      break;
    case "content_filter":
      message = "Output blocked by content filtering policy";
      break;
    case "not_found":
      type = "not_found_error";
      message = `model: ${model}`;
      break;
  }
  code = f.code ?? code;
  const inner: Record<string, unknown> = { type, message: f.message ?? message };
  if (code) inner.details = { error_code: code };
  return { type: "error", error: inner, request_id: anthropicRequestId() };
}

function mistralBody(error: MockErrorKind, status: number, f: MockErrorFault, model: string) {
  // Mistral's gateway answers auth failures with a bare `{message, request_id}`.
  if (error === "auth") {
    return {
      message: f.message ?? (status === 403 ? "Forbidden" : "Unauthorized"),
      request_id: randomBytes(16).toString("hex"),
    };
  }
  const parts: Record<MockErrorKind, [string, string, string]> = {
    rate_limited: ["Requests rate limit exceeded", "rate_limited", "1300"],
    quota: ["You have exceeded your monthly spending limit.", "quota_exceeded", "1301"],
    server_error: ["Service unavailable.", "internal_server_error", "1000"],
    overloaded: ["Service overloaded, please try again later.", "service_unavailable", "1001"],
    auth: ["Unauthorized", "unauthorized", "1200"],
    context_length: [
      `Prompt contains ${f.promptTokens ?? 210000} tokens and 0 draft tokens, too large for model with ${f.maxTokens ?? 200000} maximum context length`,
      "invalid_request_error",
      "3051",
    ],
    content_filter: ["Prompt blocked by moderation.", "invalid_request_error", "3000"],
    bad_request: ["Invalid request.", "invalid_request_error", "3000"],
    not_found: [`Invalid model: ${model}`, "invalid_model", "1500"],
  };
  const [message, type, code] = parts[error];
  return { object: "error", message: f.message ?? message, type, param: null, code: f.code ?? code };
}

/**
 * Renders an error fault as `kind`'s real error response: status, body shape and headers
 * (OpenAI `x-ratelimit-reset-*` durations, Anthropic `anthropic-ratelimit-*-reset` RFC 3339 and
 * `retry-after`, Azure `retry-after` + `retry-after-ms`, Google `google.rpc.RetryInfo` in the
 * body). `model` appears in some messages.
 */
export function buildErrorResponse(
  kind: MockProviderKind,
  fault: MockErrorFault,
  model = "mock-model",
): MockErrorResponse {
  const { error } = fault;
  if (kind === "google") {
    // Gemini's statuses follow its google.rpc codes (a bad key is a 400, a blocked prompt a 200).
    const google = googleErrorResponse(fault, model);
    if (fault.retryAfter !== undefined) google.headers["retry-after"] = fault.retryAfter;
    if (fault.retryAfterMs !== undefined) google.headers["retry-after-ms"] = fault.retryAfterMs;
    if (fault.headers) Object.assign(google.headers, fault.headers);
    return google;
  }
  let status = fault.status ?? DEFAULT_STATUS[error];
  if (kind === "anthropic" && error === "overloaded" && fault.status === undefined) status = 529;
  const seconds = fault.resetSeconds ?? 1;
  const headers: Record<string, string> = {};
  if (error === "rate_limited" && fault.resetHeaders !== false)
    Object.assign(headers, rateLimitHeaders(kind, seconds));
  if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
  if (fault.headers) Object.assign(headers, fault.headers);

  let body: unknown;
  if (kind === "openai") {
    const p = openAIParts(error, status, fault, model, formatOpenAIDuration(seconds));
    body = {
      error: {
        message: fault.message ?? p.message,
        type: p.type,
        param: p.param ?? null,
        code: fault.code ?? p.code,
      },
    };
  } else if (kind === "azure") {
    body = azureBody(error, status, fault, model, seconds);
  } else if (kind === "anthropic") {
    body = anthropicBody(error, status, fault, model);
  } else {
    body = mistralBody(error, status, fault, model);
  }
  return { status, headers, body };
}

/** A Cloudflare-style HTML error page for `status` (502, 503, 520, 522, 524, …). */
export function htmlErrorPage(status: number): string {
  const titles: Record<number, string> = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
    520: "Web server is returning an unknown error",
    521: "Web server is down",
    522: "Connection timed out",
    524: "A timeout occurred",
  };
  const title = `${status} ${titles[status] ?? "Error"}`;
  return `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n`;
}
