import { ConsecutiveBreaker } from "cockatiel";
import type { SharedBreaker } from "../state/health-link.js";
import type { BreakerMode, Probe, ProbeLease } from "../state/health-state.js";
import type {
  Admission,
  AdmittedCall,
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitBreakerState,
  CircuitStateChange,
  CircuitTransitionReason,
} from "./circuit-breaker-options.js";
import { resolveBreakerOptions } from "./circuit-breaker-options.js";
import { isCircuitBreakerSnapshot, modeFromSnapshot, snapshotOf } from "./circuit-breaker-snapshot.js";
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
 *
 * The mode (a {@link BreakerMode} union) lives in a cell that a health store may share; the counting
 * that decides it (the sliding window, the run of failures) is this object's own.
 */
export class CircuitBreaker {
  private readonly options: ReturnType<typeof resolveBreakerOptions>;
  private readonly clock: () => number;
  private readonly window: FailureWindow;
  /** cockatiel's counter of failures in a row; its `state` is the count. */
  private readonly consecutive: ConsecutiveBreaker;
  private readonly listeners = new Set<Listener>();
  private readonly cell: { breaker: BreakerMode; lease?: ProbeLease };
  private probeSeq = 0;

  /** @throws RangeError for an out-of-range option, TypeError for a malformed `initialState`. */
  constructor(options: CircuitBreakerOptions = {}) {
    const resolved = resolveBreakerOptions(options);
    this.options = resolved;
    this.clock = options.clock ?? Date.now;
    this.window = new FailureWindow(resolved.windowMs);
    this.consecutive = new ConsecutiveBreaker(resolved.consecutiveFailures);
    this.cell = options.cell ?? { breaker: { state: "closed" } };
    if (options.initialState !== undefined) {
      const snapshot = options.initialState;
      this.cell.breaker = modeFromSnapshot(snapshot);
      if (snapshot.probe !== undefined) this.probeSeq = snapshot.probe.id;
      this.consecutive.state = snapshot.consecutiveFailures;
      this.window.load(snapshot.window, this.clock());
    }
  }

  /** The current state (open → half-open happens at the next {@link tryAcquire}, see the class doc). */
  get state(): CircuitBreakerState {
    return this.mode.state;
  }

  /**
   * May a call go now? Closed: yes. Open or disabled: no, until the break has elapsed; then this one
   * call is admitted as the probe (state half-open). Half-open: no while the probe is in flight, yes
   * (as the new probe) once it was released or timed out. Never waits.
   */
  tryAcquire(now: number = this.clock()): Admission {
    const mode = this.mode;
    if (mode.state === "closed") return { allowed: true, probe: false };
    if ((mode.state === "open" || mode.state === "disabled") && now >= mode.until) {
      this.transition(
        { state: "half-open", breakLevel: mode.breakLevel, ...(mode.probe ? { probe: mode.probe } : {}) },
        mode.state === "open" ? "break-elapsed" : "disable-expired",
        now,
      );
    }
    const wait = this.msUntilRetry(now);
    return wait > 0 ? refuse(wait) : this.admitProbe(now);
  }

  /**
   * The engine's last resort when every provider is out ("try the one nearest to recovery rather
   * than fail without trying"): an open or disabled circuit admits one probe before its break has
   * elapsed — at most one per break, and only the first break after the circuit left closed (a break
   * that follows a failed probe already had its probe). Otherwise the same as {@link tryAcquire}.
   * The circuit stays open while the probe is out: its success closes it, its failure re-opens it
   * with a longer break, its release just spends it.
   */
  tryAcquireEarly(now: number = this.clock()): Admission {
    if (!this.lastResortAvailable(now)) return this.tryAcquire(now);
    const mode = this.mode as Extract<BreakerMode, { state: "open" | "disabled" }>;
    const probe = this.newProbe(now);
    this.cell.breaker = { ...mode, lastResortSpent: true, probe };
    return { allowed: true, probe: true, probeId: probe.id };
  }

  /** Whether {@link tryAcquireEarly} would admit an early probe now. */
  lastResortAvailable(now: number = this.clock()): boolean {
    const mode = this.mode;
    return (
      (mode.state === "open" || mode.state === "disabled") &&
      now < mode.until &&
      !mode.lastResortSpent &&
      !this.probeInFlight(now) &&
      this.leaseElsewhereMs(now) === 0
    );
  }

  /**
   * Reports a success. `call` is the admission (or just its `probe` flag). The probe's success closes
   * the circuit and resets the break; other successes count while the circuit is closed.
   */
  recordSuccess(call: boolean | AdmittedCall = false, now: number = this.clock()): void {
    if (this.takeProbe(call)) {
      if (this.mode.state !== "closed") this.close("probe-succeeded", now);
      return;
    }
    if (this.mode.state !== "closed") return;
    this.window.record(true, now);
    this.consecutive.success();
  }

