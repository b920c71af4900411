import { isProviderError } from "../errors/provider-error.js";
import { StreamInterruptedError } from "../errors/stream-interrupted-error.js";
import type { ChatResult, ChatStream, ChatStreamEvent } from "../spec/chat.js";
import type { Message } from "../spec/request.js";
import type { StreamPart } from "../spec/stream.js";
import { PartAggregator } from "./aggregate-parts.js";
import type { Call } from "./call.js";
import type { FailoverRequest } from "./create-client.js";
import { DeadlineExceeded } from "./deadline.js";
import { buildResult } from "./drain-attempt.js";
import { normalizeRequest } from "./normalize-request.js";

const noop = (): void => {};

const toEvent = (part: StreamPart, provider: string, fallbackModel: string): ChatStreamEvent => {
  if (part.type === "finish") {
    return {
      type: "finish",
      finishReason: part.finishReason,
      usage: part.usage,
      provider,
      model: part.model || fallbackModel,
    };
  }
  return part;
};

const continuationMessages = (messages: Message[], partial: string): Message[] => [
  ...messages,
  { role: "assistant", content: partial },
  { role: "user", content: "Continue exactly where your previous message stopped. Do not repeat any of it." },
];

/**
 * The stream commit rule. Until the first content event reaches the caller any failure falls
 * over transparently (inside `call.acquire()`). After that the stream is committed: text from two
 * attempts is never concatenated; a failure raises `StreamInterruptedError` with the partial output,
 * unless the policy opts into continuing on the next provider from that partial output.
 */
async function* runStream(
  call: Call,
  request: FailoverRequest,
  settle: (result: ChatResult) => void,
): AsyncGenerator<ChatStreamEvent> {
  try {
    let attempt = await call.acquire();
    let delivered = "";
    const deliveredToolCalls: ChatResult["toolCalls"] = [];
    for (;;) {
      yield { type: "start", provider: attempt.name, model: attempt.model };
      const aggregator = new PartAggregator();
      try {
        for (const part of attempt.head) {
          aggregator.add(part);
          if (part.type !== "finish") yield toEvent(part, attempt.name, attempt.model);
        }
        while (!aggregator.finished) {
          const part = await attempt.next();
          if (!part) throw attempt.truncated();
          aggregator.add(part);
          if (part.type !== "finish") yield toEvent(part, attempt.name, attempt.model);
        }
      } catch (error) {
        const stoppedByCaller =
          call.controller.signal.aborted && !(call.controller.signal.reason instanceof DeadlineExceeded);
        if (stoppedByCaller) throw call.controller.signal.reason;
        const failure = call.failCommitted(attempt, error);
        const partialText = delivered + aggregator.text;
        const partialToolCalls = [...deliveredToolCalls, ...aggregator.toolCalls];
        const canContinue =
          call.policy.onStreamInterrupted === "continue" &&
          call.policy.failureActions[failure.failureClass].fallover &&
          !call.controller.signal.aborted &&
          aggregator.toolCalls.length === 0;
        if (canContinue) {
          try {
            call.request = normalizeRequest({
              ...stripSignal(request),
              messages: continuationMessages(request.messages, partialText),
            });
            attempt = await call.continueAfterInterruption();
            delivered = partialText;
            deliveredToolCalls.push(...aggregator.toolCalls);
            continue;
          } catch (continueError) {
            if (!isProviderError(continueError) && !(continueError instanceof Error)) throw continueError;
          }
        }
        throw new StreamInterruptedError({
          provider: attempt.name,
          model: attempt.model,
          failureClass: failure.failureClass,
          partialText,
          partialToolCalls,
          attempts: [...call.attempts],
          cause: failure,
        });
      }
      call.succeed(attempt);
      const result = buildResult(aggregator, attempt, call.attempts, request, delivered + aggregator.text, [
        ...deliveredToolCalls,
        ...aggregator.toolCalls,
      ]);
      const finish = attempt.head.find((p) => p.type === "finish");
      // Settled before the last event: a reader that stops at `finish` still gets its result().
      settle(result);
      yield {
        type: "finish",
        finishReason: result.finishReason,
        usage: result.usage,
        provider: attempt.name,
        model: finish?.type === "finish" ? finish.model : result.model,
      };
      return;
    }
  } finally {
    call.dispose(new Error("stream closed"));
  }
}

const stripSignal = (request: FailoverRequest): FailoverRequest => {
  const { signal: _signal, policy: _policy, ...rest } = request;
  return rest;
};

/** Wraps the stream generator in the public `ChatStream`: iterate once, or ask for `result()`. */
export const createChatStream = (start: () => Call, request: FailoverRequest): ChatStream => {
  // The call (and its deadline timer) starts on first iteration: an unread stream holds nothing open.
  let call: Call | undefined;
  let abortedBefore: unknown;
  let resolveResult: (result: ChatResult) => void = noop;
  let rejectResult: (error: unknown) => void = noop;
  const resultPromise = new Promise<ChatResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  resultPromise.catch(noop);
  let iterated = false;

  const generator = (async function* () {
    try {
      if (abortedBefore !== undefined) throw abortedBefore;
      call = start();
      yield* runStream(call, request, resolveResult);
    } catch (error) {
      rejectResult(error);
      throw error;
    } finally {
      rejectResult(new Error("the stream was closed before it finished"));
    }
  })();

  const take = (): AsyncGenerator<ChatStreamEvent> => {
    if (iterated)
      throw new Error("A ChatStream can be iterated only once; use result() for the aggregated reply.");
    iterated = true;
    return generator;
  };

  return {
    [Symbol.asyncIterator]: take,
    async result() {
      if (!iterated) {
        const events = take();
        for await (const _event of events) {
          // Consume: result() alone is a valid way to use a stream.
        }
      }
      return resultPromise;
    },
    abort(reason?: unknown) {
      const why = reason ?? new DOMException("The stream was aborted.", "AbortError");
      if (!call) {
        // Not started: a generator closed before its first step never runs its body, so the abort is
        // delivered here (result() rejects) and by the body's first step (iterating throws it).
        abortedBefore = why;
        rejectResult(why);
        return;
      }
      call.controller.abort(why);
      void generator.return(undefined).catch(noop);
    },
  };
};
