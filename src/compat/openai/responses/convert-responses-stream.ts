import { ProviderError } from "../../../errors/provider-error.js";
import { convertOpenAIError, type OpenAIErrorContext } from "../../../providers/openai/openai-error.js";
import type { SseEvent } from "../../../providers/shared/read-sse-events.js";
import type { ToolCall } from "../../../spec/request.js";
import type { FinishReason, ProviderResponse, Usage } from "../../../spec/result.js";
import type { StreamPart } from "../../../spec/stream.js";
import { convertResponsesError } from "./convert-responses-error.js";
import { isRecord } from "./convert-responses-input.js";
import { outputTextOf } from "./convert-to-response.js";
import type { ResponsesTape } from "./responses-call.js";

export interface ResponsesStreamContext extends OpenAIErrorContext {
  /**
   * Every output event (a hosted tool working, reasoning) is yielded as an empty text part, so it
   * counts as progress for the engine's first-content and idle deadlines. For calls that can only
   * go to the primary: committing early costs nothing there, and a long web search or code run
   * must not look like a stall.
   */
  progressIsContent: boolean;
}

const count = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** Neutral usage from a Responses `usage` (input tokens include the cached ones, as OpenAI counts them). */
export const convertResponsesUsage = (usage: unknown): Usage => {
  const u = isRecord(usage) ? usage : {};
  const details = isRecord(u.input_tokens_details) ? u.input_tokens_details : {};
  const inputTokens = count(u.input_tokens);
  const outputTokens = count(u.output_tokens);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: count(details.cached_tokens),
    totalTokens:
      count(u.total_tokens) ??
      (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined),
  };
};

/** A finished response's finish reason: tool calls, a stop, or (incomplete) a length limit. */
const finishReasonOf = (response: Record<string, unknown>): FinishReason => {
  if (response.status === "incomplete") {
    const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    return reason === "max_output_tokens"
      ? { unified: "length", raw: reason }
      : { unified: "other", raw: typeof reason === "string" ? reason : "incomplete" };
  }
  const output = Array.isArray(response.output) ? response.output : [];
  const calls = output.some((item) => isRecord(item) && item.type === "function_call");
  return {
    unified: calls ? "tool-calls" : "stop",
    raw: typeof response.status === "string" ? response.status : undefined,
  };
};

const toolCallOf = (item: Record<string, unknown>): ToolCall => {
  const rawArguments = typeof item.arguments === "string" ? item.arguments : "";
  let args: unknown = {};
  if (rawArguments.trim() !== "") {
    try {
      args = JSON.parse(rawArguments);
    } catch {
      args = rawArguments;
    }
  }
  return {
    id: typeof item.call_id === "string" ? item.call_id : "",
    name: typeof item.name === "string" ? item.name : "",
    arguments: args,
    rawArguments,
  };
};

/**
 * Throws the failure a finished response reports: `failed` (its `error`, classified like an
 * in-band error), or `incomplete` because OpenAI's content filter stopped it.
 */
const throwIfFailed = (response: Record<string, unknown>, context: OpenAIErrorContext): void => {
  if (response.status === "failed") {
    throw convertResponsesError(
      isRecord(response.error) ? response.error : { code: "server_error" },
      context,
    );
  }
  const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
  if (response.status === "incomplete" && reason === "content_filter") {
    throw new ProviderError({
      failureClass: "content_filter",
      provider: context.provider,
      model: context.model,
      message: "the response was stopped by the content filter",
      providerCode: "content_filter",
    });
  }
};

/**
 * The neutral response for a whole Responses body (a JSON answer): the text (`output_text` as the
 * SDK computes it), function calls, finish reason, usage; `raw` is the body itself, untouched. A
 * body that is not a response (a gateway's error object), a failed or a filtered response throw
 * the classified failure.
 */
export const convertResponseBody = (body: unknown, context: OpenAIErrorContext): ProviderResponse => {
  if (!isRecord(body) || body.object !== "response" || !Array.isArray(body.output)) {
    if (isRecord(body) && isRecord(body.error)) throw convertResponsesError(body.error, context);
    throw new ProviderError({
      failureClass: "invalid_response",
      provider: context.provider,
      model: context.model,
      message: "the body is not a response object",
    });
  }
  throwIfFailed(body, context);
  const toolCalls = body.output.flatMap((item) =>
    isRecord(item) && item.type === "function_call" ? [toolCallOf(item)] : [],
  );
  return {
    text: outputTextOf(body.output),
    toolCalls,
    finishReason: finishReasonOf(body),
    usage: convertResponsesUsage(body.usage),
    model: typeof body.model === "string" ? body.model : context.model,
    ...(typeof body.id === "string" ? { id: body.id } : {}),
    raw: body,
  };
};

/** The function call items in progress, keyed by item id. */
interface PendingCall {
  index: number;
  item: Record<string, unknown>;
}

