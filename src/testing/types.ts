/**
 * Public types of the fault-injecting mock provider server (`ai-failover/testing`).
 * This module imports nothing: the mock stands apart from the rest of the library.
 */

/** Which provider's wire format a mock speaks. */
export type MockProviderKind = "openai" | "azure" | "anthropic" | "mistral" | "google";

/** A tool call the mock replies with. */
export interface MockToolCall {
  /**
   * Tool call id. @default a provider-style id (`call_…`, `toolu_…`, 9 alphanumerics for Mistral;
   * none for Google, whose function calls usually carry no id)
   */
  id?: string;
  /** Function / tool name. */
  name: string;
  /**
   * The arguments. A string is sent verbatim (use it to send invalid JSON); anything else is
   * `JSON.stringify`-ed (Anthropic receives it as the `input` object).
   */
  arguments: unknown;
}

/** Token usage the mock reports. */
export interface MockUsage {
  /**
   * Prompt tokens, cached ones included (OpenAI semantics). Anthropic reports
   * `input_tokens = inputTokens - cachedInputTokens` and `cache_read_input_tokens = cachedInputTokens`.
   */
  inputTokens: number;
  /** Completion tokens. */
  outputTokens: number;
  /** Prompt tokens served from the provider's prompt cache. @default 0 */
  cachedInputTokens?: number;
}

/**
 * An embeddings reply (`POST …/embeddings`). The mock answers with deterministic unit vectors: the
 * same model and input give the same vector on every mock (an OpenAI and an Azure mock of one model
 * agree, as one vector space does). Every field is optional.
 */
export interface MockEmbeddingReply {
  /**
   * Vector length, whatever the request asked (a provider answering in another space than declared).
   * @default the request's `dimensions` (`output_dimension` for Mistral), else the model's
   * (`text-embedding-3-small` 1536, `text-embedding-3-large` 3072, `mistral-embed` 1024; else 1536)
   */
  dimensions?: number;
  /** Number of vectors (a provider that drops an input). @default one per input */
  count?: number;
  /** Leave `usage` out of the body, as some OpenAI-compatible servers do. @default false */
  omitUsage?: boolean;
}

/** What a successful reply contains. Every field is optional. */
export interface MockReply {
  /** Reply text. @default `Hello from <name>` (or `""` when `toolCalls` is set) */
  text?: string;
  /** Reply with structured output: the text becomes `JSON.stringify(json)`. Wins over `text`. */
  json?: unknown;
  /** Tool calls, after the text. Streamed as real partial deltas (whole, in one delta, for Mistral). */
  toolCalls?: MockToolCall[];
  /**
   * Raw provider finish / stop reason.
   * @default `stop` / `end_turn`, or `tool_calls` / `tool_use` when `toolCalls` is set
   */
  finishReason?: string;
  /**
   * Token usage. @default input ≈ request bytes / 4, output ≈ reply chars / 4 (embeddings: input
   * ≈ the inputs' characters / 4, or their token counts)
   */
  usage?: MockUsage;
  /** Characters per streamed text (and tool-argument) delta. @default 8 */
  chunkSize?: number;
  /**
   * Delay between streamed content events, in ms. With 0 the whole stream is written at once.
   * @default 0
   */
  eventIntervalMs?: number;
  /**
   * Fields merged into the top-level JSON body (non-stream) or the first chunk / `message_start`
   * message (stream), e.g. Perplexity's `citations` and `search_results`.
   */
  extra?: Record<string, unknown>;
  /** For an embeddings request: the vectors' length and count, and whether `usage` is sent. */
  embedding?: MockEmbeddingReply;
  /**
   * OpenAI / Azure: the model's refusal instead of an answer — `message.refusal` with `content: null`
   * (non-stream), `delta.refusal` pieces after a first chunk with `refusal: ""` (stream).
   * @default none
   */
  refusal?: string;
  /**
   * OpenAI / Azure: the message's `annotations` (e.g. `url_citation`s of a search model) — in
   * `message.annotations` (non-stream), in one chunk's `delta.annotations` after the text (stream).
   * @default [] (non-stream), no annotation chunk (stream)
   */
  annotations?: unknown[];
}

/** The failure classes `faults.*` builders render in each provider's own error shape. */
export type MockErrorKind =
  | "rate_limited"
  | "quota"
  | "server_error"
  | "overloaded"
  | "auth"
  | "context_length"
  | "content_filter"
  | "bad_request"
  | "not_found";

/** A normal, successful reply. */
export interface MockReplyFault {
  type: "reply";
  /** What to reply with. @default the mock's default text */
  reply?: MockReply;
}

