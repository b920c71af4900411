import type { FinishReason, Usage } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { ToolCallAccumulator, type ToolCallDelta } from "../shared/accumulate-tool-call-deltas.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import { createProviderError } from "../shared/create-provider-error.js";
import type { SseEvent } from "../shared/read-sse-events.js";
import { DONE, SsePartStream } from "../shared/sse-part-stream.js";
import { convertOpenAIUsage, type OpenAIWireUsage } from "./convert-openai-usage.js";
import { getContentFilterCategories } from "./get-content-filter-categories.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { convertOpenAIError, convertOpenAIInBandError, type OpenAIErrorContext } from "./openai-error.js";

/** A stream chunk as we read it: deliberately partial, every field optional. */
interface OpenAIWireChunk {
  id?: unknown;
  model?: unknown;
  error?: unknown;
  usage?: OpenAIWireUsage | null;
  choices?: Array<{
    index?: number | null;
    delta?: { content?: unknown; refusal?: unknown; tool_calls?: ToolCallDelta[] | null } | null;
    finish_reason?: string | null;
    content_filter_results?: unknown;
  } | null> | null;
  [field: string]: unknown;
}

/** Where the events come from: `next()` gives undefined at the end (or once cancelled). */
export interface SseEventSource {
  next(): Promise<SseEvent | undefined>;
  /**
   * Optional, preferred when present: the events one read of the body completed (possibly none),
   * undefined at the end (or once cancelled). One wait per network read, not one per event.
   */
  nextBatch?(): Promise<readonly SseEvent[] | undefined>;
  /** Stops reading and releases the connection; idempotent, a no-op once the body ended. */
  cancel(): void;
  /** True once `cancel()` was called (by us after `[DONE]`, or by a consumer that stopped early). */
  readonly cancelled: boolean;
}

export interface OpenAIStreamContext extends OpenAIErrorContext {
  /** Top-level chunk fields kept for the finish part's `raw` (Perplexity: `citations`, `search_results`). */
  rawFields?: readonly string[] | undefined;
  /** Called with every parsed chunk before the parts it produces (the drop-in keeps OpenAI's own). */
  onChunk?: ((chunk: Record<string, unknown>) => void) | undefined;
  /**
   * Called with every part as it is produced, after the `onChunk` calls of the chunks that produced
   * it and before the next chunk's; the part is replaced by what it returns (the drop-in labels a
   * part with its chunks). Parts are produced a network read at a time, ahead of the consumer, so
   * pairing chunks with parts belongs here, not where the parts are read.
   */
  labelPart?: ((part: StreamPart) => StreamPart) | undefined;
}

/**
 * Converts Chat Completions SSE events to stream parts: `text` and `tool-call-delta` as they arrive,
 * `tool-call` for every call once the choice finishes, and one `finish` — only when the stream
 * really ended: `[DONE]` arrived, or the body ended after a `finish_reason` (OpenAI sends the
 * finish chunk, then the usage chunk with `choices: []`, then `[DONE]`). A body that ends without
 * either yields no `finish`: the engine reports it as a truncation.
 *
 * A refusal streams as `refusal` parts (`delta.refusal`), and the finish then says
 * `content-filter` (a refusal is an answer, not a failure).
 *
 * Tolerated: Azure's annotation chunks (`choices: []`, `prompt_filter_results`, empty `id` and
 * `model`), chunks without `usage` or `id`, a `finish_reason` that stays null until `[DONE]` once
 * content came.
 * Thrown (as `ProviderError`): an `error` frame or a chunk with an `error` field (classified by its
 * code and type), a frame that is not JSON (`invalid_response`), `finish_reason: "error"`
 * (`server_error`), `finish_reason: "content_filter"` (`content_filter` with Azure's categories,
 * after the text that came before it), a stream that reached `[DONE]` with neither content nor a
 * finish reason (`invalid_response`: an empty reply is not a success), and any read failure
 * (reset, abort). Parts that came before a failure are delivered before it is thrown.
 *
 * An iterator written by hand rather than an async generator: a stream crosses it once per event,
 * and it waits once per network read (all the events a read completed are converted at once).
 * The body is always released: at `[DONE]`, on a failure, at the end, or when the consumer stops.
 */
export const convertOpenAIStream = (
  source: SseEventSource,
  context: OpenAIStreamContext,
): AsyncIterableIterator<StreamPart> => new OpenAIPartStream(source, context);

class OpenAIPartStream extends SsePartStream {
  private readonly converter: OpenAIChunkConverter;

  constructor(
    private readonly source: SseEventSource,
    private readonly context: OpenAIStreamContext,
  ) {
    super();
    this.converter = new OpenAIChunkConverter(context);
  }

  async return(): Promise<IteratorResult<StreamPart>> {
    this.closed = true;
    this.drop();
    this.source.cancel();
    return DONE;
  }

  protected async read(): Promise<readonly SseEvent[] | undefined> {
    if (this.source.nextBatch) return this.source.nextBatch();
    const event = await this.source.next();
    return event === undefined ? undefined : [event];
  }

  protected readFailed(error: unknown): void {
    this.fail(convertOpenAIError(error, this.context));
  }

  protected convert(events: readonly SseEvent[]): void {
    for (const event of events) {
      let more: boolean;
      try {
        more = this.converter.push(event, this.parts);
      } catch (error) {
        this.fail(convertOpenAIError(error, this.context));
        return;
      }
      if (!more) {
        // Like openai-node: stop reading at the sentinel and release the connection now, not
        // whenever the consumer gets round to the parts still to come.
        this.source.cancel();
        this.end();
        return;
      }
    }
  }

