import { ConsecutiveBreaker } from "cockatiel";
import type {
  Admission,
  AdmittedCall,
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitBreakerState,
  CircuitStateChange,
  CircuitTransitionReason,
} from "./circuit-breaker-options.js";
import { FailureWindow } from "./failure-window.js";

export type {
  Admission,
  AdmittedCall,
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitBreakerState,
  CircuitStateChange,
  CircuitTransitionReason,
};

type Listener = (change: CircuitStateChange) => void;

/**
 * A circuit breaker for one (provider, model) that never makes a caller wait: {@link tryAcquire}
 * answers synchronously, and while the circuit is half-open exactly one probe goes through and
 * everybody else is refused at once (cockatiel's `CircuitBreakerPolicy` makes them wait for the
 * probe, which for a slow LLM call is exactly wrong).
 *
 * Report every admitted call with {@link recordSuccess} or {@link recordFailure}, passing back its
 * admission (or its `probe` flag); report nothing for neutral outcomes (a 400, a caller abort), but
 * call {@link releaseProbe} when that call was the probe. Outcomes that arrive while the circuit is
 * not closed (calls that started before it opened) are ignored. Open → half-open happens at the first
 * {@link tryAcquire} after the break, as the breaker owns no timers; {@link msUntilRetry} tells when.
 */
export class CircuitBreaker {
  private readonly failureRatio: number;
  private readonly minimumThroughput: number;
  private readonly halfOpenAfterMs: number;
  private readonly maxHalfOpenAfterMs: number;
  private readonly backoffMultiplier: number;
  private readonly probeTimeoutMs: number;
  private readonly clock: () => number;
  private readonly window: FailureWindow;
  /** cockatiel's counter of failures in a row; its `state` is the count. */
  private readonly consecutive: ConsecutiveBreaker;
  private readonly listeners = new Set<Listener>();

  private current: CircuitBreakerState = "closed";
  private openUntil: number | undefined;
  private breakLevel = 0;
  private probe: { id: number; startedAt: number } | undefined;
  private probeSeq = 0;
  private disabledReason: string | undefined;

  /** @throws RangeError for an out-of-range option, TypeError for a malformed `initialState`. */
  constructor(options: CircuitBreakerOptions = {}) {
    this.failureRatio = options.failureRatio ?? 0.5;
    this.minimumThroughput = options.minimumThroughput ?? 10;
    const consecutiveFailures = options.consecutiveFailures ?? 5;
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? 5_000;
    this.maxHalfOpenAfterMs = options.maxHalfOpenAfterMs ?? 60_000;
    this.backoffMultiplier = options.backoffMultiplier ?? 2;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 60_000;
    this.clock = options.clock ?? Date.now;
    check("failureRatio", this.failureRatio, this.failureRatio > 0 && this.failureRatio <= 1, "in (0, 1]");
    check(
      "minimumThroughput",
      this.minimumThroughput,
      Number.isInteger(this.minimumThroughput) && this.minimumThroughput >= 1,
      "a whole number ≥ 1",
    );
    check(
      "consecutiveFailures",
      consecutiveFailures,
      consecutiveFailures === Number.POSITIVE_INFINITY ||
        (Number.isInteger(consecutiveFailures) && consecutiveFailures >= 1),
      "a whole number ≥ 1 or Infinity",
    );
    check(
      "halfOpenAfterMs",
      this.halfOpenAfterMs,
      Number.isFinite(this.halfOpenAfterMs) && this.halfOpenAfterMs > 0,
      "a finite number > 0",
    );
    check(
      "maxHalfOpenAfterMs",
      this.maxHalfOpenAfterMs,
      Number.isFinite(this.maxHalfOpenAfterMs) && this.maxHalfOpenAfterMs >= this.halfOpenAfterMs,
      "finite and ≥ halfOpenAfterMs",
    );
    check(
      "backoffMultiplier",
      this.backoffMultiplier,
      Number.isFinite(this.backoffMultiplier) && this.backoffMultiplier >= 1,
      "a finite number ≥ 1",
    );
    check(
      "probeTimeoutMs",
      this.probeTimeoutMs,
      Number.isFinite(this.probeTimeoutMs) && this.probeTimeoutMs > 0,
      "a finite number > 0",
    );
    this.window = new FailureWindow(options.windowMs ?? 30_000);
    this.consecutive = new ConsecutiveBreaker(consecutiveFailures);
    if (options.initialState !== undefined) this.restore(options.initialState);
  }

  /** The current state (open → half-open happens at the next {@link tryAcquire}, see the class doc). */
  get state(): CircuitBreakerState {
    return this.current;
  }

