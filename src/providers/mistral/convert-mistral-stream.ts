import { isProviderError } from "../../errors/provider-error.js";
import type { StreamPart } from "../../spec/stream.js";
import { ToolCallAccumulator } from "../shared/accumulate-tool-call-deltas.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import { createProviderError } from "../shared/create-provider-error.js";
import type { SseEvent, SseEventReader } from "../shared/read-sse-events.js";
import { DONE, SsePartStream } from "../shared/sse-part-stream.js";
import { createMistralToolCallId } from "./convert-mistral-tool-call.js";
import { convertMistralUsage, type MistralWireUsage } from "./convert-mistral-usage.js";
import { extractMistralText } from "./extract-mistral-text.js";
import { mapMistralFinishReason } from "./map-mistral-finish-reason.js";
import { convertMistralError, convertMistralInBandError, type MistralErrorContext } from "./mistral-error.js";

export interface MistralStreamContext extends MistralErrorContext {
  /**
   * The attempt's own signal (caller/engine abort, deadline, consumer stop). Its abort cancels the
   * read in progress and the response body, whether or not fetch still honours its signal.
   */
  attemptSignal: AbortSignal;
  /** Called once when the parts end, for any reason: `complete` when the stream ended normally. */
  onClose?: ((complete: boolean) => void) | undefined;
  /** Called when the consumer stops before the end (`return()`), before the body is released. */
  onStop?: (() => void) | undefined;
}

/** A stream chunk as the wire sends it (snake_case): deliberately partial, every field optional. */
interface MistralWireChunk {
  id?: unknown;
  model?: unknown;
  usage?: MistralWireUsage | null;
  choices?: unknown;
}

interface MistralWireChoice {
  index?: unknown;
  delta?: {
    content?: unknown;
    tool_calls?: unknown;
  } | null;
  finish_reason?: unknown;
}

interface MistralWireToolCall {
  id?: unknown;
  index?: unknown;
  function?: { name?: unknown; arguments?: unknown } | null;
}

/**
 * Converts the events of a Mistral chat stream, read from the raw response body (see
 * `hook-sdk-calls.ts`), into stream parts — the semantics of the SDK's path
 * (`convertMistralSdkStream`), without its per-chunk validation:
 *
 * - `text` parts from `choices[0].delta.content`, a string or content chunks of which only `text`
 *   chunks are the answer (`thinking`, `reference` and unknown chunks are skipped);
 * - tool calls joined by `index` (0 when absent, as the SDK fills it in; see `ToolCallAccumulator`):
 *   `tool-call-delta` parts as the pieces arrive, the complete `tool-call` parts before the finish;
 *   `arguments` may arrive as JSON text or as an object;
 * - the terminal event is the chunk carrying a `finish_reason`: `finish` is yielded (once the stream
 *   ends, at `data: [DONE]` or the end of the body, so that usage sent after it is not lost) only
 *   when one was seen. A body that ends without one yields no `finish`: the engine reports a
 *   truncation. A failure after the finish reason (the connection cut before `[DONE]`) loses
 *   nothing and is ignored — but an abort never is.
 *
 * Thrown (classified): `finish_reason` `error` / `content_filter` (after the text before it), a
 * data line that is not JSON (`invalid_response`), an event that is not a chunk (an error object:
 * classified by its `type` and `code`; anything else `invalid_response`), any read failure (reset,
 * abort, deadline). Parts that came before a failure are delivered before it is thrown.
 *
 * An iterator written by hand rather than an async generator: it waits once per network read (all
 * the events a read completed are converted at once), and its `return()` releases the connection
 * at once, even before the first `next()` or while a read is pending. The body is always released:
 * at `[DONE]`, on a failure, on the attempt's abort, or when the consumer stops.
 */
export const convertMistralStream = (
  reader: SseEventReader,
  context: MistralStreamContext,
): AsyncIterableIterator<StreamPart> => new MistralPartStream(reader, context);

class MistralPartStream extends SsePartStream {
  private readonly converter: MistralChunkConverter;
  /** A pending read resolves as done when the reader is cancelled: how an abort ends a stall. */
  private readonly onAbort = (): void => this.reader.cancel();

  constructor(
    private readonly reader: SseEventReader,
    private readonly context: MistralStreamContext,
  ) {
    super();
    this.converter = new MistralChunkConverter(context);
    if (context.attemptSignal.aborted) reader.cancel();
    else context.attemptSignal.addEventListener("abort", this.onAbort, { once: true });
  }

  async return(): Promise<IteratorResult<StreamPart>> {
    this.drop();
    if (this.closed) return DONE;
    this.context.onStop?.();
    // A `next()` still waiting on the network ends with the abort; later ones are done.
    const { attemptSignal } = this.context;
    if (this.reading && attemptSignal.aborted)
      this.failure = { error: convertMistralError(attemptSignal.reason, this.context) };
    this.close(false);
    return DONE;
  }

