import { isAiFailoverError } from "../errors/ai-failover-error.js";
import type { FailureClass } from "../errors/failure-class.js";
import type { ChatRequest, ChatResult } from "../spec/chat.js";
import type { CallErrorName, CallOutcome, CallStartEvent } from "./events.js";

const errorNames = new Set<CallErrorName>([
  "AllProvidersFailedError",
  "ProviderError",
  "StreamInterruptedError",
  "StructuredOutputError",
  "InvalidRequestError",
  "ConfigError",
]);

/** What `onCallStart` tells about a chat call: its generation parameters, never its messages. */
export const callStartRequest = (request: ChatRequest): CallStartEvent["request"] => ({
  maxTokens: request.maxTokens,
  temperature: request.temperature,
  topP: request.topP,
  tools: request.tools?.length ?? 0,
  structuredOutput: request.schema !== undefined || request.responseFormat !== undefined,
});

/** A call answered by `result`'s provider. */
export const okOutcome = (result: ChatResult): CallOutcome => ({
  type: "ok",
  provider: result.provider,
  model: result.model,
  finishReason: result.finishReason,
  usage: result.usage,
});

/** A call that ended with `error` (or was stopped by its caller). */
export const errorOutcome = (error: unknown, stoppedByCaller: boolean): CallOutcome => {
  if (stoppedByCaller) return { type: "aborted" };
  const fields = (isAiFailoverError(error) ? error : {}) as {
    failureClass?: FailureClass;
    provider?: string;
  };
  const name = isAiFailoverError(error) ? error.name : "";
  return {
    type: "error",
    error: errorNames.has(name as CallErrorName) ? (name as CallErrorName) : "unexpected",
    failureClass: fields.failureClass,
    provider: fields.provider,
  };
};