/**
 * Reads a Responses event stream into neutral parts, recording every event on `tape` (before the
 * part it produces is yielded, so whoever passes the primary's events on has them in time):
 * - `response.output_text.delta` and `response.refusal.delta` → text;
 * - a `function_call` item → a tool-call delta (id, name) on `output_item.added`, argument pieces
 *   on `function_call_arguments.delta`, the whole call on `output_item.done`;
 * - `response.completed` / `response.incomplete` (a length limit) → the finish part, whose `raw` is
 *   the final response (its `output` rebuilt from the items when the event left it out);
 * - failures: `event: error` (or a `type: "error"` frame), `response.failed`, a content-filter
 *   `response.incomplete`, a frame that is not JSON. A stream that ends without its terminal event
 *   ends the generator: the engine sees the truncation.
 * Other events (lifecycle, keep-alives, reasoning, hosted tools) produce no part, unless
 * `progressIsContent`.
 */
export async function* convertResponsesStream(
  next: () => Promise<SseEvent | undefined>,
  tape: ResponsesTape,
  context: ResponsesStreamContext,
): AsyncGenerator<StreamPart, void, undefined> {
  const calls = new Map<string, PendingCall>();
  const doneItems = new Map<number, unknown>();
  let toolIndex = 0;
  const progress = (): StreamPart => ({ type: "text", text: "" });
  for (;;) {
    let sse: SseEvent | undefined;
    try {
      sse = await next();
    } catch (error) {
      // A dropped connection, a body read that failed: classified like any SDK failure.
      throw convertOpenAIError(error, context);
    }
    // An iteration the engine aborted (a deadline, the caller) is an abort, not a truncation.
    if (!sse && context.signal?.aborted) throw convertOpenAIError(context.signal.reason, context);
    if (!sse) return;
    if (sse.data.trim() === "[DONE]") continue;
    let event: unknown;
    try {
      event = JSON.parse(sse.data);
    } catch (error) {
      throw new ProviderError({
        failureClass: "invalid_response",
        provider: context.provider,
        model: context.model,
        message: "a stream event is not valid JSON",
        cause: error,
      });
    }
    const record = isRecord(event) ? event : undefined;
    // `event: error` with the error nested (as recorded) or flat (as documented), or a bare
    // `{ "error": … }` frame (a gateway relaying a Chat Completions-style error).
    if (
      sse.event === "error" ||
      record?.type === "error" ||
      (record && record.type === undefined && isRecord(record.error))
    )
      throw convertResponsesError(isRecord(record?.error) ? record.error : record, context);
    if (!record || typeof record.type !== "string") {
      throw new ProviderError({
        failureClass: "invalid_response",
        provider: context.provider,
        model: context.model,
        message: "a stream event has no type",
      });
    }
    tape.push(record);
    const type = record.type;
    const item = isRecord(record.item) ? record.item : undefined;
    switch (type) {
      case "response.output_text.delta":
      case "response.refusal.delta":
        if (typeof record.delta === "string" && record.delta !== "")
          yield { type: "text", text: record.delta };
        break;
      case "response.output_item.added":
        if (item?.type === "function_call") {
          const pending: PendingCall = { index: toolIndex++, item };
          calls.set(String(item.id ?? record.output_index), pending);
          const args = typeof item.arguments === "string" ? item.arguments : "";
          yield {
            type: "tool-call-delta",
            index: pending.index,
            ...(typeof item.call_id === "string" ? { id: item.call_id } : {}),
            ...(typeof item.name === "string" ? { name: item.name } : {}),
            argumentsDelta: args,
          };
        } else if (context.progressIsContent && item?.type !== "message") yield progress();
        break;
      case "response.function_call_arguments.delta": {
        const pending = calls.get(String(record.item_id ?? record.output_index));
        if (pending && typeof record.delta === "string" && record.delta !== "")
          yield { type: "tool-call-delta", index: pending.index, argumentsDelta: record.delta };
        break;
      }
      case "response.output_item.done":
        if (typeof record.output_index === "number" && item) doneItems.set(record.output_index, item);
        if (item?.type === "function_call") {
          const key = String(item.id ?? record.output_index);
          const index = calls.get(key)?.index ?? toolIndex++;
          calls.delete(key);
          yield { type: "tool-call", index, toolCall: toolCallOf(item) };
        } else if (context.progressIsContent && item?.type !== "message") yield progress();
        break;
      case "response.completed":
      case "response.incomplete": {
        const response = isRecord(record.response) ? record.response : {};
        throwIfFailed(response, context);
        const final = Array.isArray(response.output)
          ? response
          : { ...response, output: [...doneItems].sort(([a], [b]) => a - b).map(([, done]) => done) };
        if (tape.requestId !== undefined)
          Object.defineProperty(final, "_request_id", {
            value: tape.requestId,
            enumerable: false,
            configurable: true,
          });
        tape.final = final;
        yield {
          type: "finish",
          finishReason: finishReasonOf(final),
          usage: convertResponsesUsage(final.usage),
          model: typeof final.model === "string" ? final.model : context.model,
          ...(typeof final.id === "string" ? { id: final.id } : {}),
          raw: final,
        };
        return;
      }
      case "response.failed":
        throwIfFailed({ ...(isRecord(record.response) ? record.response : {}), status: "failed" }, context);
        return;
      case "response.created":
      case "response.in_progress":
      case "response.queued":
      case "keepalive":
      case "response.content_part.added":
      case "response.content_part.done":
      case "response.output_text.done":
      case "response.refusal.done":
      case "response.function_call_arguments.done":
        break;
      default:
        if (context.progressIsContent) yield progress();
    }
  }
}