/** A raw HTTP response: any status, body and headers, exactly as given. */
export interface MockStatusFault {
  type: "status";
  /** HTTP status code. */
  status: number;
  /** Body: a string is sent as is, anything else as JSON (`application/json`). @default no body */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/**
 * A provider error rendered in the mock's own wire shape (status, body, headers), e.g. a 429 with
 * OpenAI's `x-ratelimit-reset-requests` or Anthropic's `anthropic-ratelimit-requests-reset`.
 * Build it with {@link faults}; render it yourself with `buildErrorResponse`.
 */
export interface MockErrorFault {
  type: "error";
  /** The failure class to render. */
  error: MockErrorKind;
  /** Overrides the status the provider would use. */
  status?: number;
  /** Overrides the provider's error message. */
  message?: string;
  /**
   * Overrides the provider's error code (OpenAI `code`, Anthropic `details.error_code`, Mistral
   * `code`; Google: the `google.rpc` status name, e.g. `RESOURCE_EXHAUSTED`, or the block reason
   * of a blocked prompt).
   */
  code?: string;
  /** `retry-after` header value (seconds or an HTTP date). */
  retryAfter?: string;
  /** `retry-after-ms` header value. */
  retryAfterMs?: string;
  /**
   * Send the provider's own rate-limit headers (`x-ratelimit-*`, `anthropic-ratelimit-*`, Azure's
   * `retry-after`; Google's `RetryInfo` in the body); `false` sends only `retryAfter` / `retryAfterMs`.
   * @default true
   */
  resetHeaders?: boolean;
  /** Seconds until the provider's rate limits reset, used by those headers. @default 1 */
  resetSeconds?: number;
  /** For `context_length`: the prompt size in tokens the message states. @default 210000 */
  promptTokens?: number;
  /** For `context_length`: the model's window the message states. @default 200000 */
  maxTokens?: number;
  /** Extra response headers, merged last. */
  headers?: Record<string, string>;
}

/** A Cloudflare-style HTML error page (`text/html`), as a CDN in front of a provider sends it. */
export interface MockHtmlFault {
  type: "html";
  /** HTTP status, e.g. 502, 520, 524. @default 502 */
  status?: number;
}

/** Destroys the socket with a TCP RST after reading the request: the client sees ECONNRESET. */
export interface MockResetFault {
  type: "reset";
}

/** Reads the request and never answers, until the client aborts or the mock closes. */
export interface MockBlackHoleFault {
  type: "black-hole";
}

/** Waits before sending anything (no headers), then behaves as `then`. */
export interface MockSlowHeadersFault {
  type: "slow-headers";
  /** Delay before anything is sent. */
  delayMs: number;
  /** What to do after the delay. @default a normal reply */
  then?: MockFault;
}

/**
 * Stream: headers and the role-only chunk / `message_start` at once, the first content after the
 * delay. Non-stream: headers at once, the body after the delay.
 */
export interface MockSlowFirstTokenFault {
  type: "slow-first-token";
  /** Delay before the first content event (stream) or the body (non-stream). */
  delayMs: number;
  /** What to reply with. */
  reply?: MockReply;
}

/**
 * Stream: sends `afterEvents` content events, then nothing more while the socket stays open
 * (optionally keep-alives: an SSE comment `: keep-alive` for OpenAI/Azure/Mistral, `event: ping`
 * for Anthropic). Non-stream: headers, then never a body.
 */
export interface MockStallFault {
  type: "stall";
  /** Content events sent before the stall. */
  afterEvents: number;
  /** Send a keep-alive every this many ms while stalled. @default none */
  pingIntervalMs?: number;
  /** What the sent events contain. */
  reply?: MockReply;
}

/**
 * Stream: sends `afterEvents` content events, then destroys the socket. Non-stream: sends half the
 * JSON body (with the full `content-length`), then destroys the socket.
 */
export interface MockCutFault {
  type: "cut";
  /** Content events sent before the cut. */
  afterEvents: number;
  /** What the sent events contain. */
  reply?: MockReply;
}

/**
 * Stream: all content but no terminal event (OpenAI/Azure/Mistral: no finish_reason chunk, no
 * usage chunk, no `[DONE]`; Anthropic: no `content_block_stop` / `message_delta` / `message_stop`),
 * then the response ends cleanly. Non-stream: a normal reply.
 */
export interface MockNoTerminalFault {
  type: "no-terminal";
  /** What the sent events contain. */
  reply?: MockReply;
}

/**
 * Stream: after `afterEvents` content events, an SSE data line that is not valid JSON, then the
 * response ends. Non-stream: HTTP 200, `application/json`, a truncated JSON body.
 */
export interface MockMalformedFault {
  type: "malformed";
  /** Content events sent before the broken one. @default 0 */
  afterEvents?: number;
  /** What the sent events contain. */
  reply?: MockReply;
}

/**
 * HTTP 200, then after `afterEvents` content events an error in the provider's own in-band form:
 * - OpenAI / Azure: a `data: {"error":{message,type,param,code}}` frame (openai-node throws an
 *   `APIError` with `status: undefined`); on the Responses API, `event: error` with the error nested
 *   (`errorType` is also its `code`), then `response.failed`;
 * - Anthropic: `event: error` with `{type:"error",error:{type,message}}` (the SDK throws an
 *   `APIError` with `status: undefined` and `type`);
 * - Mistral: a chunk with `finish_reason: "error"` then `[DONE]` (what Mistral's API sends; the SDK
 *   does not throw — the finish reason must be checked).
 *
 * Non-stream: HTTP 200 whose JSON body is the provider's error object (as some OpenAI-compatible
 * gateways do); the SDKs return it as if it were a completion.
 */
export interface MockInBandErrorFault {
  type: "in-band-error";
  /** Content events sent before the error. @default 0 */
  afterEvents?: number;
  /** Error type. @default `overloaded_error` (Anthropic), `server_error` (OpenAI/Azure) */
  errorType?: string;
  /** Error message. @default the provider's usual wording */
  message?: string;
  /** What the sent events contain. */
  reply?: MockReply;
}

/**
 * Output stopped by the provider's safety system, HTTP 200:
 * - Azure: `prompt_filter_results` annotation chunk (`choices: []`) first, some content, then
 *   `finish_reason: "content_filter"` with filtered `content_filter_results`;
 * - OpenAI: some content then `finish_reason: "content_filter"` (Responses API: `response.incomplete`
 *   with reason `content_filter`);
 * - Anthropic: some content then `stop_reason: "refusal"` with `stop_details`;
 * - Mistral (which has no such finish reason): `finish_reason: "content_filter"`, which the SDK's
 *   open enum passes through as an unrecognized value.
 *
 * Non-stream: the same as a JSON body.
 */
export interface MockContentFilterStreamFault {
  type: "content-filter-stream";
  /** The content sent before the filter stops it. @default the mock's default text */
  reply?: MockReply;
  /** Azure category reported as filtered. @default "violence" */
  category?: "hate" | "self_harm" | "sexual" | "violence";
}

/** What the mock does with one call. A discriminated union on `type`. */
export type MockFault =
  | MockReplyFault
  | MockStatusFault
  | MockErrorFault
  | MockHtmlFault
  | MockResetFault
  | MockBlackHoleFault
  | MockSlowHeadersFault
  | MockSlowFirstTokenFault
  | MockStallFault
  | MockCutFault
  | MockNoTerminalFault
  | MockMalformedFault
  | MockInBandErrorFault
  | MockContentFilterStreamFault;

/** One HTTP request the mock received, with secrets redacted. */
export interface RecordedRequest {
  /** Call number, from 1. */
  n: number;
  /** HTTP method. */
  method: string;
  /** Path and query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Request headers, lower-cased; `authorization`, `api-key`, `x-api-key` and the like are `[redacted]`. */
  headers: Record<string, string>;
  /** Parsed JSON body (the raw string if it is not JSON, `undefined` if empty). */
  body: unknown;
  /** Whether the request asked for a stream (`stream: true`). */
  stream: boolean;
  /** The requested model (the deployment for Azure's deployment paths). */
  model: string | undefined;
  /** `Date.now()` when the request was received. */
  at: number;
  /** The `type` of the fault served, or `"not-found"` / `"unauthorized"` for a request the mock rejected. */
  fault: MockFault["type"] | "not-found" | "unauthorized";
  /**
   * Who ended the exchange, once it is over (`undefined` while it is still open): `"server"` when the
   * mock finished its response or cut the connection as its fault said, `"client"` when the client
   * closed the connection while the mock was still serving (it gave up: an abort or a deadline).
   * Tells "the client aborted the black-holed request" apart from "the slow reply finally ended".
   */
  closedBy?: "server" | "client";
  /** `Date.now()` when the exchange ended. */
  closedAt?: number;
}

/** What a default-fault function receives. */
export interface MockCall {
  /** Call number, from 1. */
  n: number;
  /** The recorded request (its `fault` still holds the placeholder `"reply"`). */
  request: RecordedRequest;
  /** The mock's kind. */
  kind: MockProviderKind;
  /** The mock's name. */
  name: string;
}

/** Options of `startMockProvider`. */
export interface MockProviderOptions {
  /** Wire format. */
  kind: MockProviderKind;
  /** Name used in the default text and in errors. @default the kind */
  name?: string;
  /** Port to listen on (127.0.0.1). @default a free port */
  port?: number;
  /**
   * Loopback address to listen on. On Linux all of 127.0.0.0/8 is loopback: a test that takes a
   * mock `down()` to get ECONNREFUSED can give each mock its own address (e.g. 127.83.20.7) so
   * another server started meanwhile cannot take over the freed port and answer in its place.
   * @default "127.0.0.1"
   */
  host?: string;
  /** Default reply text. @default `Hello from <name>` */
  defaultText?: string;
  /** Model reported in every reply, whatever was asked. @default echo the request's model */
  model?: string;
  /**
   * The models the models API knows (`GET /v1/models` lists them; `GET /v1/models/{id}` of another
   * is the provider's 404, as for a misspelt model). Chat requests are not checked against it.
   * @default every model exists; the list holds `model` (or the kind's default model)
   */
  models?: readonly string[];
  /**
   * When set, a request must carry this key (`Authorization: Bearer`, `api-key`, `x-api-key` or
   * `x-goog-api-key`) or it gets the provider's 401 (Google: its 400 `API_KEY_INVALID`).
   * @default any key (or none) is accepted
   */
  apiKey?: string;
  /**
   * Record every request in `requests`. Turn it off for long benchmarks, where the records would
   * only grow; `callCount` and `lastRequest` still work. @default true
   */
  recordRequests?: boolean;
}
