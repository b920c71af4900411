import { isThenable } from "../internal/is-thenable.js";
/** What `onXxx(listener)` returns: call `dispose()` to stop listening. */
export interface Disposable {
  dispose(): void;
}

/** A typed event: subscribe with a listener, get a disposer back. The listener may be async. */
export type EventSubscriber<T> = (listener: (event: T) => void) => Disposable;

/** Where a listener's failure is reported. */
export interface ListenerErrorContext {
  /** The event the listener was subscribed to, e.g. "onAttemptEnd". */
  event: string;
  /** The listener that threw or whose promise rejected. */
  listener: (event: never) => unknown;
}

/**
 * Receives the error of a listener that threw or returned a rejecting promise. It may be async; if
 * it throws or rejects, that error becomes a one-time process warning (it never reaches the call).
 */
export type ListenerErrorHandler = (error: unknown, context: ListenerErrorContext) => void;

const warned = new WeakSet<object>();

/**
 * Without an `onListenerError` hook: one process warning per listener (not per event), so a broken
 * logger is noticed without flooding the log. The warning names the event, not the payload.
 */
export const warnOncePerListener: ListenerErrorHandler = (error, { event, listener }) => {
  if (warned.has(listener)) return;
  warned.add(listener);
  const what = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  const warning = `a listener of ${event} failed (${what}); the call went on. Further failures of this listener are not reported: pass onListenerError to createClient to see them all.`;
  if (typeof process !== "undefined" && typeof process.emitWarning === "function")
    process.emitWarning(warning, { type: "AiFailoverWarning", code: "AI_FAILOVER_LISTENER_ERROR" });
  else console.warn(`AiFailoverWarning: ${warning}`);
};

/**
 * A tiny typed event emitter that contains its listeners: one that throws, or returns a promise
 * that rejects, never breaks the call that emitted the event and never reaches the process as an
 * unhandled rejection; its error goes to `onError`.
 */
export class EventChannel<T> {
  private listeners: ((event: T) => void)[] = [];
  /** Per listener, when it has something to do with an event (absent: always). */
  private readonly wanted = new Map<(event: T) => void, () => boolean>();

  constructor(
    private readonly name: string,
    private readonly onError: () => ListenerErrorHandler,
  ) {}

  readonly subscribe: EventSubscriber<T> = (listener) => this.add(listener);

  /**
   * @internal A listener that has something to do only while `wanted()` says so (the library's
   * telemetry while no OpenTelemetry SDK records): while no listener wants it, the event is not
   * `active` and its payload is not built. It is still called when another listener's event is
   * emitted, and must then ignore what it does not want.
   */
  subscribeWhile(listener: (event: T) => void, wanted: () => boolean): Disposable {
    this.wanted.set(listener, wanted);
    return this.add(listener);
  }

  /** Whether anybody listens and wants this event now (so a payload need not be built). */
  get active(): boolean {
    const { listeners, wanted } = this;
    for (let i = 0; i < listeners.length; i++) {
      const when = wanted.size === 0 ? undefined : wanted.get(listeners[i]!);
      if (!when || when()) return true;
    }
    return false;
  }

  emit(event: T): void {
    for (const listener of this.listeners) {
      try {
        const returned: unknown = listener(event);
        if (isThenable(returned)) returned.then(undefined, (error: unknown) => this.report(error, listener));
      } catch (error) {
        this.report(error, listener);
      }
    }
  }

  private add(listener: (event: T) => void): Disposable {
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        if (!this.listeners.includes(listener)) this.wanted.delete(listener);
      },
    };
  }

  private report(error: unknown, listener: (event: T) => unknown): void {
    const context = { event: this.name, listener };
    // The hook itself failed (threw, or returned a promise that rejects: an async hook shipping
    // errors to a logger): fall back to the warning, and never into the call or the process.
    const hookFailed = (hookError: unknown): void => warnOncePerListener(hookError, context);
    try {
      const returned: unknown = this.onError()(error, context);
      if (isThenable(returned)) returned.then(undefined, hookFailed);
    } catch (hookError) {
      hookFailed(hookError);
    }
  }
}