  protected read(): Promise<readonly SseEvent[] | undefined> {
    return this.reader.nextBatch();
  }

  protected readFailed(error: unknown): void {
    if (!this.closed) this.fail(error);
  }

  protected convert(events: readonly SseEvent[]): void {
    for (const event of events) {
      let more: boolean;
      try {
        more = this.converter.push(event, this.parts);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (!more) {
        // `[DONE]`: release the connection now, not whenever the consumer reads the last parts.
        this.end();
        return;
      }
    }
  }

  /** The body ended, or `[DONE]` came: the closing parts, if the stream really finished. */
  protected end(): void {
    const { attemptSignal } = this.context;
    if (attemptSignal.aborted) {
      this.fail(attemptSignal.reason);
      return;
    }
    this.converter.end(this.parts);
    this.close(true);
  }

  /** A failure: thrown after the parts before it, unless the finish reason already came. */
  private fail(error: unknown): void {
    const failure = convertMistralError(error, this.context);
    const finished =
      this.converter.finishRaw !== undefined &&
      isProviderError(failure) &&
      failure.failureClass !== "aborted";
    if (finished) {
      this.converter.end(this.parts);
      this.close(true);
      return;
    }
    this.failure = { error: failure };
    this.close(false);
  }

  private close(complete: boolean): void {
    this.closed = true;
    this.context.attemptSignal.removeEventListener("abort", this.onAbort);
    this.reader.cancel();
    this.context.onClose?.(complete);
  }
}

/**
 * The conversion itself, one event at a time and synchronous: what an event says, as parts
 * appended to `out`. Throws the stream's failures (see `convertMistralStream`).
 */
class MistralChunkConverter {
  finishRaw: string | undefined;
  private readonly toolCalls = new ToolCallAccumulator({ createId: createMistralToolCallId });
  private usage: MistralWireUsage | undefined;
  private id: string | undefined;
  private model: string;

  constructor(private readonly context: MistralErrorContext) {
    this.model = context.model;
  }

  /** Converts one event; false at `[DONE]` (read no further). */
  push(event: SseEvent, out: StreamPart[]): boolean {
    const { data } = event;
    if (data === "[DONE]") return false;
    let chunk: MistralWireChunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw createProviderError(
        { ...this.context, model: this.model },
        { failureClass: "invalid_response", message: "a stream event is not valid JSON" },
      );
    }
    if (typeof chunk !== "object" || chunk === null || !Array.isArray(chunk.choices))
      throw convertMistralInBandError(chunk, { ...this.context, model: this.model });
    if (this.id === undefined && typeof chunk.id === "string") this.id = chunk.id;
    if (typeof chunk.model === "string" && chunk.model !== "") this.model = chunk.model;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices[0] as MistralWireChoice | null | undefined;
    if (typeof choice !== "object" || choice === null) return true;
    const delta = choice.delta;
    if (typeof delta === "object" && delta !== null) {
      const { content } = delta;
      if (content) {
        const text =
          typeof content === "string" ? content : Array.isArray(content) ? extractMistralText(content) : "";
        if (text) out.push({ type: "text", text });
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const piece of delta.tool_calls as (MistralWireToolCall | null)[]) {
          if (typeof piece !== "object" || piece === null) continue;
          const part = this.toolCalls.add(toToolCallDelta(piece));
          if (part) out.push(part);
        }
      }
    }
    const finishReason = choice.finish_reason;
    if (typeof finishReason === "string" && finishReason !== "") {
      const finishError = createFinishReasonError(finishReason, { ...this.context, model: this.model });
      if (finishError) throw finishError;
      this.finishRaw = finishReason;
    }
    return true;
  }

  /** After the last event: the tool calls and the finish, or nothing when no finish reason came. */
  end(out: StreamPart[]): void {
    if (this.finishRaw === undefined) return;
    if (this.toolCalls.size > 0)
      for (const call of this.toolCalls.complete({ ...this.context, model: this.model })) out.push(call);
    out.push({
      type: "finish",
      finishReason: mapMistralFinishReason(this.finishRaw),
      usage: convertMistralUsage(this.usage),
      model: this.model,
      ...(this.id !== undefined ? { id: this.id } : {}),
    });
  }
}

/** A wire tool-call piece as the accumulator takes it: index 0 and text arguments, as the SDK gives them. */
const toToolCallDelta = (piece: MistralWireToolCall) => {
  const fn = typeof piece.function === "object" && piece.function !== null ? piece.function : {};
  const args = fn.arguments;
  return {
    index: typeof piece.index === "number" ? piece.index : 0,
    id: typeof piece.id === "string" ? piece.id : undefined,
    function: {
      name: typeof fn.name === "string" ? fn.name : undefined,
      arguments:
        typeof args === "string" ? args : args === undefined || args === null ? "" : JSON.stringify(args),
    },
  };
};
