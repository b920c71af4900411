import { buildErrorResponse } from "./error-responses.js";
import type {
  MockContentFilterStreamFault,
  MockErrorFault,
  MockErrorKind,
  MockFault,
  MockInBandErrorFault,
  MockProviderKind,
  MockReply,
  MockStatusFault,
} from "./types.js";

/** Options of every error builder; a bare number is taken as `status`. */
export type ErrorFaultOptions = Omit<MockErrorFault, "type" | "error">;

/**
 * Builds an error fault. Without a kind it returns a descriptor the mock renders in its own
 * provider's shape when it serves it (so one script works for every kind); with a kind it returns
 * the concrete `status` fault for that provider.
 */
export interface ErrorFaultBuilder {
  (options?: ErrorFaultOptions | number): MockErrorFault;
  (kind: MockProviderKind, options?: ErrorFaultOptions | number): MockStatusFault;
}

function errorBuilder(error: MockErrorKind, defaults: ErrorFaultOptions = {}): ErrorFaultBuilder {
  return ((a?: MockProviderKind | ErrorFaultOptions | number, b?: ErrorFaultOptions | number) => {
    const kind = typeof a === "string" ? a : undefined;
    const raw = typeof a === "string" ? b : a;
    const options = typeof raw === "number" ? { status: raw } : raw;
    const fault: MockErrorFault = { ...defaults, ...options, type: "error", error };
    if (!kind) return fault;
    const { status, headers, body } = buildErrorResponse(kind, fault);
    return { type: "status", status, headers, body } satisfies MockStatusFault;
  }) as ErrorFaultBuilder;
}

/** Fault builders. Error builders render each provider's real error shape (see {@link ErrorFaultBuilder}). */
export const faults = {
  /** 429 with the provider's rate-limit headers (`resetHeaders`, `resetSeconds`) and optional `retryAfter` / `retryAfterMs`. */
  rateLimited: errorBuilder("rate_limited"),
  /** Quota / spend limit: OpenAI 429 `insufficient_quota`, Anthropic 429 `details.error_code: enforced_spend_limit_reached`, Mistral 429. */
  quota: errorBuilder("quota"),
  /** Server error. @default status 503 (pass 500, 502, 504 as a number) */
  serverError: errorBuilder("server_error"),
  /** Anthropic 529 `overloaded_error`; 503 elsewhere. */
  overloaded: errorBuilder("overloaded"),
  /** 401 (or pass 403). */
  auth: errorBuilder("auth"),
  /** 400: OpenAI/Azure `context_length_exceeded`, Anthropic "prompt is too long: N tokens > M maximum", Mistral "too large for model". */
  contextLength: errorBuilder("context_length"),
  /** 400 prompt filter: Azure `content_filter` with `innererror.content_filter_result`; `invalid_prompt` on OpenAI. */
  contentFilter: errorBuilder("content_filter"),
  /** A generic 400 in the provider's shape. */
  badRequest: errorBuilder("bad_request"),
  /** 404: unknown model (Azure: `DeploymentNotFound`). */
  notFound: errorBuilder("not_found"),

  /** A normal reply. */
  reply: (reply?: MockReply): MockFault => ({ type: "reply", reply }),
  /** A raw response. */
  status: (status: number, body?: unknown, headers?: Record<string, string>): MockStatusFault => ({
    type: "status",
    status,
    body,
    headers,
  }),
  /** A Cloudflare-style HTML page. @default 502 */
  html: (status = 502): MockFault => ({ type: "html", status }),
  /** TCP reset after reading the request. */
  reset: (): MockFault => ({ type: "reset" }),
  /** Never answer. */
  blackHole: (): MockFault => ({ type: "black-hole" }),
  /** Nothing for `delayMs`, then `then` (default: a normal reply). */
  slowHeaders: (delayMs: number, then?: MockFault): MockFault => ({ type: "slow-headers", delayMs, then }),
  /** Headers at once, first content after `delayMs`. */
  slowFirstToken: (delayMs: number, reply?: MockReply): MockFault => ({
    type: "slow-first-token",
    delayMs,
    reply,
  }),
  /** `afterEvents` content events, then silence (optionally keep-alives every `pingIntervalMs`). */
  stall: (afterEvents: number, options: { pingIntervalMs?: number; reply?: MockReply } = {}): MockFault => ({
    type: "stall",
    afterEvents,
    ...options,
  }),
  /** `afterEvents` content events, then the socket is destroyed. */
  cut: (afterEvents: number, reply?: MockReply): MockFault => ({ type: "cut", afterEvents, reply }),
  /** All content, no terminal event. */
  noTerminal: (reply?: MockReply): MockFault => ({ type: "no-terminal", reply }),
  /** Invalid JSON after `afterEvents` content events (non-stream: a truncated body). */
  malformed: (afterEvents = 0, reply?: MockReply): MockFault => ({ type: "malformed", afterEvents, reply }),
  /** HTTP 200 then the provider's in-band error. */
  inBandError: (options: Omit<MockInBandErrorFault, "type"> = {}): MockFault => ({
    type: "in-band-error",
    ...options,
  }),
  /** Output stopped by the provider's safety system (Azure annotations, `content_filter`, `refusal`). */
  contentFilterStream: (options: Omit<MockContentFilterStreamFault, "type"> = {}): MockFault => ({
    type: "content-filter-stream",
    ...options,
  }),
} as const;

/** The type of {@link faults}. */
export type MockFaults = typeof faults;
