import type { CompletionEvent, UsageInfo } from "@mistralai/mistralai/models/components";
import { isProviderError } from "../../errors/provider-error.js";
import type { StreamPart } from "../../spec/stream.js";
import { ToolCallAccumulator } from "../shared/accumulate-tool-call-deltas.js";
import { createFinishReasonError } from "../shared/create-finish-reason-error.js";
import type { MistralStreamContext } from "./convert-mistral-stream.js";
import { createMistralToolCallId } from "./convert-mistral-tool-call.js";
import { convertMistralUsage } from "./convert-mistral-usage.js";
import { extractMistralText } from "./extract-mistral-text.js";
import { mapMistralFinishReason } from "./map-mistral-finish-reason.js";
import { convertMistralError } from "./mistral-error.js";

const noop = (): void => {};

/**
 * Converts the SDK's chunk stream (a `ReadableStream` of `{ data: chunk }`) into stream parts: the
 * path of a client whose raw response the adapter could not take (see `hook-sdk-calls.ts`); the
 * adapter otherwise reads the events itself (`convertMistralStream`), with the same semantics.
 *
 * The SDK ends its stream quietly both on `[DONE]` and on a connection closed early, so the
 * terminal event is the chunk carrying a `finish_reason`: `finish` is yielded (once the stream
 * ends, so that usage sent after it is not lost) only when one was seen. A failure after the finish
 * reason (the connection cut before `[DONE]`) loses nothing and is ignored.
 *
 * Tool calls are joined by `index` (see `ToolCallAccumulator`): Mistral's own models send each call
 * whole in one delta, but the API relaying other vendors' models sends OpenAI-style pieces — a
 * first delta with id, name and `arguments: ""`, then pieces whose id the SDK fills with "null",
 * with `name: ""` and the argument text. `tool-call-delta` parts stream as the pieces arrive; the
 * complete `tool-call` parts come before the finish. Every error is rethrown classified.
 */
export async function* convertMistralSdkStream(
  events: ReadableStream<CompletionEvent>,
  context: MistralStreamContext,
): AsyncGenerator<StreamPart, void, undefined> {
  const { attemptSignal } = context;
  let finishRaw: string | undefined;
  let usage: UsageInfo | undefined;
  let model = context.model;
  let id: string | undefined;
  const toolCalls = new ToolCallAccumulator({ createId: createMistralToolCallId });
  let complete = false;
  const reader = events.getReader();
  // A pending read() resolves as done when the reader is cancelled: that is how an abort ends a
  // stalled stream even if fetch lost its signal.
  const cancel = () => reader.cancel(attemptSignal.reason).catch(noop);
  attemptSignal.addEventListener("abort", cancel, { once: true });
  try {
    while (true) {
      const result = await reader.read();
      if (result.done) break;
      const chunk = result.value.data;
      id ??= chunk.id;
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      const { content, toolCalls: pieces } = choice.delta;
      if (content) {
        const text = typeof content === "string" ? content : extractMistralText(content);
        if (text) yield { type: "text", text };
      }
      if (pieces) {
        for (const piece of pieces) {
          const args = piece.function.arguments;
          const part = toolCalls.add({
            index: piece.index,
            id: piece.id,
            function: {
              name: piece.function.name,
              arguments: typeof args === "string" ? args : JSON.stringify(args),
            },
          });
          if (part) yield part;
        }
      }
      if (choice.finishReason) {
        const finishError = createFinishReasonError(choice.finishReason, { ...context, model });
        if (finishError) throw finishError;
        finishRaw = choice.finishReason;
      }
    }
    if (attemptSignal.aborted) throw attemptSignal.reason;
    complete = true;
  } catch (error) {
    const failure = convertMistralError(error, context);
    const aborted = isProviderError(failure) && failure.failureClass === "aborted";
    if (finishRaw === undefined || aborted || !isProviderError(failure)) throw failure;
  } finally {
    attemptSignal.removeEventListener("abort", cancel);
    if (!complete) void cancel();
    context.onClose?.(complete);
  }
  if (finishRaw === undefined) return;
  if (toolCalls.size > 0) yield* toolCalls.complete({ ...context, model });
  yield {
    type: "finish",
    finishReason: mapMistralFinishReason(finishRaw),
    usage: convertMistralUsage(usage),
    model,
    ...(id !== undefined ? { id } : {}),
  };
}
