import { DeadlineExceeded } from "./deadline.js";

/**
 * The lifetime of one call: an AbortController that fires on the caller's signal or on the call's
 * total deadline, so one `dispose()` stops every timer, attempt and wait the call started.
 */
export class CallScope {
  readonly controller = new AbortController();
  /** Epoch ms of the total deadline. */
  readonly deadlineAt: number;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly unlinkCaller: () => void;

  constructor(totalMs: number, callerSignal: AbortSignal | undefined) {
    this.deadlineAt = Date.now() + totalMs;
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded("total", totalMs)), totalMs);
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    const onCallerAbort = (): void => this.controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    this.unlinkCaller = () => callerSignal?.removeEventListener("abort", onCallerAbort);
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