  /**
   * Reports a failure that says the provider is unhealthy (5xx, overload, connection, timeout).
   * The probe's failure re-opens the circuit with a longer break (a disabled circuit stays disabled);
   * other failures count while the circuit is closed and may open it.
   */
  recordFailure(call: boolean | AdmittedCall = false, now: number = this.clock()): void {
    if (this.takeProbe(call)) {
      const mode = this.mode;
      if (mode.state === "half-open" || mode.state === "open")
        this.open("probe-failed", mode.breakLevel + 1, now);
      return;
    }
    if (this.mode.state !== "closed") return;
    this.window.record(false, now);
    if (this.consecutive.failure()) {
      this.open("consecutive-failures", 1, now);
      return;
    }
    const { successes, failures } = this.window.counts(now);
    const total = successes + failures;
    if (total >= this.options.minimumThroughput && failures >= this.options.failureRatio * total) {
      this.open("failure-ratio", 1, now);
    }
  }

  /**
   * The probe ended without telling anything about the provider (aborted by the caller, a 400):
   * the next {@link tryAcquire} may send a new probe (a last-resort probe stays spent). Without
   * `call`, releases whatever probe is in flight; with it, only if that call is still the current probe.
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
    if (!(Number.isFinite(forMs) && forMs >= 0))
      throw new RangeError(`circuit breaker disable(forMs) must be a finite number ≥ 0, got ${forMs}`);
    const until = now + forMs;
    const mode = this.mode;
    if (mode.state === "disabled") {
      if (until > mode.until) this.cell.breaker = { ...mode, until, reason };
      return;
    }
    const probe = mode.state === "closed" ? undefined : mode.probe;
    this.transition(
      {
        state: "disabled",
        until,
        breakLevel: mode.state === "closed" ? 0 : mode.breakLevel,
        reason,
        // Leaving closed, this disable's break gets a last-resort probe; a probe that just failed was it.
        lastResortSpent: mode.state === "open" ? mode.lastResortSpent : mode.state === "half-open",
        ...(probe ? { probe } : {}),
      },
      "disabled",
      now,
      reason,
    );
  }

  /** Back to closed with no history, whatever the state. */
  reset(now: number = this.clock()): void {
    this.close("reset", now);
  }

  /**
   * Milliseconds until a call may be admitted: 0 when it may be now. While a probe is in flight this
   * is an upper bound (the probe may report sooner): admission waits until the probe is presumed
   * lost. What to tell a caller is {@link dueBackInMs}.
   */
  msUntilRetry(now: number = this.clock()): number {
    const { breakLeft, probeLeft } = this.waits(now);
    return Math.max(0, breakLeft, probeLeft);
  }

  /**
   * Milliseconds until the provider is expected to take calls again, as a caller should be told
   * (`health()`, `AllProvidersFailedError.retryInMs`, a `Retry-After`). The same as
   * {@link msUntilRetry}, except while a probe is out (here or elsewhere in the fleet): then the
   * provider is back when the probe succeeds, or one break later if it fails, so the estimate is that
   * next break, at least what is left of the current one, at most until the probe is presumed lost.
   * The upper bound (60 s by default) would tell clients to stay away far longer than any outcome of
   * the probe keeps the provider out.
   */
  dueBackInMs(now: number = this.clock()): number {
    const mode = this.mode;
    if (mode.state === "closed") return 0;
    const { breakLeft, probeLeft } = this.waits(now);
    return Math.max(0, breakLeft, Math.min(probeLeft, this.breakMs(mode.breakLevel + 1)));
  }

  /**
   * Applies a change another instance of the fleet made (through a shared health store). Open or
   * disabled: refused until `until` — a break here that ends later is kept, a probe of this process
   * still out stays out (its outcome still counts). Closed: the fleet's probe succeeded: closes and
   * forgets this process's history. Returns whether the state changed.
   */
  applyShared(shared: SharedBreaker, now: number = this.clock()): boolean {
    const mode = this.mode;
    const origin = { source: "shared", instance: shared.setBy } as const;
    if (shared.state === "closed") {
      if (mode.state === "closed") return false;
      this.close("probe-succeeded", now, origin);
      return true;
    }
    const later =
      mode.state === "closed" ||
      (mode.state === "half-open" ? shared.until > now : shared.until > mode.until);
    if (!later) {
      if (
        shared.lastResortSpent &&
        (mode.state === "open" || mode.state === "disabled") &&
        !mode.lastResortSpent
      )
        this.cell.breaker = { ...mode, lastResortSpent: true };
      return false;
    }
    const probe = mode.state !== "closed" && mode.probe ? { probe: mode.probe } : {};
    const breakLevel = Math.max(shared.breakLevel, mode.state === "closed" ? 0 : mode.breakLevel);
    const next: BreakerMode =
      shared.state === "open"
        ? {
            state: "open",
            until: shared.until,
            breakLevel,
            lastResortSpent: shared.lastResortSpent,
            ...probe,
          }
        : {
            state: "disabled",
            until: shared.until,
            breakLevel,
            reason: shared.reason,
            lastResortSpent: shared.lastResortSpent,
            ...probe,
          };
    if (next.state === mode.state) {
      this.cell.breaker = next;
      return false;
    }
    const reason = shared.state === "disabled" ? "disabled" : sharedReason(shared.reason);
    this.transition(next, reason, now, shared.state === "disabled" ? shared.reason : undefined, origin);
    return true;
  }

