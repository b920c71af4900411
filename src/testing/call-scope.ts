import type { ServerResponse } from "node:http";

interface Sleeper {
  timer: NodeJS.Timeout;
  resolve: (alive: boolean) => void;
}

/**
 * The timers of one call. Disposed when the response closes (sent, or the connection died) or the
 * mock closes, so a fault never leaves a timer behind.
 */
export class CallScope {
  #closed = false;
  #sleepers = new Set<Sleeper>();
  #intervals = new Set<NodeJS.Timeout>();
  #cutByServer = false;
  readonly #onDispose: (scope: CallScope) => void;

  /** `onClose` learns who ended the exchange when the response closes (see `RecordedRequest.closedBy`). */
  constructor(
    res: ServerResponse,
    onDispose: (scope: CallScope) => void,
    onClose?: (by: "server" | "client") => void,
  ) {
    this.#onDispose = onDispose;
    res.once("close", () => {
      onClose?.(res.writableFinished || this.#cutByServer ? "server" : "client");
      this.dispose();
    });
  }

  /** The mock is about to destroy the connection itself (a cut or reset fault): it ended the exchange. */
  markCutByServer(): void {
    this.#cutByServer = true;
  }

  /** Whether the response is over (or the connection gone). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves `true` after `ms`, or `false` as soon as the call is disposed. */
  sleep(ms: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        timer: setTimeout(() => {
          this.#sleepers.delete(sleeper);
          resolve(!this.#closed);
        }, ms),
        resolve,
      };
      this.#sleepers.add(sleeper);
    });
  }

  /** Runs `fn` every `ms` until the call is disposed. */
  every(ms: number, fn: () => void): void {
    if (this.#closed) return;
    this.#intervals.add(setInterval(fn, ms));
  }

  /** Clears every timer; pending sleeps resolve `false`. Idempotent. */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const sleeper of this.#sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.resolve(false);
    }
    this.#sleepers.clear();
    for (const interval of this.#intervals) clearInterval(interval);
    this.#intervals.clear();
    this.#onDispose(this);
  }
}
