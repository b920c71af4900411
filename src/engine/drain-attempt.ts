import type { Attempt } from "../spec/attempt.js";
import type { ChatRequest, ChatResult } from "../spec/chat.js";
import { PartAggregator } from "./aggregate-parts.js";
import { parseStructuredOutput } from "./parse-structured-output.js";
import type { RunningAttempt } from "./running-attempt.js";

/** Reads an opened attempt to its finish part; a stream that ends without one is truncated. */
export const drainAttempt = async (attempt: RunningAttempt): Promise<PartAggregator> => {
  const aggregator = new PartAggregator();
  for (const part of attempt.head) aggregator.add(part);
  while (!aggregator.finished) {
    const part = await attempt.next();
    if (!part) throw attempt.truncated();
    aggregator.add(part);
  }
  return aggregator;
};

export const buildResult = (
  aggregator: PartAggregator,
  attempt: RunningAttempt,
  attempts: Attempt[],
  request: ChatRequest,
  text = aggregator.text,
  toolCalls = aggregator.toolCalls,
): ChatResult => {
  const model = aggregator.model || attempt.model;
  return {
    id: aggregator.id,
    text,
    refusal: aggregator.refusal,
    toolCalls,
    finishReason: aggregator.finishReason ?? { unified: "other", raw: undefined },
    usage: aggregator.usage,
    provider: attempt.name,
    model,
    attempts: [...attempts],
    object: request.schema ? parseStructuredOutput(request.schema, text, attempt.name, model) : undefined,
    raw: aggregator.raw,
  };
};