  /** The body ended (or `[DONE]` came): the closing parts, if the stream really ended. */
  protected end(): void {
    this.closed = true;
    // The consumer stopped early (return()): nothing more to say.
    if (this.source.cancelled && !this.converter.sawDone) return;
    if (this.context.signal?.aborted) {
      this.fail(convertOpenAIError(this.context.signal.reason, this.context));
      return;
    }
    try {
      this.converter.end(this.parts);
    } catch (error) {
      this.fail(error);
    }
    this.source.cancel();
  }

  private fail(error: unknown): void {
    this.closed = true;
    this.failure = { error };
    this.source.cancel();
  }
}

/**
 * The conversion itself, one event at a time and synchronous: what an event says, as parts
 * appended to `out`. Throws the stream's failures (see `convertOpenAIStream`).
 */
class OpenAIChunkConverter {
  sawDone = false;
  private readonly toolCalls = new ToolCallAccumulator();
  private readonly rawFields: readonly string[] | undefined;
  private finishRaw: string | undefined;
  private sawContent = false;
  private sawRefusal = false;
  private usage: OpenAIWireUsage | undefined;
  private id: string | undefined;
  private model: string | undefined;
  private raw: Record<string, unknown> | undefined;

  constructor(private readonly context: OpenAIStreamContext) {
    this.rawFields = context.rawFields && context.rawFields.length > 0 ? context.rawFields : undefined;
  }

  /** Converts one event; false at `[DONE]` (read no further). */
  push(event: SseEvent, out: StreamPart[]): boolean {
    const { data } = event;
    if (data === "[DONE]") {
      this.sawDone = true;
      return false;
    }
    let chunk: OpenAIWireChunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw createProviderError(
        { ...this.context, model: this.model ?? this.context.model },
        { failureClass: "invalid_response", message: "a stream event is not valid JSON" },
      );
    }
    if (typeof chunk !== "object" || chunk === null) return true;
    this.context.onChunk?.(chunk);
    if (chunk.error || event.event === "error")
      throw convertOpenAIInBandError(chunk.error ?? chunk, this.context);
    if (this.id === undefined && typeof chunk.id === "string" && chunk.id !== "") this.id = chunk.id;
    if (this.model === undefined && typeof chunk.model === "string" && chunk.model !== "")
      this.model = chunk.model;
    if (chunk.usage) this.usage = chunk.usage;
    if (this.rawFields) {
      for (const field of this.rawFields) {
        if (chunk[field] !== undefined) (this.raw ??= {})[field] = chunk[field];
      }
    }
    const { choices } = chunk;
    if (!Array.isArray(choices)) return true;
    for (const choice of choices) {
      if (!choice || (choice.index ?? 0) !== 0) continue;
      const delta = choice.delta;
      if (delta) {
        const { content, refusal } = delta;
        if (typeof content === "string" && content !== "") {
          this.sawContent = true;
          this.emit(out, { type: "text", text: content });
        }
        if (typeof refusal === "string" && refusal !== "") {
          this.sawContent = this.sawRefusal = true;
          this.emit(out, { type: "refusal", text: refusal });
        }
        if (Array.isArray(delta.tool_calls)) {
          for (const piece of delta.tool_calls) {
            if (!piece) continue;
            this.sawContent = true;
            const part = this.toolCalls.add(piece);
            if (part) this.emit(out, part);
          }
        }
      }
      if (choice.finish_reason) {
        this.finishRaw = choice.finish_reason;
        const failure = createFinishReasonError(
          this.finishRaw,
          { ...this.context, model: this.model ?? this.context.model },
          getContentFilterCategories(choice.content_filter_results),
        );
        if (failure) throw failure;
      }
    }
    return true;
  }

  /** Appends a part as it is produced, right after the chunks that produced it (see `labelPart`). */
  private emit(out: StreamPart[], part: StreamPart): void {
    out.push(this.context.labelPart ? this.context.labelPart(part) : part);
  }

  /** After the last event: the tool calls and the finish, or nothing when the stream was cut short. */
  end(out: StreamPart[]): void {
    if (!this.sawDone && this.finishRaw === undefined) return;
    if (this.finishRaw === undefined && !this.sawContent) {
      // `data: [DONE]` after nothing (or only role, usage or annotation chunks): not a reply.
      throw createProviderError(
        { ...this.context, model: this.model ?? this.context.model },
        {
          failureClass: "invalid_response",
          message: "the stream ended with [DONE] before any content or finish reason",
        },
      );
    }
    if (this.toolCalls.size > 0) {
      const context = { ...this.context, model: this.model ?? this.context.model };
      for (const call of this.toolCalls.complete(context)) this.emit(out, call);
    }
    const finishReason = finishReasonOf(this.finishRaw, this.toolCalls.size > 0);
    this.emit(out, {
      type: "finish",
      finishReason: this.sawRefusal ? { unified: "content-filter", raw: finishReason.raw } : finishReason,
      usage: convertOpenAIUsage(this.usage) satisfies Usage,
      model: this.model ?? this.context.model,
      ...(this.id !== undefined ? { id: this.id } : {}),
      ...(this.raw !== undefined ? { raw: this.raw } : {}),
    });
  }
}

/** A stream that ended with `[DONE]` but never set `finish_reason` finished normally. */
const finishReasonOf = (raw: string | undefined, hasToolCalls: boolean): FinishReason =>
  raw !== undefined
    ? mapOpenAIFinishReason(raw)
    : { unified: hasToolCalls ? "tool-calls" : "stop", raw: undefined };
