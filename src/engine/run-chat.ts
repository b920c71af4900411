import type { ChatRequest, ChatResult } from "../spec/chat.js";
import { PartAggregator } from "./aggregate-parts.js";
import { buildResult } from "./build-result.js";
import type { Call } from "./call.js";
import { errorOutcome, okOutcome } from "./call-events.js";
import type { CallOutcome } from "./events.js";

/**
 * `chat()`: reads the first provider that answers to its finish. Nothing reaches the caller before
 * the whole reply, so a failure mid-reply still falls over transparently (the partial reply is
 * discarded).
 */
export const runChat = async (call: Call, request: ChatRequest): Promise<ChatResult> => {
  let outcome: CallOutcome = { type: "aborted" };
  try {
    let attempt = await call.acquire();
    for (;;) {
      const aggregator = new PartAggregator();
      try {
        // The reply, part by part: the head read while opening, then the rest (as in runStream).
        const { head } = attempt;
        for (let i = 0; !aggregator.finished; ) {
          const part = i < head.length ? head[i++] : await attempt.next();
          if (!part) throw attempt.truncated();
          aggregator.add(part);
        }
      } catch (error) {
        attempt = await call.reacquireAfter(attempt, error);
        continue;
      }
      call.succeed(attempt, aggregator);
      const result = buildResult(aggregator, attempt, call.attempts, request);
      outcome = okOutcome(result);
      return result;
    }
  } catch (error) {
    outcome = errorOutcome(error, call.scope.stoppedByCaller);
    throw error;
  } finally {
    call.dispose();
    call.end(outcome);
  }
};
