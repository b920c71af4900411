import type { FailureAction, FailureClass } from "../errors/failure-class.js";
import type { HealthCell, Probe } from "../state/health-state.js";
import {
  type AdmittedCall,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  type CircuitStateChange,
} from "./circuit-breaker.js";

/** Why a provider cannot take a call now. */
export type Unavailability = "breaker-open" | "cooling" | "disabled";

/** A provider that cannot take a call now: why, and for how long at most. */
export interface Outage {
  reason: Unavailability;
  /** Milliseconds until it may take a call (an upper bound while a probe is out). */
  retryInMs: number;
}

/** An admitted call's claim on a (provider, model): hand it back with the outcome. */
export interface Ticket {
  readonly model: string;
  readonly breaker: AdmittedCall;
  /** Set when this call is the one probe that ends a capped cooling. */
  readonly coolingProbe: Probe | undefined;
}

export type Admission = { admitted: true; ticket: Ticket } | { admitted: false; outage: Outage };

/** A failed attempt, as health bookkeeping needs it. */
export interface FailureReport {
  failureClass: FailureClass;
  action: FailureAction;
  /** The provider's stated wait (Retry-After & co.), if any. */
  retryAfterMs: number | undefined;
  status: number | undefined;
  /** The call itself ended the attempt (its total deadline): nothing is learnt about the provider. */
  stoppedByCall: boolean;
  disableForMs: number;
  maxCoolingMs: number;
}

/** Health of one (provider, model), for dashboards and health checks. */
export interface ProviderHealth {
  provider: string;
  model: string;
  /** The circuit breaker's state. */
  state: CircuitBreakerState;
  /** Why calls skip it now (breaker open or half-open with its probe out, disabled, cooling), if they do. */
  unavailable: Unavailability | undefined;
  /** Milliseconds until it may take calls again (0 = now). */
  retryInMs: number;
  /** Rate-limit cooling, while it lasts: time left, and whether the stated wait was capped. */
  cooling: { retryInMs: number; capped: boolean; status: number | undefined } | undefined;
}

/** Cooling after a 429 that stated no wait. */
const defaultCoolingMs = 1_000;

/**
 * The health of one (provider, model): its circuit breaker and its rate-limit cooling. Their modes
 * live in a health cell (shareable); what is learnt from outcomes is decided here.
 */
export class ModelHealth {
  private readonly breaker: CircuitBreaker;
  private coolingProbeSeq = 0;

  constructor(
    readonly model: string,
    private readonly cell: HealthCell,
    options: CircuitBreakerOptions,
    onStateChange: (change: CircuitStateChange) => void,
    private readonly probeTimeoutMs = 60_000,
  ) {
    this.breaker = new CircuitBreaker({ ...options, cell, probeTimeoutMs });
    this.breaker.onStateChange(onStateChange);
  }

  get state(): CircuitBreakerState {
    return this.breaker.state;
  }

  /** Why this (provider, model) cannot take a call now, or undefined when it can. Costs no request. */
  outage(now: number): Outage | undefined {
    const breakerMs = this.breaker.msUntilRetry(now);
    const coolingMs = this.coolingLeftMs(now);
    if (breakerMs > 0) {
      const reason = this.breaker.state === "disabled" ? "disabled" : "breaker-open";
      return { reason, retryInMs: Math.max(breakerMs, coolingMs) };
    }
    if (coolingMs > 0) return { reason: "cooling", retryInMs: coolingMs };
    return undefined;
  }

  /**
   * Admits a call, or says why not. `lastResort`: every provider is out and this one is nearest to
   * recovery; an open or disabled breaker then admits its one early probe for this break. Nothing is
   * ever admitted inside a cooling window, not even a last resort.
   */
  admit(lastResort: boolean, now: number): Admission {
    const cooling = this.coolingLeftMs(now);
    if (cooling > 0) return { admitted: false, outage: { reason: "cooling", retryInMs: cooling } };
    const breaker = lastResort ? this.breaker.tryAcquireEarly(now) : this.breaker.tryAcquire(now);
    if (!breaker.allowed) {
      return {
        admitted: false,
        outage: this.outage(now) ?? { reason: "breaker-open", retryInMs: breaker.retryInMs },
      };
    }
    let coolingProbe: Probe | undefined;
    const mode = this.cell.cooling;
    if (mode.state === "probing" || (mode.state === "cooling" && mode.capped)) {
      // A capped cooling ended (or its probe was lost): this call is the one probe that decides.
      coolingProbe = { id: ++this.coolingProbeSeq, startedAt: now };
      this.cell.cooling = { state: "probing", probe: coolingProbe };
    } else if (mode.state === "cooling") {
      this.cell.cooling = { state: "none" };
    }
    return { admitted: true, ticket: { model: this.model, breaker, coolingProbe } };
  }

