import { StreamInterruptedError } from "../errors/stream-interrupted-error.js";
import type { ChatResult, ChatStreamEvent } from "../spec/chat.js";
import type { Message } from "../spec/request.js";
import type { StreamPart } from "../spec/stream.js";
import { PartAggregator } from "./aggregate-parts.js";
import { buildResult } from "./build-result.js";
import type { Call } from "./call.js";
import { errorOutcome, okOutcome } from "./call-events.js";
import type { FailoverRequest } from "./create-client.js";
import type { CallOutcome } from "./events.js";
import { normalizeRequest } from "./normalize-request.js";

const toEvent = (part: Exclude<StreamPart, { type: "finish" }>): ChatStreamEvent => part;

const continuationMessages = (messages: Message[], partial: string): Message[] => [
  ...messages,
  { role: "assistant", content: partial },
  { role: "user", content: "Continue exactly where your previous message stopped. Do not repeat any of it." },
];

/** What the stream's generator needs from the `ChatStream` around it. */
export interface StreamHost {
  /** Starts the call: on the first read, so an unread stream holds nothing open. May throw (aborted before). */
  start(): Call;
  /** Resolves `result()`. */
  settle(result: ChatResult): void;
  /** Rejects `result()` (a no-op once settled). */
  fail(error: unknown): void;
}

/**
 * The stream commit rule. Until the first content event reaches the caller any failure falls over
 * transparently (inside `call.acquire()`). After that the stream is committed: two attempts' output
 * is never joined; a failure raises `StreamInterruptedError` with the partial output — unless the
 * policy opts into continuing on the next provider and only text was delivered so far. A tool call
 * (whole or in pieces) already delivered is never continued: its arguments would come from two
 * providers under one call id; nor is structured output (`schema`, `responseFormat`), for the same
 * reason.
 */
export async function* runStream(
  host: StreamHost,
  request: FailoverRequest,
): AsyncGenerator<ChatStreamEvent> {
  let call: Call | undefined;
  // Unless it finishes or fails, the consumer left the loop (break, return) or aborted.
  let outcome: CallOutcome = { type: "aborted" };
  let thrown: unknown;
  let settled = false;
  try {
    call = host.start();
    let attempt = await call.acquire();
    let delivered = "";
    let onlyText = true;
    // A JSON reply half-written by one model is not finished by another: its text is never continued.
    const structured = request.schema !== undefined || request.responseFormat !== undefined;
    for (;;) {
      yield { type: "start", provider: attempt.name, model: attempt.model };
      const aggregator = new PartAggregator();
      try {
        // The reply, part by part: the head read while opening, then the rest (as in runChat).
        const { head } = attempt;
        for (let i = 0; !aggregator.finished; ) {
          const part = i < head.length ? head[i++] : await attempt.next();
          if (!part) throw attempt.truncated();
          aggregator.add(part);
          if (part.type === "finish") break;
          if (part.type !== "text") onlyText = false;
          yield toEvent(part);
        }
      } catch (error) {
        if (call.scope.stoppedByCaller) throw call.scope.signal.reason;
        const continueAllowed = call.policy.onStreamInterrupted === "continue" && onlyText && !structured;
        const { failure, next } = call.failCommitted(attempt, error, continueAllowed);
        const partialText = delivered + aggregator.text;
        if (next) {
          try {
            call.request = normalizeRequest({
              ...withoutSignalAndPolicy(request),
              messages: continuationMessages(request.messages, partialText),
            });
            attempt = await call.continueOn(next);
            delivered = partialText;
            continue;
          } catch (continueError) {
            if (call.scope.stoppedByCaller) throw continueError;
            // Nobody could continue: the caller gets the interruption, with what it already has.
          }
        }
        throw new StreamInterruptedError({
          provider: attempt.name,
          model: attempt.model,
          failureClass: failure.failureClass,
          partialText,
          partialToolCalls: [...aggregator.toolCalls],
          attempts: [...call.attempts],
          cause: failure,
        });
      }
      call.succeed(attempt, aggregator);
      const result = buildResult(aggregator, attempt, call.attempts, request, delivered + aggregator.text);
      // Settled before the last event: a reader that stops at `finish` still gets its result().
      host.settle(result);
      settled = true;
      outcome = okOutcome(result);
      yield {
        type: "finish",
        finishReason: result.finishReason,
        usage: result.usage,
        provider: attempt.name,
        model: result.model,
      };
      return;
    }
  } catch (error) {
    if (call) outcome = errorOutcome(error, call.scope.stoppedByCaller);
    thrown = error;
    throw error;
  } finally {
    // The errors below only when they can be used: an Error captures a stack trace, and a stream
    // that finished (every call, nearly) has nothing left to stop and result() has its value.
    if (call) {
      call.dispose(settled ? undefined : new Error("stream closed"));
      call.end(outcome);
    }
    // Left early (a `break`): the caller stopped the call, so result() rejects as an abort does.
    if (!settled)
      host.fail(thrown ?? new DOMException("The stream was closed before it finished.", "AbortError"));
  }
}

const withoutSignalAndPolicy = (request: FailoverRequest): FailoverRequest => {
  const { signal: _signal, policy: _policy, ...rest } = request;
  return rest;
};