  /** Subscribes to state changes; listeners run synchronously after the change is complete. */
  onStateChange(listener: Listener): { dispose(): void } {
    const entry: Listener = (change) => listener(change); // a distinct entry per subscription
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  }

  /** The state as plain JSON, to save and load with `initialState` (here or in another process). */
  toJSON(now: number = this.clock()): CircuitBreakerSnapshot {
    return snapshotOf(this.mode, this.consecutive.state, this.window.toJSON(now));
  }

  /** Whether `value` is a snapshot this version can load. */
  static isSnapshot(value: unknown): value is CircuitBreakerSnapshot {
    return isCircuitBreakerSnapshot(value);
  }

  private get mode(): BreakerMode {
    return this.cell.breaker;
  }

  /**
   * What keeps a call out now: the break (0 once it has elapsed), and a probe in flight, this
   * process's or the fleet's (until it is presumed lost).
   */
  private waits(now: number): { breakLeft: number; probeLeft: number } {
    const mode = this.mode;
    if (mode.state === "closed") return { breakLeft: 0, probeLeft: 0 };
    const breakLeft = mode.state === "half-open" ? 0 : mode.until - now;
    const ownProbeLeft =
      mode.probe === undefined ? 0 : mode.probe.startedAt + this.options.probeTimeoutMs - now;
    return { breakLeft, probeLeft: Math.max(ownProbeLeft, this.leaseElsewhereMs(now)) };
  }

  /** The break at `level`: the first break, times the multiplier for each failed probe, capped. */
  private breakMs(level: number): number {
    return Math.min(
      this.options.maxHalfOpenAfterMs,
      this.options.halfOpenAfterMs * this.options.backoffMultiplier ** (level - 1),
    );
  }

  /** How long another instance holds the fleet's probe (or the store is still deciding): 0 when nobody. */
  private leaseElsewhereMs(now: number): number {
    const lease = this.cell.lease;
    return lease !== undefined && lease.holder !== "self" && lease.until > now ? lease.until - now : 0;
  }

  /** Whether a probe is out and has not yet timed out. */
  private probeInFlight(now: number): boolean {
    const mode = this.mode;
    return (
      mode.state !== "closed" &&
      mode.probe !== undefined &&
      now - mode.probe.startedAt < this.options.probeTimeoutMs
    );
  }

  /** Whether `call` is the probe in flight; if so it is no longer in flight. */
  private takeProbe(call: boolean | AdmittedCall | undefined): boolean {
    const mode = this.mode;
    if (mode.state === "closed" || mode.probe === undefined || call === undefined || call === false)
      return false;
    if (call !== true && !(call.probe && call.probeId === mode.probe.id)) return false;
    const { probe: _taken, ...rest } = mode;
    this.cell.breaker = rest;
    return true;
  }

  private newProbe(now: number): Probe {
    return { id: ++this.probeSeq, startedAt: now };
  }

  private admitProbe(now: number): Admission {
    const mode = this.mode as Extract<BreakerMode, { state: "half-open" }>;
    const probe = this.newProbe(now);
    this.cell.breaker = { ...mode, probe };
    return { allowed: true, probe: true, probeId: probe.id };
  }

  private open(reason: CircuitTransitionReason, level: number, now: number): void {
    const breakMs = this.breakMs(level);
    // A break that follows a failed probe has had its probe: no last-resort probe inside it.
    const lastResortSpent = reason === "probe-failed";
    this.transition({ state: "open", until: now + breakMs, breakLevel: level, lastResortSpent }, reason, now);
  }

  private close(reason: CircuitTransitionReason, now: number, origin?: CircuitStateChange["origin"]): void {
    this.consecutive.state = 0;
    this.window.reset();
    this.transition({ state: "closed" }, reason, now, undefined, origin);
  }

  /** Sets the mode, then tells listeners; every listener runs even if one throws (the first error is rethrown). */
  private transition(
    next: BreakerMode,
    reason: CircuitTransitionReason,
    now: number,
    detail?: string,
    origin?: CircuitStateChange["origin"],
  ): void {
    const from = this.mode.state;
    this.cell.breaker = next;
    if (from === next.state && reason === "reset") return;
    const change: CircuitStateChange = { from, to: next.state, reason, at: now };
    if (detail !== undefined) change.detail = detail;
    if (origin !== undefined) change.origin = origin;
    if (next.state === "open" || next.state === "disabled") change.retryInMs = next.until - now;
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

/** The reasons another instance may give for opening a breaker, as this version names them. */
const sharedReason = (reason: string): CircuitTransitionReason =>
  reason === "consecutive-failures" || reason === "failure-ratio" || reason === "probe-failed"
    ? reason
    : "shared";

function refuse(retryInMs: number): Admission {
  return { allowed: false, retryInMs: Math.max(1, Math.ceil(retryInMs)) };
}
