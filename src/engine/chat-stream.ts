import { InvalidRequestError } from "../errors/invalid-request-error.js";
import type { ChatResult, ChatStream, ChatStreamEvent } from "../spec/chat.js";
import type { Call } from "./call.js";
import type { FailoverRequest } from "./create-client.js";
import { runStream } from "./run-stream.js";

const noop = (): void => {};

/**
 * The public `ChatStream`: iterate once, or ask for `result()`. Iterating it is iterating the
 * stream's generator itself (no wrapper layer per event).
 */
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

  const generator = runStream(
    {
      start: () => {
        if (abortedBefore !== undefined) throw abortedBefore;
        call = start();
        return call;
      },
      settle: (result) => resolveResult(result),
      fail: (error) => rejectResult(error),
    },
    request,
  );

  const take = (): AsyncGenerator<ChatStreamEvent> => {
    if (iterated)
      throw new InvalidRequestError([
        "stream: a ChatStream can be iterated only once; use result() for the aggregated reply",
      ]);
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
      call.scope.abort(why);
      // result() rejects with the reason, as a pending read does.
      rejectResult(why);
      void generator.return(undefined).catch(noop);
    },
  };
};
