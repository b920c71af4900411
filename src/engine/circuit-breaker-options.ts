import type { HealthOrigin } from "../state/health-link.js";
import type { BreakerMode, ProbeLease } from "../state/health-state.js";
import type { FailureWindowSnapshot } from "./failure-window.js";

/* The types around `CircuitBreaker` (its options, admissions, events and snapshot), kept apart so
   the class file stays small. Import them from "./circuit-breaker.js", which re-exports them. */

/**
 * - `closed`: calls flow; outcomes are counted.
 * - `open`: every call is refused at once until the break has elapsed.
 * - `half-open`: the break has elapsed and one probe call is (or may be) in flight; everybody
 *   else is refused at once until it reports.
 * - `disabled`: switched off from outside (auth failure, spent quota) until a given time, then a
 *   probe as from `open`.
 */
export type CircuitBreakerState = "closed" | "open" | "half-open" | "disabled";

/** Why the state changed. */
export type CircuitTransitionReason =
  /** closed → open: the failure ratio over the window reached `failureRatio`. */
  | "failure-ratio"
  /** closed → open: `consecutiveFailures` failures in a row. */
  | "consecutive-failures"
  /** open → half-open: the break elapsed and a probe was admitted. */
  | "break-elapsed"
  /** disabled → half-open: the disable period ended. */
  | "disable-expired"
  /** half-open → closed. */
  | "probe-succeeded"
  /** half-open → open, with a longer break. */
  | "probe-failed"
  /** any → disabled, through `CircuitBreaker.disable`. */
  | "disabled"
  /** any → closed, through `CircuitBreaker.reset`. */
  | "reset"
  /** Set by another instance of the fleet for a reason this version does not name (see `origin`). */
  | "shared";

/** Passed to `CircuitBreaker.onStateChange` listeners. */
export interface CircuitStateChange {
  from: CircuitBreakerState;
  to: CircuitBreakerState;
  reason: CircuitTransitionReason;
  /** The reason given to `CircuitBreaker.disable`, when `reason` is "disabled". */
  detail?: string;
  /** When it happened, epoch ms. */
  at: number;
  /** For `to` open or disabled: how long until a probe may go. */
  retryInMs?: number;
  /**
   * Set when another instance of the fleet made the change (through a shared health store): who.
   * Absent for changes this process's own calls made.
   */
  origin?: Extract<HealthOrigin, { source: "shared" }>;
}

/** A call the breaker let through. `probeId` lets a late report from an old probe be told apart. */
export type AdmittedCall = { allowed: true; probe: false } | { allowed: true; probe: true; probeId: number };

/** The answer of `CircuitBreaker.tryAcquire`; never a promise: nobody waits. */
export type Admission = AdmittedCall | { allowed: false; retryInMs: number };

/** Plain-JSON state of a breaker, from `CircuitBreaker.toJSON`. Times are epoch ms. */
export interface CircuitBreakerSnapshot {
  version: 1;
  state: CircuitBreakerState;
  /** open/disabled: when the break or disable period ends. */
  openUntil?: number;
  /** Opens since the breaker last closed; the break grows with it. */
  breakLevel: number;
  /** The probe in flight, if any. */
  probe?: { id: number; startedAt: number };
  disabledReason?: string;
  /** open/disabled: this break's one last-resort probe has been used (`CircuitBreaker.tryAcquireEarly`). */
  lastResortSpent?: boolean;
  consecutiveFailures: number;
  window: FailureWindowSnapshot;
}

