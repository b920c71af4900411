import { DeadlineExceeded } from "./deadline.js";

const noop = (): void => {};

/**
 * The lifetime of one call: an AbortController that fires on the caller's signal or on the call's
 * total deadline, so one `dispose()` stops every timer, attempt and wait the call started.
 *
 * Its attempts `follow()` it rather than listen to its signal: an abort listener on an
 * `AbortSignal` costs a call that follows a pause ~40 µs in front of its request (measured), and
 * every call has at least one attempt.
 */
export class CallScope {
  /** Aborted only through `abort()`, which also stops the followers. */
  private readonly controller = new AbortController();
  /** Epoch ms of the total deadline. */
  readonly deadlineAt: number;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly unlinkCaller: () => void;
  private readonly followers: ((reason: unknown) => void)[] = [];

  constructor(totalMs: number, callerSignal: AbortSignal | undefined) {
    this.deadlineAt = Date.now() + totalMs;
    this.timer = setTimeout(() => this.abort(new DeadlineExceeded("total", totalMs)), totalMs);
    if (callerSignal?.aborted) this.abort(callerSignal.reason);
    const onCallerAbort = (): void => this.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    this.unlinkCaller = () => callerSignal?.removeEventListener("abort", onCallerAbort);
  }

  /** Stops the call: its signal aborts, and every attempt following it stops. Once. */
  abort(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    for (const stop of this.followers.slice()) stop(this.controller.signal.reason);
  }

  /**
   * Calls `stop` with the reason when the call stops (at once when it has); returns what stops
   * following it.
   */
  follow(stop: (reason: unknown) => void): () => void {
    const { signal } = this.controller;
    if (signal.aborted) {
      stop(signal.reason);
      return noop;
    }
    const { followers } = this;
    followers.push(stop);
    return () => {
      const index = followers.indexOf(stop);
      if (index !== -1) followers.splice(index, 1);
    };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The caller stopped the call (their signal, `stream.abort()`), not the total deadline. */
  get stoppedByCaller(): boolean {
    return this.signal.aborted && !(this.signal.reason instanceof DeadlineExceeded);
  }

  /** The total deadline that stopped the call, if it did. */
  get deadlinePassed(): DeadlineExceeded | undefined {
    const reason: unknown = this.signal.reason;
    return this.signal.aborted && reason instanceof DeadlineExceeded ? reason : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unlinkCaller();
  }
}
