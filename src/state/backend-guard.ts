import type { HealthBackend, HealthExchange, HealthSnapshot } from "./health-backend.js";
import type { StoreStatus } from "./health-link.js";
import {
  describeError,
  emitWarning,
  StoreChannel,
  type StoreErrorEvent,
  type StoreStatusEvent,
} from "./store-events.js";

/** The error of an exchange that did not answer in time. */
export class StoreTimeoutError extends Error {
  override readonly name = "StoreTimeoutError";
}

/** Give up on a backend that has this many exchanges unanswered (timed out, never settled). */
const maxUnsettled = 2;

/** A timed-out exchange's command is aborted in the client this long after it was sent. */
const abandonAfter = (timeoutMs: number): number => Math.max(10 * timeoutMs, 500);

export interface GuardOptions {
  instance: string;
  syncIntervalMs: number;
  timeoutMs: number;
  maxBackoffMs: number;
  /** Asks for an exchange soon (after a first failure, which is retried at once). */
  schedule(): void;
}

/**
 * The breaker around a store's backend: one exchange in flight, a timeout on each, at most two left
 * unanswered, attempts backing off after failures, and the store's status and error events. A
 * backend that is slow, down or black-holed costs the store's caller nothing: `send` never waits.
 */
export class BackendGuard {
  readonly errors = new StoreChannel<StoreErrorEvent>();
  readonly statuses = new StoreChannel<StoreStatusEvent>();
  status: StoreStatus = "connecting";
  private inFlight = false;
  private unsettled = 0;
  private failures = 0;
  private retryAt = 0;
  private warned = false;
  private stopped = false;

  constructor(
    private readonly backend: HealthBackend,
    private readonly options: GuardOptions,
  ) {}

  get closed(): boolean {
    return this.stopped;
  }

  /**
   * Stops the guard. An exchange still in flight is not aborted (the writes it carries may still
   * reach the backend), but it settles unheard: its reply, its timeout and its failure change
   * nothing and emit nothing, as the store that asked for it is closed.
   */
  close(): void {
    this.stopped = true;
  }

  /** Whether an exchange may go now; a backend with two exchanges unanswered counts as failing again. */
  ready(now: number): boolean {
    if (this.stopped || this.inFlight || now < this.retryAt) return false;
    if (this.unsettled >= maxUnsettled) {
      this.fail(new StoreTimeoutError(`the backend has not answered ${this.unsettled} exchanges`), now);
      return false;
    }
    return true;
  }

  /**
   * Sends one exchange. After `timeoutMs` it counts as failed (`onFailure`, and the next exchange may
   * go); its command is aborted in the client only later, so that a reply held up by a busy event
   * loop rather than by the backend still brings its news in (`onSnapshot` runs for a late reply too).
   */
  send(
    request: HealthExchange,
    onSnapshot: (snapshot: HealthSnapshot) => void,
    onFailure: (error: unknown) => void,
  ): void {
    this.inFlight = true;
    this.unsettled++;
    const controller = new AbortController();
    let settled = false;
    const exchange = Promise.resolve()
      .then(() => this.backend.exchange(request, controller.signal))
      .finally(() => {
        this.unsettled--;
      });
    const failed = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.inFlight = false;
      if (this.stopped) return;
      onFailure(error);
      this.fail(error, Date.now());
    };
    const timer = setTimeout(
      () => failed(new StoreTimeoutError(`no answer within ${this.options.timeoutMs} ms`)),
      this.options.timeoutMs,
    );
    timer.unref?.();
    const abandonMs = abandonAfter(this.options.timeoutMs);
    const abandon = setTimeout(
      () => controller.abort(new StoreTimeoutError(`abandoned after ${abandonMs} ms`)),
      abandonMs,
    );
    abandon.unref?.();
    exchange.then(
      (snapshot) => {
        clearTimeout(abandon);
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          this.inFlight = false;
        }
        if (this.stopped) return;
        this.failures = 0;
        this.retryAt = 0;
        this.warned = false;
        onSnapshot(snapshot);
      },
      (error: unknown) => {
        clearTimeout(abandon);
        failed(error);
      },
    );
  }

  /** The push channel failed (it reconnects by itself; the poll goes on meanwhile). */
  reportSubscribeError(error: unknown): void {
    this.emitError("subscribe", error, 0);
  }

  setStatus(to: StoreStatus, at: number, resynchronised = false): void {
    const from = this.status;
    if (from === to && !resynchronised) return;
    this.status = to;
    this.statuses.emit({
      instance: this.options.instance,
      from,
      to,
      at,
      ...(resynchronised ? { resynchronised } : {}),
    });
  }

  private fail(error: unknown, now: number): void {
    this.failures++;
    const { syncIntervalMs, maxBackoffMs } = this.options;
    // One failure is tried again at once; from the second in a row on, attempts back off.
    const backoff =
      this.failures === 1 ? 0 : Math.min(maxBackoffMs, syncIntervalMs * 2 ** (this.failures - 2));
    const retryInMs = Math.round(backoff * (0.75 + Math.random() * 0.5));
    this.retryAt = now + retryInMs;
    if (this.failures === 1) this.options.schedule();
    // Unavailable from the second failure in a row: one late reply on a busy machine is not an outage.
    else this.setStatus("unavailable", now);
    this.emitError("sync", error, retryInMs);
  }

  private emitError(operation: "sync" | "subscribe", error: unknown, retryInMs: number): void {
    if (this.stopped) return;
    const message = describeError(error);
    if (this.errors.active) {
      this.errors.emit({
        instance: this.options.instance,
        operation,
        message,
        error,
        consecutiveFailures: this.failures,
        retryInMs,
      });
    } else if (!this.warned && this.failures >= 2) {
      // Without a listener: one warning per outage, not one per attempt.
      this.warned = true;
      emitWarning(
        `the shared health store cannot reach its backend (${message}); calls go on with this instance's local view. Subscribe to store.onError to see every failure.`,
        "AI_FAILOVER_STORE_UNAVAILABLE",
      );
    }
  }
}