  /**
   * May a call go now? Closed: yes. Open or disabled: no, until the break has elapsed; then this one
   * call is admitted as the probe (state half-open). Half-open: no while the probe is in flight, yes
   * (as the new probe) once it was released or timed out. Never waits.
   */
  tryAcquire(now: number = this.clock()): Admission {
    if (this.current === "closed") return { allowed: true, probe: false };
    if ((this.current === "open" || this.current === "disabled") && now >= this.openUntil!) {
      this.transition("half-open", this.current === "open" ? "break-elapsed" : "disable-expired", now);
    }
    const wait = this.msUntilRetry(now);
    return wait > 0 ? refuse(wait) : this.admitProbe(now);
  }

  /**
   * Like {@link tryAcquire}, but an open or disabled circuit admits a probe at once, before its break
   * has elapsed: the engine's last resort when every provider's circuit is open ("try the one nearest
   * to recovery rather than fail without trying"). Still at most one probe in flight.
   */
  tryAcquireEarly(now: number = this.clock()): Admission {
    if ((this.current === "open" || this.current === "disabled") && !this.probeInFlight(now)) {
      this.transition("half-open", "early-probe", now);
    }
    return this.tryAcquire(now);
  }

  /**
   * Reports a success. `call` is the admission (or just its `probe` flag). The probe's success closes
   * the circuit and resets the break; other successes count while the circuit is closed.
   */
  recordSuccess(call: boolean | AdmittedCall = false, now: number = this.clock()): void {
    if (this.takeProbe(call)) {
      if (this.current === "half-open") this.close("probe-succeeded", now);
      return;
    }
    if (this.current !== "closed") return;
    this.window.record(true, now);
    this.consecutive.success();
  }

  /**
   * Reports a failure that says the provider is unhealthy (5xx, overload, connection, timeout).
   * The probe's failure re-opens the circuit with a longer break; other failures count while the
   * circuit is closed and may open it.
   */
  recordFailure(call: boolean | AdmittedCall = false, now: number = this.clock()): void {
    if (this.takeProbe(call)) {
      if (this.current === "half-open") this.open("probe-failed", this.breakLevel + 1, now);
      return;
    }
    if (this.current !== "closed") return;
    this.window.record(false, now);
    if (this.consecutive.failure()) {
      this.open("consecutive-failures", 1, now);
      return;
    }
    const { successes, failures } = this.window.counts(now);
    const total = successes + failures;
    if (total >= this.minimumThroughput && failures >= this.failureRatio * total) {
      this.open("failure-ratio", 1, now);
    }
  }

  /**
   * The probe ended without telling anything about the provider (aborted by the caller, a 400):
   * the next {@link tryAcquire} may send a new probe. Without `call`, releases whatever probe is in
   * flight; with it, only if that call is still the current probe.
   */
  releaseProbe(call?: AdmittedCall): void {
    this.takeProbe(call ?? true);
  }

  /**
   * Switches the breaker off for `forMs` (auth failure, spent quota): refused until then, then a
   * probe as from open. Disabling an already disabled breaker keeps the later end time.
   * @throws RangeError when `forMs` is negative or not finite.
   */
  disable(forMs: number, reason: string, now: number = this.clock()): void {
    check("disable(forMs)", forMs, Number.isFinite(forMs) && forMs >= 0, "a finite number ≥ 0");
    const until = now + forMs;
    if (this.current === "disabled") {
      if (until > this.openUntil!) {
        this.openUntil = until;
        this.disabledReason = reason;
      }
      return;
    }
    this.openUntil = until;
    this.disabledReason = reason;
    this.transition("disabled", "disabled", now, reason);
  }

  /** Back to closed with no history, whatever the state. */
  reset(now: number = this.clock()): void {
    this.close("reset", now);
  }

  /**
   * Milliseconds until a call may be admitted: 0 when it may be now. While a probe is in flight this
   * is an upper bound (the probe may report sooner). Lets the engine pick the provider nearest to
   * recovery.
   */
  msUntilRetry(now: number = this.clock()): number {
    if (this.current === "closed") return 0;
    const breakLeft = this.current === "half-open" ? 0 : this.openUntil! - now;
    const probeLeft = this.probe === undefined ? 0 : this.probe.startedAt + this.probeTimeoutMs - now;
    return Math.max(0, breakLeft, probeLeft);
  }

  /** Subscribes to state changes; listeners run synchronously after the change is complete. */
  onStateChange(listener: Listener): { dispose(): void } {
    const entry: Listener = (change) => listener(change); // a distinct entry per subscription
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  }

