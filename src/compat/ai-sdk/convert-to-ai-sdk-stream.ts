import type { LanguageModelV4StreamPart, SharedV4Warning } from "@ai-sdk/provider";
import type { Attempt } from "../../spec/attempt.js";
import type { ChatStream, ChatStreamEvent } from "../../spec/chat.js";
import { convertToAiSdkError } from "./convert-to-ai-sdk-error.js";
import { toolInputText } from "./convert-to-ai-sdk-result.js";
import {
  convertToAiSdkFinishReason,
  convertToAiSdkUsage,
  unknownAiSdkUsage,
} from "./convert-to-ai-sdk-usage.js";
import { createFailoverMetadata } from "./failover-metadata.js";

type Controller = ReadableStreamDefaultController<LanguageModelV4StreamPart>;

/** Open text block and tool inputs of the stream being converted. */
class StreamState {
  #blocks = 0;
  #textId: string | undefined;
  /** Tool inputs announced with `tool-input-start`, by tool-call index. */
  #tools = new Map<number, { id: string; toolName: string }>();

  constructor(
    private readonly stream: ChatStream,
    private readonly controller: Controller,
  ) {}

  /** Enqueues the parts of one engine event; resolves true after the finish. */
  async handle(event: ChatStreamEvent): Promise<boolean> {
    const { controller } = this;
    switch (event.type) {
      case "start":
        controller.enqueue({ type: "response-metadata", modelId: event.model });
        return false;
      // A refusal is text the model wrote, as the AI SDK's own OpenAI provider reports it
      // (finish reason "content-filter" says what it was).
      case "refusal":
      case "text":
        if (event.text === "") return false;
        if (this.#textId === undefined) {
          this.#textId = String(this.#blocks++);
          controller.enqueue({ type: "text-start", id: this.#textId });
        }
        controller.enqueue({ type: "text-delta", id: this.#textId, delta: event.text });
        return false;
      case "tool-call-delta": {
        this.#endText();
        let tool = this.#tools.get(event.index);
        if (tool === undefined) {
          // Announced once its id and name are known (adapters send both on the first piece).
          if (!event.id || !event.name) return false;
          tool = { id: event.id, toolName: event.name };
          this.#tools.set(event.index, tool);
          controller.enqueue({ type: "tool-input-start", id: tool.id, toolName: tool.toolName });
        }
        if (event.argumentsDelta !== "")
          controller.enqueue({ type: "tool-input-delta", id: tool.id, delta: event.argumentsDelta });
        return false;
      }
      case "tool-call": {
        this.#endText();
        const tool = this.#tools.get(event.index);
        if (tool !== undefined) {
          this.#tools.delete(event.index);
          controller.enqueue({ type: "tool-input-end", id: tool.id });
        }
        const call = event.toolCall;
        controller.enqueue({
          type: "tool-call",
          toolCallId: call.id,
          toolName: call.name,
          input: toolInputText(call),
        });
        return false;
      }
      case "finish": {
        this.#endOpenParts();
        // Settled before the engine yields its finish: it holds the id and the attempts.
        const result = await this.stream.result();
        controller.enqueue({
          type: "response-metadata",
          ...(result.id !== undefined ? { id: result.id } : {}),
          modelId: event.model,
        });
        controller.enqueue({
          type: "finish",
          finishReason: convertToAiSdkFinishReason(event.finishReason),
          usage: convertToAiSdkUsage(event.usage),
          providerMetadata: createFailoverMetadata(result.attempts, {
            provider: event.provider,
            model: event.model,
          }),
        });
        return true;
      }
    }
  }

  /** A failure after the stream was committed: an in-band `error`, then a finish with `error`. */
  fail(error: unknown): void {
    const attempts = (error as { attempts?: unknown }).attempts;
    this.controller.enqueue({ type: "error", error: convertToAiSdkError(error, undefined) });
    this.#endOpenParts();
    this.controller.enqueue({
      type: "finish",
      finishReason: { unified: "error", raw: undefined },
      usage: unknownAiSdkUsage(),
      providerMetadata: createFailoverMetadata(Array.isArray(attempts) ? (attempts as Attempt[]) : []),
    });
  }

  #endText(): void {
    if (this.#textId === undefined) return;
    this.controller.enqueue({ type: "text-end", id: this.#textId });
    this.#textId = undefined;
  }

  #endOpenParts(): void {
    this.#endText();
    for (const tool of this.#tools.values()) this.controller.enqueue({ type: "tool-input-end", id: tool.id });
    this.#tools.clear();
  }
}

/**
 * An engine stream as an AI SDK stream. Resolves once the engine has the first content, so a
 * failure before it (every provider failed, or one that must not fall over) rejects here like an
 * HTTP error of any AI SDK provider, while falling over before first content stays invisible.
 * Then: exactly one `stream-start` (with the call's warnings), `response-metadata` with the model
 * that is answering, text and tool-call parts from that one provider, and `finish`.
 *
 * A failure after content (the engine's `StreamInterruptedError`) becomes an in-band `error` part
 * and a `finish` with `error`: another provider's text is never appended. The caller's abort errors
 * the stream with the signal's reason; cancelling the stream aborts the call.
 */
export const convertToAiSdkStream = async (
  stream: ChatStream,
  warnings: SharedV4Warning[],
  abortSignal: AbortSignal | undefined,
): Promise<ReadableStream<LanguageModelV4StreamPart>> => {
  const events = stream[Symbol.asyncIterator]();
  let first: IteratorResult<ChatStreamEvent>;
  try {
    first = await events.next();
  } catch (error) {
    throw convertToAiSdkError(error, abortSignal);
  }
  let state: StreamState;
  let cancelled = false;
  // After its finish the engine's generator is suspended at that last yield: returning it runs its
  // cleanup (the call's timers and listeners) now rather than when it is collected.
  const end = (controller: Controller): void => {
    controller.close();
    void events.return?.(undefined)?.catch(() => {});
  };
  return new ReadableStream<LanguageModelV4StreamPart>({
    async start(controller) {
      state = new StreamState(stream, controller);
      controller.enqueue({ type: "stream-start", warnings });
      if (first.done || (await state.handle(first.value))) end(controller);
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done || (await state.handle(next.value))) end(controller);
      } catch (error) {
        if (cancelled) return; // the consumer left: nobody reads what follows
        if (abortSignal?.aborted) {
          controller.error(abortSignal.reason);
          return;
        }
        state.fail(error);
        controller.close();
      }
    },
    cancel(reason) {
      cancelled = true;
      stream.abort(reason);
    },
  });
};
