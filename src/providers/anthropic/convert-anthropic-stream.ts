import type { StreamPart } from "../../spec/stream.js";
import { createProviderError } from "../shared/create-provider-error.js";
import {
  type AnthropicErrorContext,
  type AnthropicStopDetails,
  convertAnthropicError,
  convertAnthropicInBandError,
  convertAnthropicStopFailure,
  describeAnthropicRefusal,
} from "./anthropic-error.js";
import { type AnthropicWireUsage, convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

/** The SDK's raw event stream: an async iterable of parsed SSE events, with its abort controller. */
export interface AnthropicEventStream extends AsyncIterable<unknown> {
  controller?: { abort(): void };
}

export interface AnthropicStreamContext extends AnthropicErrorContext {
  /** The attempt's signal: a stream that ends early while it is aborted is an abort, not a truncation. */
  signal: AbortSignal;
}

/**
 * One raw stream event, read tolerantly (any field may be missing). The SDK has already dropped
 * `ping` and turned `event: error` into a thrown `APIError`.
 */
interface WireEvent {
  type?: string;
  index?: number;
  message?: { id?: string | null; model?: string | null; usage?: AnthropicWireUsage | null } | null;
  content_block?: { type?: string; id?: string; name?: string; text?: string; input?: unknown } | null;
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    stop_reason?: string | null;
    stop_details?: AnthropicStopDetails | null;
  } | null;
  usage?: AnthropicWireUsage | null;
}

/** A `tool_use` block being streamed. */
interface ToolState {
  /** Position among this reply's tool calls (0, 1, …), not the content-block index. */
  index: number;
  id: string;
  name: string;
  json: string;
  startInput: unknown;
}

/**
 * Maps Anthropic's raw stream events to stream parts, one pass, nothing buffered but tool-call
 * arguments (needed to parse them when their block stops):
 * - `message_start` → model, id, input usage; `content_block_start` of a `tool_use` → a first
 *   `tool-call-delta` with id and name;
 * - `text_delta` → `text`; `input_json_delta` → `tool-call-delta`; `content_block_stop` of a
 *   `tool_use` → `tool-call` with the parsed input (no deltas means `{}`);
 * - `message_delta` → stop reason and usage (with the `iterations` the top-level counts leave out);
 *   a `refusal` yields one `refusal` part (the explanation) before the finish, a filled context
 *   window throws after the text already yielded; `message_stop` → the one `finish` part.
 * Thinking, citations and server-tool blocks are skipped. When the events end without
 * `message_stop` the iterable just ends (the engine calls that a truncation) unless the attempt's
 * signal was aborted, which throws an aborted `ProviderError` (the SDK ends quietly on abort).
 * Leaving early (`return()`) aborts the HTTP stream.
 */
export async function* convertAnthropicStream(
  stream: AnthropicEventStream,
  context: AnthropicStreamContext,
): AsyncGenerator<StreamPart, void, undefined> {
  let model = context.model;
  let id: string | undefined;
  const usage: AnthropicWireUsage = {};
  let stopReason: string | null | undefined;
  const tools: (ToolState | undefined)[] = [];
  let toolCount = 0;
  let finished = false;
  let refused = false;

  try {
    for await (const raw of stream) {
      const event = raw as WireEvent;
      switch (event.type) {
        case "content_block_delta": {
          const delta = event.delta;
          if (delta?.type === "text_delta") {
            if (delta.text) yield { type: "text", text: delta.text };
          } else if (delta?.type === "input_json_delta") {
            const tool = tools[event.index ?? -1];
            if (tool !== undefined && delta.partial_json) {
              tool.json += delta.partial_json;
              yield { type: "tool-call-delta", index: tool.index, argumentsDelta: delta.partial_json };
            }
          }
          break;
        }
        case "content_block_start": {
          const block = event.content_block;
          if (block?.type === "tool_use") {
            const tool: ToolState = {
              index: toolCount++,
              id: block.id ?? "",
              name: block.name ?? "",
              json: "",
              startInput: block.input,
            };
            tools[event.index ?? tools.length] = tool;
            yield {
              type: "tool-call-delta",
              index: tool.index,
              id: tool.id,
              name: tool.name,
              argumentsDelta: "",
            };
          } else if (block?.type === "text" && block.text) {
            yield { type: "text", text: block.text };
          }
          break;
        }
        case "content_block_stop": {
          const tool = tools[event.index ?? -1];
          if (tool !== undefined) {
            tools[event.index!] = undefined;
            yield { type: "tool-call", index: tool.index, toolCall: completeToolCall(tool, context) };
          }
          break;
        }
        case "message_start": {
          const message = event.message;
          if (message?.model) model = message.model;
          if (message?.id) id = message.id;
          if (message?.usage) mergeUsage(usage, message.usage);
          break;
        }
        case "message_delta": {
          if (event.delta?.stop_reason !== undefined) stopReason = event.delta.stop_reason;
          if (event.usage) mergeUsage(usage, event.usage);
          const failure = convertAnthropicStopFailure(stopReason, context);
          if (failure !== undefined) throw failure;
          if (stopReason === "refusal" && !refused) {
            refused = true;
            yield { type: "refusal", text: describeAnthropicRefusal(event.delta?.stop_details) };
          }
          break;
        }
        case "message_stop":
          if (!finished) {
            finished = true;
            yield {
              type: "finish",
              finishReason: mapAnthropicStopReason(stopReason),
              usage: convertAnthropicUsage(usage),
              model,
              ...(id !== undefined ? { id } : {}),
            };
          }
          break;
        case "error":
          // A proxy may deliver the error object as a plain event; the SDK throws on `event: error`.
          throw convertAnthropicInBandError(raw, context);
      }
    }
  } catch (error) {
    throw convertAnthropicError(error, context);
  } finally {
    if (!finished) stream.controller?.abort();
  }
  if (!finished && context.signal.aborted) {
    throw convertAnthropicError(context.signal.reason ?? new DOMException("aborted", "AbortError"), context);
  }
}

const mergeUsage = (into: AnthropicWireUsage, from: AnthropicWireUsage): void => {
  // message_delta counts are cumulative and may be null for fields it does not restate.
  if (typeof from.input_tokens === "number") into.input_tokens = from.input_tokens;
  if (typeof from.output_tokens === "number") into.output_tokens = from.output_tokens;
  if (typeof from.cache_read_input_tokens === "number")
    into.cache_read_input_tokens = from.cache_read_input_tokens;
  if (typeof from.cache_creation_input_tokens === "number") {
    into.cache_creation_input_tokens = from.cache_creation_input_tokens;
  }
  // The breakdown is restated whole when given (the final `message_delta` carries it).
  if (Array.isArray(from.iterations)) into.iterations = from.iterations;
};

const isNonEmptyObject = (value: unknown): boolean =>
  typeof value === "object" && value !== null && Object.keys(value).length > 0;

const completeToolCall = (tool: ToolState, context: AnthropicErrorContext) => {
  if (tool.json === "") {
    // No input_json_delta: the input is empty, or (from some proxies) whole in content_block_start.
    const input = isNonEmptyObject(tool.startInput) ? tool.startInput : {};
    return { id: tool.id, name: tool.name, arguments: input, rawArguments: JSON.stringify(input) };
  }
  try {
    return {
      id: tool.id,
      name: tool.name,
      arguments: JSON.parse(tool.json) as unknown,
      rawArguments: tool.json,
    };
  } catch {
    throw createProviderError(context, {
      failureClass: "invalid_response",
      message: "streamed tool-call input is not valid JSON",
    });
  }
};