  /** Whether a last-resort probe may go now (breaker open or disabled, its early probe unspent, not cooling). */
  lastResortAvailable(now: number): boolean {
    return this.coolingLeftMs(now) === 0 && this.breaker.lastResortAvailable(now);
  }

  /** A success closes a probing breaker and ends any cooling. */
  succeed(ticket: Ticket, now: number): void {
    this.breaker.recordSuccess(ticket.breaker, now);
    this.cell.cooling = { state: "none" };
  }

  /** Records a failure; returns whether it counted against the breaker (the provider is failing). */
  fail(ticket: Ticket, report: FailureReport, now: number): boolean {
    const { action, failureClass } = report;
    const counts = action.countsForBreaker && !report.stoppedByCall;
    if (counts) this.breaker.recordFailure(ticket.breaker, now);
    else if (ticket.breaker.probe) this.breaker.releaseProbe(ticket.breaker);
    if (action.disableProvider) this.breaker.disable(report.disableForMs, failureClass, now);
    if (failureClass === "rate_limited") this.cool(report, now);
    else if (report.stoppedByCall || failureClass === "aborted") this.releaseCoolingProbe(ticket, now);
    // Any other answer from the cooling probe says the provider no longer rate-limits us.
    else if (ticket.coolingProbe && this.holdsCoolingProbe(ticket)) this.cell.cooling = { state: "none" };
    return counts;
  }

  /** The call ended without an outcome (aborted, lost a hedge): frees any probe it held. */
  release(ticket: Ticket, now: number): void {
    if (ticket.breaker.probe) this.breaker.releaseProbe(ticket.breaker);
    this.releaseCoolingProbe(ticket, now);
  }

  health(provider: string, now: number): ProviderHealth {
    const outage = this.outage(now);
    const cooling = this.cell.cooling;
    const coolingMs = this.coolingLeftMs(now);
    return {
      provider,
      model: this.model,
      state: this.breaker.state,
      unavailable: outage?.reason,
      retryInMs: outage?.retryInMs ?? 0,
      cooling:
        coolingMs > 0
          ? {
              retryInMs: coolingMs,
              capped: cooling.state !== "cooling" || cooling.capped,
              status: cooling.state === "cooling" ? cooling.status : undefined,
            }
          : undefined,
    };
  }

  /** Cooling time left; while a capped cooling's probe is out, until that probe times out. */
  coolingLeftMs(now: number): number {
    const mode = this.cell.cooling;
    if (mode.state === "cooling") return Math.max(0, mode.until - now);
    if (mode.state === "probing") return Math.max(0, mode.probe.startedAt + this.probeTimeoutMs - now);
    return 0;
  }

  /**
   * Cools for the stated wait, at most `maxCoolingMs` (then one probe decides). A cooling already
   * set to end later is never shortened.
   */
  private cool(report: FailureReport, now: number): void {
    const stated = report.retryAfterMs ?? defaultCoolingMs;
    const until = now + Math.min(stated, report.maxCoolingMs);
    const current = this.cell.cooling;
    if (current.state === "cooling" && current.until >= until) return;
    this.cell.cooling = {
      state: "cooling",
      until,
      capped: stated > report.maxCoolingMs,
      status: report.status,
    };
  }

  private holdsCoolingProbe(ticket: Ticket): boolean {
    const mode = this.cell.cooling;
    return mode.state === "probing" && mode.probe.id === ticket.coolingProbe?.id;
  }

  /** A cooling probe that told nothing: the next call probes again. */
  private releaseCoolingProbe(ticket: Ticket, now: number): void {
    if (!this.holdsCoolingProbe(ticket)) return;
    this.cell.cooling = { state: "cooling", until: now, capped: true, status: undefined };
  }
}
