import type { FinishReason, Usage } from "../../spec/result.js";
import type { StreamPart } from "../../spec/stream.js";
import { ToolCallAccumulator, type ToolCallDelta } from "../shared/accumulate-tool-call-deltas.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import { createProviderError } from "../shared/create-provider-error.js";
import { convertOpenAIUsage, type OpenAIWireUsage } from "./convert-openai-usage.js";
import { getContentFilterCategories } from "./get-content-filter-categories.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { convertOpenAIError, convertOpenAIInBandError, type OpenAIErrorContext } from "./openai-error.js";
import type { SseEvent } from "./read-sse-events.js";

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
 * (reset, abort).
 */
export async function* convertOpenAIStream(
  source: SseEventSource,
  context: OpenAIStreamContext,
): AsyncGenerator<StreamPart, void, undefined> {
  const toolCalls = new ToolCallAccumulator();
  const rawFields = context.rawFields && context.rawFields.length > 0 ? context.rawFields : undefined;
  let finishRaw: string | undefined;
  let sawDone = false;
  let sawContent = false;
  let sawRefusal = false;
  let usage: OpenAIWireUsage | undefined;
  let id: string | undefined;
  let model: string | undefined;
  let raw: Record<string, unknown> | undefined;
  try {
    try {
      for (let event = await source.next(); event !== undefined; event = await source.next()) {
        const { data } = event;
        if (data === "[DONE]") {
          sawDone = true;
          // Like openai-node: stop reading at the sentinel and release the connection now, not
          // whenever the consumer gets round to the parts still to come.
          source.cancel();
          break;
        }
        let chunk: OpenAIWireChunk;
        try {
          chunk = JSON.parse(data);
        } catch {
          throw createProviderError(
            { ...context, model: model ?? context.model },
            { failureClass: "invalid_response", message: "a stream event is not valid JSON" },
          );
        }
        if (typeof chunk !== "object" || chunk === null) continue;
        context.onChunk?.(chunk);
        if (chunk.error || event.event === "error")
          throw convertOpenAIInBandError(chunk.error ?? chunk, context);
        if (id === undefined && typeof chunk.id === "string" && chunk.id !== "") id = chunk.id;
        if (model === undefined && typeof chunk.model === "string" && chunk.model !== "") model = chunk.model;
        if (chunk.usage) usage = chunk.usage;
        if (rawFields) {
          for (const field of rawFields) {
            if (chunk[field] !== undefined) (raw ??= {})[field] = chunk[field];
          }
        }
        const { choices } = chunk;
        if (!Array.isArray(choices)) continue;
        for (const choice of choices) {
          if (!choice || (choice.index ?? 0) !== 0) continue;
          const delta = choice.delta;
          if (delta) {
            const { content, refusal } = delta;
            if (typeof content === "string" && content !== "") {
              sawContent = true;
              yield { type: "text", text: content };
            }
            if (typeof refusal === "string" && refusal !== "") {
              sawContent = sawRefusal = true;
              yield { type: "refusal", text: refusal };
            }
            if (Array.isArray(delta.tool_calls)) {
              for (const piece of delta.tool_calls) {
                if (!piece) continue;
                sawContent = true;
                const part = toolCalls.add(piece);
                if (part) yield part;
              }
            }
          }
          if (choice.finish_reason) {
            finishRaw = choice.finish_reason;
            const failure = createFinishReasonError(
              finishRaw,
              { ...context, model: model ?? context.model },
              getContentFilterCategories(choice.content_filter_results),
            );
            if (failure) throw failure;
          }
        }
      }
    } catch (error) {
      throw convertOpenAIError(error, context);
    }
    // The consumer stopped early (return()): nothing more to say.
    if (source.cancelled && !sawDone) return;
    if (context.signal?.aborted) throw convertOpenAIError(context.signal.reason, context);
    if (!sawDone && finishRaw === undefined) return;
    if (finishRaw === undefined && !sawContent) {
      // `data: [DONE]` after nothing (or only role, usage or annotation chunks): not a reply.
      throw createProviderError(
        { ...context, model: model ?? context.model },
        {
          failureClass: "invalid_response",
          message: "the stream ended with [DONE] before any content or finish reason",
        },
      );
    }
    if (toolCalls.size > 0) yield* toolCalls.complete();
    const finishReason = finishReasonOf(finishRaw, toolCalls.size > 0);
    yield {
      type: "finish",
      finishReason: sawRefusal ? { unified: "content-filter", raw: finishReason.raw } : finishReason,
      usage: convertOpenAIUsage(usage) satisfies Usage,
      model: model ?? context.model,
      ...(id !== undefined ? { id } : {}),
      ...(raw !== undefined ? { raw } : {}),
    };
  } finally {
    // An error, an early return or the end: never leave the response body open.
    source.cancel();
  }
}

/** A stream that ended with `[DONE]` but never set `finish_reason` finished normally. */
const finishReasonOf = (raw: string | undefined, hasToolCalls: boolean): FinishReason =>
  raw !== undefined
    ? mapOpenAIFinishReason(raw)
    : { unified: hasToolCalls ? "tool-calls" : "stop", raw: undefined };
