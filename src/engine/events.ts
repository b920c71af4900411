import type { FailureClass } from "../errors/failure-class.js";
import type { Attempt } from "../spec/attempt.js";
import type { FinishReason, Usage } from "../spec/result.js";
import type { CircuitBreakerState, CircuitTransitionReason } from "./circuit-breaker.js";
import { EventChannel, type ListenerErrorHandler, warnOncePerListener } from "./event-channel.js";
import type { Unavailability } from "./model-health.js";

export type {
  Disposable,
  EventSubscriber,
  ListenerErrorContext,
  ListenerErrorHandler,
} from "./event-channel.js";

/*
 * Every event but onBreakerStateChange belongs to one logical call (`chat()`, `stream()`, one drop-in
 * `create()`), named by `callId`. Payloads never hold prompt text, keys or provider bodies.
 */

export interface CallStartEvent {
  /** Unique per logical call; every event of the call carries it. */
  callId: string;
  /** `chat()` (and drop-in JSON calls), `stream()`, or `embed()` (drop-in `embeddings.create`). */
  operation: "chat" | "stream" | "embed";
  /**
   * The provider a healthy call goes to (the first of the lowest tier in configured order) and the
   * model the call asks it for: what the call was made for, before any failover.
   */
  provider: string;
  model: string;
  /**
   * The request's generation parameters, as span attributes want them (never its messages). An
   * embedding call has none: `undefined`, `0` tools, no structured output.
   */
  request: {
    maxTokens: number | undefined;
    temperature: number | undefined;
    topP: number | undefined;
    /** Number of tools offered. */
    tools: number;
    /** Structured output was asked for (`schema` or `responseFormat`). */
    structuredOutput: boolean;
  };
}

/** The library errors a call can end with (any other thrown value is `"unexpected"`). */
export type CallErrorName =
  | "AllProvidersFailedError"
  | "ProviderError"
  | "StreamInterruptedError"
  | "StructuredOutputError"
  | "InvalidRequestError"
  | "ConfigError"
  | "unexpected";

/**
 * How a call ended: answered (by whom); failed (the error's class, and its failure class when it has
 * one); or aborted by the caller (their signal, `stream.abort()`, leaving a stream's loop early).
 * An answered embedding call reports `finishReason` `{ unified: "stop", raw: undefined }`.
 */
export type CallOutcome =
  | { type: "ok"; provider: string; model: string; finishReason: FinishReason; usage: Usage }
  | {
      type: "error";
      error: CallErrorName;
      failureClass: FailureClass | undefined;
      /** The provider that answered or failed last, when one is to blame. */
      provider: string | undefined;
    }
  | { type: "aborted" };

export interface CallEndEvent {
  callId: string;
  operation: CallStartEvent["operation"];
  outcome: CallOutcome;
  durationMs: number;
  /** Every attempt of the call, in order. */
  attempts: Attempt[];
}

export interface AttemptStartEvent {
  callId: string;
  provider: string;
  model: string;
  reason: Attempt["reason"];
}

export interface AttemptEndEvent {
  callId: string;
  attempt: Attempt;
  /** Milliseconds from the attempt's start to its first content, when content arrived. */
  timeToFirstContentMs?: number;
  /** Tokens the provider reported, when the attempt finished. */
  usage?: Usage;
  /** The model the provider said answered (may differ from the requested one), when it said. */
  responseModel?: string;
  /** The provider's response id, when it sent one. */
  responseId?: string;
  finishReason?: FinishReason;
}

export interface RetryEvent {
  callId: string;
  provider: string;
  model: string;
  failureClass: FailureClass;
  /** Milliseconds the engine waits before retrying. */
  delayMs: number;
  /** 1 for the first retry of this provider within the call. */
  retry: number;
}

export interface FallbackEvent {
  callId: string;
  from: string;
  to: string;
  failureClass: FailureClass;
}

export interface BreakerStateChangeEvent {
  /** The call whose admission or outcome changed the state. */
  callId: string | undefined;
  provider: string;
  model: string;
  from: CircuitBreakerState;
  to: CircuitBreakerState;
  reason: CircuitTransitionReason;
  /** For `to` open or disabled: milliseconds until a probe may go. */
  retryInMs?: number;
}

export interface HedgeEvent {
  callId: string;
  /** The provider that had not produced content in time. */
  slow: string;
  /** The provider started beside it. */
  started: string;
  afterMs: number;
}

export interface BudgetExhaustedEvent {
  callId: string;
  provider: string;
}

export interface SkipEvent {
  callId: string;
  provider: string;
  model: string;
  reason: Unavailability;
  /** Milliseconds until the provider may take calls again. */
  retryInMs: number;
}

/** The engine's event channels, one per kind; listener failures go to `onListenerError`. */
export class EngineEvents {
  private readonly onError: () => ListenerErrorHandler;
  readonly callStart;
  readonly callEnd;
  readonly attemptStart;
  readonly attemptEnd;
  readonly retry;
  readonly fallback;
  readonly breakerStateChange;
  readonly hedge;
  readonly budgetExhausted;
  readonly skip;
  /**
   * @internal Set by the library's telemetry: runs the start of an attempt's request (`run`) in the
   * attempt span's context, so the HTTP and SDK spans the request makes are the attempt's children.
   */
  runAttempt: (<T>(callId: string, provider: string, run: () => T) => T) | undefined;

  constructor(onListenerError: ListenerErrorHandler = warnOncePerListener) {
    this.onError = () => onListenerError;
    this.callStart = this.channel<CallStartEvent>("onCallStart");
    this.callEnd = this.channel<CallEndEvent>("onCallEnd");
    this.attemptStart = this.channel<AttemptStartEvent>("onAttemptStart");
    this.attemptEnd = this.channel<AttemptEndEvent>("onAttemptEnd");
    this.retry = this.channel<RetryEvent>("onRetry");
    this.fallback = this.channel<FallbackEvent>("onFallback");
    this.breakerStateChange = this.channel<BreakerStateChangeEvent>("onBreakerStateChange");
    this.hedge = this.channel<HedgeEvent>("onHedge");
    this.budgetExhausted = this.channel<BudgetExhaustedEvent>("onBudgetExhausted");
    this.skip = this.channel<SkipEvent>("onSkip");
  }

  private channel<T>(name: string): EventChannel<T> {
    return new EventChannel<T>(name, this.onError);
  }
}
