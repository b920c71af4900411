import type { Attempt } from "../spec/attempt.js";
import type { ChatRequest, ChatResult } from "../spec/chat.js";
import type { PartAggregator } from "./aggregate-parts.js";
import { parseStructuredOutput } from "./parse-structured-output.js";
import type { RunningAttempt } from "./running-attempt.js";
import { scrubEchoedText } from "./scrub-echoed-text.js";

/** The `ChatResult` of a call whose last attempt finished; parses structured output when asked for. */
export const buildResult = (
  aggregator: PartAggregator,
  attempt: RunningAttempt,
  attempts: Attempt[],
  request: ChatRequest,
  text = aggregator.text,
): ChatResult => {
  const model = aggregator.model || attempt.model;
  return {
    id: aggregator.id,
    text,
    refusal: aggregator.refusal,
    toolCalls: aggregator.toolCalls,
    finishReason: aggregator.finishReason ?? { unified: "other", raw: undefined },
    usage: aggregator.usage,
    provider: attempt.name,
    model,
    attempts: [...attempts],
    object: request.schema
      ? parseStructuredOutput(request.schema, text, {
          provider: attempt.name,
          model,
          refusal: aggregator.refusal,
          scrub: (issue) => scrubEchoedText(issue, request),
        })
      : undefined,
    raw: aggregator.raw,
  };
};
