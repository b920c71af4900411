import type { ToolCall } from "../../spec/request.js";
import type { StreamPart } from "../../spec/stream.js";
import { unnamedToolCall } from "../shared/accumulate-tool-call-deltas.js";
import { createProviderError } from "../shared/create-provider-error.js";
import type { SseEvent } from "../shared/read-sse-events.js";
import { DONE, SsePartStream } from "../shared/sse-part-stream.js";
import {
  type AnthropicErrorContext,
  type AnthropicStopDetails,
  convertAnthropicError,
  convertAnthropicErrorEvent,
  convertAnthropicInBandError,
  convertAnthropicStopFailure,
  describeAnthropicRefusal,
} from "./anthropic-error.js";
import { type AnthropicWireUsage, convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason.js";

/** Where the events come from (an `SseEventReader` over the response body). */
export interface AnthropicEventSource {
  /** The events one read of the body completed (possibly none); undefined at the end or once cancelled. */
  nextBatch(): Promise<readonly SseEvent[] | undefined>;
  /** Stops reading and releases the connection; idempotent, a no-op once the body ended. */
  cancel(): void;
  /** True once `cancel()` was called. */
  readonly cancelled: boolean;
}

export interface AnthropicStreamContext extends AnthropicErrorContext {
  /** The attempt's signal: a stream that ends early while it is aborted is an abort, not a truncation. */
  signal: AbortSignal;
  /** The response's `request-id`, kept on an in-band error as the SDK's `APIError` kept it. */
  requestId?: string | null | undefined;
}

/** One stream event's data, read tolerantly (any field may be missing). */
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
 * Converts the Messages API's server-sent events to stream parts, one pass, nothing buffered but
 * tool-call arguments (needed to parse them when their block stops):
 * - `message_start` → model, id, input usage; `content_block_start` of a `tool_use` → a first
 *   `tool-call-delta` with id and name;
 * - `text_delta` → `text`; `input_json_delta` → `tool-call-delta`; `content_block_stop` of a
 *   `tool_use` → `tool-call` with the parsed input (no deltas means `{}`); input that is not JSON
 *   waits for the stop reason: cut by `max_tokens` it is the raw text, otherwise a malformed reply,
 *   as is a `tool_use` block never closed;
 * - `message_delta` → stop reason and usage (with the `iterations` the top-level counts leave out);
 *   a `refusal` yields one `refusal` part (the explanation) before the finish, a filled context
 *   window throws after the text already yielded; `message_stop` → the one `finish` part.
 * Thinking (and signature), citations and server-tool blocks, `ping` and unknown events are skipped.
 *
 * Thrown (as `ProviderError`): an `event: error` (or an `error` object as data), classed by its
 * `type` (`overloaded_error` → overloaded); data that is not JSON (`invalid_response`); a read
 * failure (reset, abort, timeout). Parts that came before a failure are delivered before it.
 * When the body ends without `message_stop` the iterator just ends (the engine calls that a
 * truncation), unless the attempt's signal was aborted: then it throws an aborted `ProviderError`.
 *
 * An iterator written by hand rather than an async generator: it waits once per network read (all
 * the events a read completed are converted at once). After `message_stop` it reads on to the
 * body's end in the background, so the connection is kept for the next request (a body that does
 * not end is released a second after `return()`); a consumer that stops earlier, or a failure,
 * releases the connection at once (`cancel()`).
 */
export const convertAnthropicStream = (
  source: AnthropicEventSource,
  context: AnthropicStreamContext,
): AsyncIterableIterator<StreamPart> => new AnthropicPartStream(source, context);

/** How long a body may stay open after `message_stop` and `return()` before it is released. */
const releaseAfterMs = 1000;

