import { toSdkTimeout } from "../shared/to-sdk-timeout.js";

/** One attempt's own abort signal: see `createAttemptSignal`. */
export interface AttemptSignal {
  /** Aborts when the engine's signal aborts, when the deadline passes, or on `stop()`. */
  readonly signal: AbortSignal;
  /**
   * Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts (a value
   * that arrives later is handed to `onLate`, e.g. to cancel a stream nobody will read).
   */
  race<T>(promise: Promise<T>, onLate?: (value: T) => void): Promise<T>;
  /** Aborts the attempt (the consumer stopped). */
  stop(): void;
  /** Clears the deadline timer and the listener on the engine's signal. Idempotent. */
  dispose(): void;
}

/**
 * Joins the engine's signal and the attempt's deadline into one signal that the adapter holds
 * strongly (a timer and a listener reference it), rather than `AbortSignal.any([signal,
 * AbortSignal.timeout(ms)])`.
 *
 * Why: the Mistral SDK hands fetch a `Request` built with the signal (and a clone of it). In
 * Node 22's undici the abort link from that signal to the in-flight fetch is only weakly held,
 * and after a garbage collection the abort is silently lost: an aborted or timed-out call to a
 * black-holed server then never settles (reproduced with `--expose-gc`). So the adapter never relies
 * on that link alone: it races its waits against this signal, and cancels the body stream itself.
 * The deadline aborts with a `TimeoutError` DOMException, as `AbortSignal.timeout` does.
 */
export const createAttemptSignal = (parent: AbortSignal, timeoutMs: number): AttemptSignal => {
  const controller = new AbortController();
  const { signal } = controller;
  const onParentAbort = () => controller.abort(parent.reason);
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (parent.aborted) controller.abort(parent.reason);
  else {
    parent.addEventListener("abort", onParentAbort, { once: true });
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = setTimeout(
        () => controller.abort(new DOMException("The operation timed out.", "TimeoutError")),
        toSdkTimeout(timeoutMs),
      );
    }
  }
  const dispose = () => {
    clearTimeout(timer);
    parent.removeEventListener("abort", onParentAbort);
    // Unlinked from the engine's signal both ways: undici's Request keeps the signal it was given
    // (held in a FinalizationRegistry until the request is collected), and through this listener it
    // would keep the engine's signal, its abort reason and, through the reason's stack, the call
    // and the request itself, which then can never be collected.
    signal.removeEventListener("abort", dispose);
  };
  signal.addEventListener("abort", dispose, { once: true });

  return {
    signal,
    stop: () => controller.abort(new DOMException("The stream was closed by its consumer.", "AbortError")),
    dispose,
    race: <T>(promise: Promise<T>, onLate?: (value: T) => void) =>
      new Promise<T>((resolve, reject) => {
        let settled = false;
        const onAbort = () => {
          settled = true;
          reject(signal.reason);
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
        promise.then(
          (value) => {
            signal.removeEventListener("abort", onAbort);
            if (settled) onLate?.(value);
            else resolve(value);
          },
          (error: unknown) => {
            signal.removeEventListener("abort", onAbort);
            reject(error);
          },
        );
      }),
  };
};