/** Options of a `CircuitBreaker`. */
export interface CircuitBreakerOptions {
  /**
   * Opens when at least this fraction of the calls in the window failed (and there were at least
   * `minimumThroughput` of them). In (0, 1].
   * @default 0.5
   */
  failureRatio?: number;
  /**
   * Calls needed in the window before `failureRatio` applies, so that 1 failure out of 1 call does
   * not open the circuit.
   * @default 10
   */
  minimumThroughput?: number;
  /**
   * Length of the sliding window the failure ratio is measured over, in milliseconds.
   * @default 30_000
   */
  windowMs?: number;
  /**
   * Opens after this many failures in a row, whatever the throughput (Envoy's consecutive-5xx):
   * the rule that catches an outage in low-traffic apps. `Infinity` turns it off.
   * @default 5
   */
  consecutiveFailures?: number;
  /**
   * The first break: how long the circuit stays open before a probe may go, in milliseconds.
   * @default 5_000
   */
  halfOpenAfterMs?: number;
  /**
   * The longest break, however many probes have failed, in milliseconds.
   * @default 60_000
   */
  maxHalfOpenAfterMs?: number;
  /**
   * Each failed probe multiplies the break by this; closing resets it to `halfOpenAfterMs`.
   * @default 2
   */
  backoffMultiplier?: number;
  /**
   * A probe that has not reported after this long is presumed lost, and a new probe may go. Its
   * late report is then ignored (when the caller passes back its admission).
   * @default 60_000
   */
  probeTimeoutMs?: number;
  /**
   * Wall clock in epoch ms, used whenever a method is called without `now`.
   * @default Date.now
   */
  clock?: () => number;
  /**
   * State to start from, as saved by `CircuitBreaker.toJSON` (here or in another process).
   * @default a closed breaker with no history
   */
  initialState?: CircuitBreakerSnapshot;
  /**
   * Where the breaker keeps its mode (closed / open / half-open / disabled, with the break, its level
   * and the probe in flight): a `HealthStore` cell, so the mode can be shared while the counting that
   * decides it (window, failures in a row) stays in this object.
   * @default a cell of its own
   */
  cell?: { breaker: BreakerMode; lease?: ProbeLease };
}

/** The options with their defaults, checked. @throws RangeError naming the first bad option. */
export const resolveBreakerOptions = (
  options: CircuitBreakerOptions,
): Required<Omit<CircuitBreakerOptions, "clock" | "initialState" | "cell">> => {
  const resolved = {
    failureRatio: options.failureRatio ?? 0.5,
    minimumThroughput: options.minimumThroughput ?? 10,
    windowMs: options.windowMs ?? 30_000,
    consecutiveFailures: options.consecutiveFailures ?? 5,
    halfOpenAfterMs: options.halfOpenAfterMs ?? 5_000,
    maxHalfOpenAfterMs: options.maxHalfOpenAfterMs ?? 60_000,
    backoffMultiplier: options.backoffMultiplier ?? 2,
    probeTimeoutMs: options.probeTimeoutMs ?? 60_000,
  };
  const r = resolved;
  check("failureRatio", r.failureRatio, r.failureRatio > 0 && r.failureRatio <= 1, "in (0, 1]");
  check(
    "minimumThroughput",
    r.minimumThroughput,
    Number.isInteger(r.minimumThroughput) && r.minimumThroughput >= 1,
    "a whole number ≥ 1",
  );
  check(
    "consecutiveFailures",
    r.consecutiveFailures,
    r.consecutiveFailures === Number.POSITIVE_INFINITY ||
      (Number.isInteger(r.consecutiveFailures) && r.consecutiveFailures >= 1),
    "a whole number ≥ 1 or Infinity",
  );
  check(
    "halfOpenAfterMs",
    r.halfOpenAfterMs,
    Number.isFinite(r.halfOpenAfterMs) && r.halfOpenAfterMs > 0,
    "a finite number > 0",
  );
  check(
    "maxHalfOpenAfterMs",
    r.maxHalfOpenAfterMs,
    Number.isFinite(r.maxHalfOpenAfterMs) && r.maxHalfOpenAfterMs >= r.halfOpenAfterMs,
    "finite and ≥ halfOpenAfterMs",
  );
  check(
    "backoffMultiplier",
    r.backoffMultiplier,
    Number.isFinite(r.backoffMultiplier) && r.backoffMultiplier >= 1,
    "a finite number ≥ 1",
  );
  check(
    "probeTimeoutMs",
    r.probeTimeoutMs,
    Number.isFinite(r.probeTimeoutMs) && r.probeTimeoutMs > 0,
    "a finite number > 0",
  );
  return resolved;
};

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`circuit breaker option ${name} must be ${expected}, got ${value}`);
}