class AnthropicPartStream extends SsePartStream {
  private readonly converter: AnthropicEventConverter;
  /** The read after `message_stop` that waits for the body's end (see `readToEnd`). */
  private tail: "reading" | "settled" | undefined;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly source: AnthropicEventSource,
    private readonly context: AnthropicStreamContext,
  ) {
    super();
    this.converter = new AnthropicEventConverter(context);
  }

  async return(): Promise<IteratorResult<StreamPart>> {
    this.closed = true;
    this.drop();
    if (this.tail === "reading") this.releaseLater();
    else this.source.cancel();
    return DONE;
  }

  protected override done(): IteratorReturnResult<undefined> {
    if (this.tail === "reading") this.releaseLater();
    return DONE;
  }

  protected read(): Promise<readonly SseEvent[] | undefined> {
    return this.source.nextBatch();
  }

  protected readFailed(error: unknown): void {
    this.fail(convertAnthropicError(error, this.context));
  }

  /**
   * After `message_stop`: one more read, in the background, to see the body end. The server ends
   * it right after that event, but often in a later network read than the event's own, so the
   * consumer is usually done (and calls `return()`) before the end arrives. Cancelling a body that
   * has not ended aborts the fetch: an error built with a stack trace, and the connection torn
   * down instead of kept for the next request, the bulk of a short call's cost. Whatever the read
   * brings, the body is released after it (a no-op once it ended).
   */
  private readToEnd(): void {
    this.tail = "reading";
    const settle = (): void => {
      this.tail = "settled";
      clearTimeout(this.releaseTimer);
      this.source.cancel();
    };
    this.source.nextBatch().then(settle, settle);
  }

  /** A body still open after `message_stop` and `return()`: released at the latest after a bound. */
  private releaseLater(): void {
    if (this.releaseTimer !== undefined) return;
    this.releaseTimer = setTimeout(() => this.source.cancel(), releaseAfterMs);
    this.releaseTimer.unref?.();
  }

  protected convert(events: readonly SseEvent[]): void {
    for (const event of events) {
      try {
        this.converter.push(event, this.parts);
      } catch (error) {
        this.fail(convertAnthropicError(error, this.context));
        return;
      }
      if (this.converter.finished) {
        this.closed = true;
        this.readToEnd();
        return;
      }
    }
  }

  /** The body ended without `message_stop`. */
  protected end(): void {
    this.closed = true;
    // The consumer stopped early (return()): nothing more to say.
    if (this.source.cancelled) return;
    // An abort can end a body quietly: it is the abort, not a truncation.
    if (this.context.signal.aborted) {
      this.fail(
        convertAnthropicError(
          this.context.signal.reason ?? new DOMException("aborted", "AbortError"),
          this.context,
        ),
      );
    }
  }

  private fail(error: unknown): void {
    this.closed = true;
    this.failure = { error };
    this.source.cancel();
  }
}

/**
 * The conversion itself, one event at a time and synchronous: what an event says, as parts
 * appended to `out`. Throws the stream's failures (see `convertAnthropicStream`).
 */
class AnthropicEventConverter {
  /** True once `message_stop` came (and the finish part was produced). */
  finished = false;
  private model: string;
  private id: string | undefined;
  private readonly usage: AnthropicWireUsage = {};
  private stopReason: string | null | undefined;
  private readonly tools: (ToolState | undefined)[] = [];
  private toolCount = 0;
  private refused = false;
  private started = false;
  /** Tool calls whose streamed input is not valid JSON, held until the stop reason says why. */
  private cutTools: ToolState[] = [];

  constructor(private readonly context: AnthropicStreamContext) {
    this.model = context.model;
  }