  /** The state as plain JSON, to save and load with `initialState` (here or in another process). */
  toJSON(now: number = this.clock()): CircuitBreakerSnapshot {
    const snapshot: CircuitBreakerSnapshot = {
      version: 1,
      state: this.current,
      breakLevel: this.breakLevel,
      consecutiveFailures: this.consecutive.state,
      window: this.window.toJSON(now),
    };
    if (this.openUntil !== undefined) snapshot.openUntil = this.openUntil;
    if (this.probe !== undefined) snapshot.probe = { ...this.probe };
    if (this.disabledReason !== undefined) snapshot.disabledReason = this.disabledReason;
    return snapshot;
  }

  /** Whether `value` is a snapshot this version can load. */
  static isSnapshot(value: unknown): value is CircuitBreakerSnapshot {
    if (typeof value !== "object" || value === null) return false;
    const s = value as Partial<CircuitBreakerSnapshot>;
    const probe = s.probe;
    return (
      s.version === 1 &&
      (s.state === "closed" || s.state === "open" || s.state === "half-open" || s.state === "disabled") &&
      (s.state === "closed" || s.state === "half-open" || Number.isFinite(s.openUntil)) &&
      Number.isInteger(s.breakLevel) &&
      s.breakLevel! >= 0 &&
      Number.isInteger(s.consecutiveFailures) &&
      s.consecutiveFailures! >= 0 &&
      (probe === undefined || (Number.isInteger(probe?.id) && Number.isFinite(probe?.startedAt))) &&
      (s.disabledReason === undefined || typeof s.disabledReason === "string") &&
      FailureWindow.isSnapshot(s.window)
    );
  }

  private restore(snapshot: CircuitBreakerSnapshot): void {
    if (!CircuitBreaker.isSnapshot(snapshot)) {
      throw new TypeError("initialState is not a circuit breaker snapshot (version 1)");
    }
    this.current = snapshot.state;
    this.breakLevel = snapshot.breakLevel;
    this.consecutive.state = snapshot.consecutiveFailures;
    if (snapshot.state === "open" || snapshot.state === "disabled") this.openUntil = snapshot.openUntil;
    if (snapshot.state === "disabled") this.disabledReason = snapshot.disabledReason ?? "";
    if (snapshot.state !== "closed" && snapshot.probe !== undefined) {
      this.probe = { ...snapshot.probe };
      this.probeSeq = snapshot.probe.id;
    }
    this.window.load(snapshot.window, this.clock());
  }

  /** Whether a probe is out and has not yet timed out. */
  private probeInFlight(now: number): boolean {
    return this.probe !== undefined && now - this.probe.startedAt < this.probeTimeoutMs;
  }

  /** Whether `call` is the probe in flight; if so it is no longer in flight. */
  private takeProbe(call: boolean | AdmittedCall | undefined): boolean {
    if (this.probe === undefined || call === undefined || call === false) return false;
    if (call !== true && !(call.probe && call.probeId === this.probe.id)) return false;
    this.probe = undefined;
    return true;
  }

  private admitProbe(now: number): Admission {
    this.probe = { id: ++this.probeSeq, startedAt: now };
    return { allowed: true, probe: true, probeId: this.probe.id };
  }

  private open(reason: CircuitTransitionReason, level: number, now: number): void {
    this.breakLevel = level;
    const breakMs = Math.min(
      this.maxHalfOpenAfterMs,
      this.halfOpenAfterMs * this.backoffMultiplier ** (level - 1),
    );
    this.openUntil = now + breakMs;
    this.transition("open", reason, now);
  }

  private close(reason: CircuitTransitionReason, now: number): void {
    this.breakLevel = 0;
    this.probe = undefined;
    this.consecutive.state = 0;
    this.window.reset();
    this.transition("closed", reason, now);
  }

  /** Sets the state, then tells listeners; every listener runs even if one throws (the first error is rethrown). */
  private transition(
    to: CircuitBreakerState,
    reason: CircuitTransitionReason,
    now: number,
    detail?: string,
  ): void {
    const from = this.current;
    this.current = to;
    if (to === "closed" || to === "half-open") this.openUntil = undefined;
    if (to !== "disabled") this.disabledReason = undefined;
    if (from === to && reason === "reset") return;
    const change: CircuitStateChange = { from, to, reason, at: now };
    if (detail !== undefined) change.detail = detail;
    if (to === "open" || to === "disabled") change.retryInMs = this.openUntil! - now;
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}

function refuse(retryInMs: number): Admission {
  return { allowed: false, retryInMs: Math.max(1, Math.ceil(retryInMs)) };
}

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`circuit breaker option ${name} must be ${expected}, got ${value}`);
}
