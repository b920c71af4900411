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

/*
 * Content capture, for the library's own telemetry only (its opt-in `captureContent`): the request
 * behind a call-start event and the result behind an "ok" outcome, kept beside the payloads rather
 * than in them, so no listener ever receives prompt or reply text. Off until a client asks for it.
 */
let capturing = false;
const contents = new WeakMap<object, ChatRequest | ChatResult>();

/** Keeps each call's request and result reachable through {@link requestOf} / {@link resultOf} from now on. */
export const enableContentCapture = (): void => {
  capturing = true;
};

/** The request a call-start event was built from, when content capture is on. */
export const requestOf = (event: CallStartEvent): ChatRequest | undefined =>
  contents.get(event) as ChatRequest | undefined;

/** The result an "ok" outcome was built from, when content capture is on. */
export const resultOf = (outcome: CallOutcome): ChatResult | undefined =>
  contents.get(outcome) as ChatResult | undefined;

const keep = <T extends object>(key: T, content: ChatRequest | ChatResult | undefined): T => {
  if (capturing && content !== undefined) contents.set(key, content);
  return key;
};

/**
 * The `onCallStart` payload: the call's generation parameters (never its messages), the provider a
 * healthy call goes to and the model it asks it for. `content` (a chat request) is kept beside it
 * for content capture only.
 */
export const callStartEvent = (
  callId: string,
  operation: CallStartEvent["operation"],
  params: CallStartEvent["request"],
  primary: { provider: string; model: string },
  content?: ChatRequest,
): CallStartEvent =>
  keep<CallStartEvent>(
    { callId, operation, provider: primary.provider, model: primary.model, request: params },
    content,
  );

/** A call answered by `result`'s provider. */
export const okOutcome = (result: ChatResult): CallOutcome =>
  keep<CallOutcome>(
    {
      type: "ok",
      provider: result.provider,
      model: result.model,
      finishReason: result.finishReason,
      usage: result.usage,
    },
    result,
  );

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