  push(sse: SseEvent, out: StreamPart[]): void {
    const { data } = sse;
    if (sse.event === "error") throw convertAnthropicErrorEvent(data, this.context, this.context.requestId);
    if (sse.event === "ping" || data === "") return;
    let event: WireEvent;
    try {
      event = JSON.parse(data);
    } catch {
      throw createProviderError(
        { ...this.context, model: this.model },
        { failureClass: "invalid_response", message: "a stream event is not valid JSON" },
      );
    }
    if (typeof event !== "object" || event === null) return;
    switch (event.type) {
      case "content_block_delta": {
        const delta = event.delta;
        if (delta?.type === "text_delta") {
          if (delta.text) out.push({ type: "text", text: delta.text });
        } else if (delta?.type === "input_json_delta") {
          const tool = this.tools[event.index ?? -1];
          if (tool !== undefined && delta.partial_json) {
            tool.json += delta.partial_json;
            out.push({ type: "tool-call-delta", index: tool.index, argumentsDelta: delta.partial_json });
          }
        }
        return;
      }
      case "content_block_start": {
        const block = event.content_block;
        if (block?.type === "tool_use") {
          const tool: ToolState = {
            index: this.toolCount++,
            id: block.id ?? "",
            name: block.name ?? "",
            json: "",
            startInput: block.input,
          };
          this.tools[event.index ?? this.tools.length] = tool;
          out.push({
            type: "tool-call-delta",
            index: tool.index,
            id: tool.id,
            name: tool.name,
            argumentsDelta: "",
          });
        } else if (block?.type === "text" && block.text) {
          out.push({ type: "text", text: block.text });
        }
        return;
      }
      case "content_block_stop": {
        const tool = this.tools[event.index ?? -1];
        if (tool !== undefined) {
          this.tools[event.index!] = undefined;
          const toolCall = completeToolCall(tool, this.context);
          // Input cut off: valid only if the reply stopped at max_tokens, which message_delta says next.
          if (toolCall === undefined) this.cutTools.push(tool);
          else out.push({ type: "tool-call", index: tool.index, toolCall });
        }
        return;
      }
      case "message_start": {
        // One message per stream: a second start would join two replies into one answer.
        if (this.started)
          throw createProviderError(
            { ...this.context, model: this.model },
            { failureClass: "invalid_response", message: "a second message_start in one stream" },
          );
        this.started = true;
        const message = event.message;
        if (message?.model) this.model = message.model;
        if (message?.id) this.id = message.id;
        if (message?.usage) mergeUsage(this.usage, message.usage);
        return;
      }
      case "message_delta": {
        if (event.delta?.stop_reason !== undefined) this.stopReason = event.delta.stop_reason;
        if (event.usage) mergeUsage(this.usage, event.usage);
        const failure = convertAnthropicStopFailure(this.stopReason, this.context);
        if (failure !== undefined) throw failure;
        if (this.stopReason != null) this.endTools(out);
        if (this.stopReason === "refusal" && !this.refused) {
          this.refused = true;
          out.push({ type: "refusal", text: describeAnthropicRefusal(event.delta?.stop_details) });
        }
        return;
      }
      case "message_stop":
        this.endTools(out);
        this.finished = true;
        out.push({
          type: "finish",
          finishReason: mapAnthropicStopReason(this.stopReason),
          usage: convertAnthropicUsage(this.usage),
          model: this.model,
          ...(this.id !== undefined ? { id: this.id } : {}),
        });
        return;
      case "error":
        // A proxy may deliver the error object under another event name (or none).
        throw convertAnthropicInBandError(event, this.context);
    }
  }

  /**
   * Once the stop reason is known (or the message stops without one): a tool call whose input was
   * cut off by `max_tokens` (a documented Anthropic answer) is a tool call with its raw text as
   * `arguments`, as the OpenAI adapter returns one cut by `length`; one cut off by a `refusal` is
   * dropped (the refusal is the answer). Otherwise input that is not JSON, or a `tool_use` block
   * never closed, is a malformed reply: never a success that silently drops the call.
   */
  private endTools(out: StreamPart[]): void {
    const open = this.tools.filter((tool): tool is ToolState => tool !== undefined);
    if (this.cutTools.length === 0 && open.length === 0) return;
    if (this.stopReason === "refusal") {
      // The model was stopped while writing the call: the refusal is the answer, and a call it was
      // refused to finish is never handed back half-written.
      this.tools.length = 0;
      this.cutTools = [];
      return;
    }
    const truncated = this.stopReason === "max_tokens";
    if (!truncated) {
      throw createProviderError(
        { ...this.context, model: this.model },
        {
          failureClass: "invalid_response",
          message:
            this.cutTools.length > 0
              ? "streamed tool-call input is not valid JSON"
              : "a tool_use block was never closed",
        },
      );
    }
    this.tools.length = 0;
    const cut = [...this.cutTools, ...open].sort((a, b) => a.index - b.index);
    this.cutTools = [];
    for (const tool of cut) {
      out.push({
        type: "tool-call",
        index: tool.index,
        toolCall: completeToolCall(tool, this.context) ?? {
          id: tool.id,
          name: tool.name,
          arguments: tool.json,
          rawArguments: tool.json,
        },
      });
    }
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

/** The tool call with its input parsed; undefined when the streamed input is not valid JSON. */
const completeToolCall = (tool: ToolState, context: AnthropicErrorContext): ToolCall | undefined => {
  if (tool.name === "") throw unnamedToolCall(context);
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
    return undefined;
  }
};
