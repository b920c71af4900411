import type { FailureClass } from "../errors/failure-class.js";
import type { Attempt } from "../spec/attempt.js";

/** What `onXxx(listener)` returns: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** A typed event: subscribe with a listener, get a disposer back. */
export type EventSubscriber<T> = (listener: (event: T) => void) => Disposable;

/**
 * A tiny typed event emitter. Listener exceptions are swallowed: an observer must never be able
 * to break or fail a call.
 */
export class EventChannel<T> {
  private listeners: ((event: T) => void)[] = [];

  readonly subscribe: EventSubscriber<T> = (listener) => {
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  emit(event: T): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // Observers never break calls.
      }
    }
  }
}

export interface AttemptStartEvent {
  provider: string;
  model: string;
  reason: Attempt["reason"];
}
export interface AttemptEndEvent {
  attempt: Attempt;
}
export interface RetryEvent {
  provider: string;
  model: string;
  failureClass: FailureClass;
  /** Milliseconds the engine waits before retrying. */
  delayMs: number;
  /** 1 for the first retry of this provider within the call. */
  retry: number;
}
export interface FallbackEvent {
  from: string;
  to: string;
  failureClass: FailureClass;
}
export interface BreakerStateChangeEvent {
  provider: string;
  model: string;
  from: string;
  to: string;
  reason: string;
}
export interface HedgeEvent {
  /** The provider that had not produced content in time. */
  slow: string;
  /** The provider started beside it. */
  started: string;
  afterMs: number;
}
export interface BudgetExhaustedEvent {
  provider: string;
}
export interface SkipEvent {
  provider: string;
  reason: "breaker-open" | "cooling" | "disabled";
}

/** The engine's event channels, one per kind. */
export class EngineEvents {
  readonly attemptStart = new EventChannel<AttemptStartEvent>();
  readonly attemptEnd = new EventChannel<AttemptEndEvent>();
  readonly retry = new EventChannel<RetryEvent>();
  readonly fallback = new EventChannel<FallbackEvent>();
  readonly breakerStateChange = new EventChannel<BreakerStateChangeEvent>();
  readonly hedge = new EventChannel<HedgeEvent>();
  readonly budgetExhausted = new EventChannel<BudgetExhaustedEvent>();
  readonly skip = new EventChannel<SkipEvent>();
}
