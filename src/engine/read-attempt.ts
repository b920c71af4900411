import type { StreamPart } from "../spec/stream.js";
import type { PartAggregator } from "./aggregate-parts.js";
import type { RunningAttempt } from "./running-attempt.js";

/**
 * Reads an opened attempt from its first part to its finish, adding each part to `aggregator`
 * before yielding it. A reply that ends without its finish part is truncated (thrown). The one path
 * by which both `chat()` and `stream()` read a provider's reply.
 */
export async function* readAttempt(
  attempt: RunningAttempt,
  aggregator: PartAggregator,
): AsyncGenerator<StreamPart, void, undefined> {
  for (const part of attempt.head) {
    aggregator.add(part);
    yield part;
  }
  while (!aggregator.finished) {
    const part = await attempt.next();
    if (!part) throw attempt.truncated();
    aggregator.add(part);
    yield part;
  }
}
