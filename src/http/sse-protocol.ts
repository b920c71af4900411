import type { FailureClass } from "../errors/failure-class.js";
import type { ChatStreamEvent } from "../spec/chat.js";
import type { UnifiedFinishReason, Usage } from "../spec/result.js";

/**
 * Why a call failed, as the browser sees it (`error.code` in a JSON error body and in an `error`
 * event):
 * - `all_providers_failed`: no provider could answer (HTTP 503 before the first event);
 * - `invalid_request`: the engine refused the request before sending it (400);
 * - `bad_request`, `context_length`, `content_filter`: a provider refused the request (422);
 * - another failure class: a provider failed and the policy did not fall over (503);
 * - `interrupted`: the stream broke after output began (an `error` event; `failureClass` says why);
 * - `structured_output`: the finished reply does not match the request's schema (an `error` event);
 * - `timeout`, `aborted`: the call's own `signal` stopped it (504, 503);
 * - `internal_error`: anything else (500), e.g. a `ConfigError`.
 */
export type SSEErrorCode =
  | "all_providers_failed"
  | "invalid_request"
  | "interrupted"
  | "structured_output"
  | "timeout"
  | "aborted"
  | "internal_error"
  | FailureClass;

/** The data of an `error` event, and the `error` field of a JSON error response. */
export interface SSEErrorData {
  /** A stable, machine-readable reason. */
  code: SSEErrorCode;
  /**
   * A short human-readable text. By default a fixed sentence per `code` that says nothing about your
   * providers; `getErrorMessage` replaces it.
   */
  message: string;
  /** The failure class behind the error, when a provider failed. */
  failureClass?: FailureClass;
  /** In an `error` event: all the text sent before the failure (what the browser already shows). */
  partialText?: string;
}

/** Token counts of a `finish` event; `null` where the provider did not report one. */
export interface SSEUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  totalTokens: number | null;
}

/**
 * The events `toSSEResponse` and `pipeSSE` send: SSE event name → the JSON in its `data:` line.
 * Every frame is `event: <name>\ndata: <one line of JSON>\n\n`; `: keep-alive` comment frames may
 * come between them.
 */
export interface SSEEventData {
  /** The stream committed to a provider: sent once before its first content (again if a broken stream continues on another provider, with `onStreamInterrupted: "continue"`). */
  start: { provider: string; model: string };
  /** Reply text, in order. */
  text: { text: string };
  /**
   * The model declined to answer: its refusal text, in order (OpenAI `refusal`, Anthropic
   * `stop_reason: "refusal"`). A refusal is an answer: the stream then ends with `finish`, its
   * `finishReason` `"content-filter"`.
   */
  refusal: { text: string };
  /** A complete tool call, its arguments parsed from JSON. */
  "tool-call": { index: number; id: string; name: string; arguments: unknown };
  /** A piece of a tool call's arguments as it streams (only with `toolCallDeltas: true`). */
  "tool-call-delta": { index: number; id?: string; name?: string; argumentsDelta: string };
  /** The last event of a successful stream. */
  finish: { finishReason: UnifiedFinishReason; usage: SSEUsage; provider: string; model: string };
  /** The last event of a stream that failed after it began. */
  error: SSEErrorData;
}

/** The name of an event `toSSEResponse` / `pipeSSE` sends. */
export type SSEEventName = keyof SSEEventData;

/**
 * One event as a browser reads it: `{ event, data }`, narrowed by `event`. For typed browser code:
 * `import type { SSEEvent } from "ai-failover"` (types only, nothing of the library is bundled).
 */
export type SSEEvent = { [N in SSEEventName]: { event: N; data: SSEEventData[N] } }[SSEEventName];

/** One SSE frame. JSON never contains a raw line break, so `data` is always one line. */
export const formatSSEFrame = <N extends SSEEventName>(event: N, data: SSEEventData[N]): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** An SSE comment: ignored by every SSE reader, it keeps proxies from closing an idle connection. */
export const keepAliveFrame = ": keep-alive\n\n";

const orNull = (value: number | undefined): number | null => value ?? null;

const toSSEUsage = (usage: Usage): SSEUsage => ({
  inputTokens: orNull(usage.inputTokens),
  outputTokens: orNull(usage.outputTokens),
  cachedInputTokens: orNull(usage.cachedInputTokens),
  totalTokens: orNull(usage.totalTokens),
});

/** The frame for one stream event, or `""` for an event the protocol leaves out. */
export const toSSEFrame = (event: ChatStreamEvent, toolCallDeltas: boolean): string => {
  switch (event.type) {
    case "start":
      return formatSSEFrame("start", { provider: event.provider, model: event.model });
    case "text":
      return formatSSEFrame("text", { text: event.text });
    case "refusal":
      return formatSSEFrame("refusal", { text: event.text });
    case "tool-call":
      return formatSSEFrame("tool-call", {
        index: event.index,
        id: event.toolCall.id,
        name: event.toolCall.name,
        arguments: event.toolCall.arguments,
      });
    case "tool-call-delta": {
      if (!toolCallDeltas) return "";
      const { type: _type, ...delta } = event;
      return formatSSEFrame("tool-call-delta", delta);
    }
    case "finish":
      return formatSSEFrame("finish", {
        finishReason: event.finishReason.unified,
        usage: toSSEUsage(event.usage),
        provider: event.provider,
        model: event.model,
      });
  }
};
