import type { StreamPart } from "../../spec/stream.js";
import { type AiSdkErrorContext, convertAiSdkError, convertAiSdkFinishFailure } from "./ai-sdk-error.js";
import {
  convertAiSdkUsage,
  parseToolInput,
  readAiSdkFinishReason,
  toFinishReason,
} from "./convert-ai-sdk-result-parts.js";

export interface AiSdkStreamContext extends AiSdkErrorContext {
  /** The attempt's signal: its abort cancels the read in progress, whatever the model does with it. */
  signal: AbortSignal;
  /** The model's specification version ("v2", "v3", "v4"). */
  version: string;
}

type Fields = Record<string, unknown>;
const isRecord = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const noop = (): void => {};

/**
 * An AI SDK stream (`doStream().stream`, any version) as our stream parts:
 * - `text-delta` → `text`; `tool-input-start` / `tool-input-delta` → `tool-call-delta` (the first
 *   with id and name); `tool-call` → `tool-call` (with a first delta when no input was streamed);
 *   provider-executed tools, reasoning, sources, files and metadata parts are not content;
 * - an `error` part throws it, classified (before the first content the engine falls over);
 * - `finish` ends the parts with our `finish` (model and id from `response-metadata`), unless it
 *   is a failure (content filter, error: thrown) or says the provider sent no finish reason (v4
 *   `interrupted`, v3 `other` without a raw reason, v2 `unknown`), which, like a stream that closes
 *   with no `finish` at all, ends without one: a truncation.
 * `return()` cancels the stream at once, even while a read is pending; so does the attempt's abort.
 */
export const convertAiSdkStream = (
  stream: ReadableStream<unknown>,
  context: AiSdkStreamContext,
): AsyncIterable<StreamPart> => {
  const reader = stream.getReader();
  let released = false;
  const release = (reason?: unknown) => {
    if (released) return;
    released = true;
    context.signal.removeEventListener("abort", onAbort);
    // A pending read resolves as done once the reader is cancelled.
    reader.cancel(reason).catch(noop);
  };
  const onAbort = () => release(context.signal.reason);
  if (context.signal.aborted) onAbort();
  else context.signal.addEventListener("abort", onAbort, { once: true });
  const parts = readParts(reader, context);
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        try {
          const result = await parts.next();
          if (result.done) release();
          return result;
        } catch (error) {
          release();
          throw error;
        }
      },
      return: async () => {
        release();
        await parts.return(undefined).catch(noop);
        return { done: true as const, value: undefined };
      },
    }),
  };
};

async function* readParts(
  reader: ReadableStreamDefaultReader<unknown>,
  context: AiSdkStreamContext,
): AsyncGenerator<StreamPart, void, undefined> {
  const tools = new Map<string, number>();
  let toolCount = 0;
  let model = context.model;
  let id: string | undefined;
  for (;;) {
    let result: ReadableStreamReadResult<unknown>;
    try {
      result = await reader.read();
    } catch (error) {
      throw convertAiSdkError(error, context);
    }
    if (result.done) {
      if (context.signal.aborted) throw convertAiSdkError(context.signal.reason, context);
      return;
    }
    const part = result.value;
    if (!isRecord(part)) continue;
    switch (part.type) {
      case "response-metadata":
        if (typeof part.modelId === "string" && part.modelId !== "") model = part.modelId;
        if (typeof part.id === "string") id = part.id;
        break;
      case "text-delta": {
        // v2+ name the piece `delta` (`textDelta` in older shapes).
        const text = typeof part.delta === "string" ? part.delta : part.textDelta;
        if (typeof text === "string" && text !== "") yield { type: "text", text };
        break;
      }
      case "tool-input-start": {
        if (part.providerExecuted === true || typeof part.id !== "string") break;
        const index = toolCount++;
        tools.set(part.id, index);
        yield {
          type: "tool-call-delta",
          index,
          id: part.id,
          name: String(part.toolName ?? ""),
          argumentsDelta: "",
        };
        break;
      }
      case "tool-input-delta": {
        const index = typeof part.id === "string" ? tools.get(part.id) : undefined;
        if (index !== undefined && typeof part.delta === "string" && part.delta !== "")
          yield { type: "tool-call-delta", index, argumentsDelta: part.delta };
        break;
      }
      case "tool-call": {
        if (part.providerExecuted === true) break;
        const callId = String(part.toolCallId ?? "");
        const name = String(part.toolName ?? "");
        const input = typeof part.input === "string" ? part.input : JSON.stringify(part.input ?? {});
        let index = tools.get(callId);
        if (index === undefined) {
          index = toolCount++;
          yield { type: "tool-call-delta", index, id: callId, name, argumentsDelta: input };
        }
        yield {
          type: "tool-call",
          index,
          toolCall: { id: callId, name, arguments: parseToolInput(input), rawArguments: input },
        };
        break;
      }
      case "error":
        throw convertAiSdkError(part.error, context);
      case "finish": {
        const { unified, raw, interrupted } = readAiSdkFinishReason(part.finishReason, context.version);
        const failure = convertAiSdkFinishFailure(unified, raw, part.providerMetadata, context);
        if (failure) throw failure;
        if (interrupted) return;
        yield {
          type: "finish",
          finishReason: toFinishReason(unified, raw),
          usage: convertAiSdkUsage(part.usage),
          model,
          ...(id !== undefined ? { id } : {}),
          ...(part.providerMetadata !== undefined ? { raw: part.providerMetadata } : {}),
        };
        return;
      }
    }
  }
}
