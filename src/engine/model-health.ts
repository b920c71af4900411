import type { FailureAction, FailureClass } from "../errors/failure-class.js";
import type {
  FleetView,
  HealthLink,
  HealthOrigin,
  HealthPeer,
  HealthSignal,
  SharedHealthUpdate,
} from "../state/health-link.js";
import type { HealthCell, Probe } from "../state/health-state.js";
import {
  type AdmittedCall,
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  type CircuitStateChange,
} from "./circuit-breaker.js";
import { resolveBreakerOptions } from "./circuit-breaker-options.js";

/** Why a provider cannot take a call now. */
export type Unavailability = "breaker-open" | "cooling" | "disabled";

/** A provider that cannot take a call now: why, and for how long at most. */
export interface Outage {
  reason: Unavailability;
  /**
   * Milliseconds until it is expected to take calls again. While a probe is out this is an estimate
   * (the break that follows if the probe fails; sooner if it succeeds), not the probe's lost timeout.
   */
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
  /** Rate-limit cooling, while it lasts: time left, whether the stated wait was capped, who set it. */
  cooling:
    | { retryInMs: number; capped: boolean; status: number | undefined; origin: HealthOrigin }
    | undefined;
  /**
   * Who set the breaker's current state: this process's own calls (`local`), or another instance of
   * the fleet through the shared store (`shared`, with its id).
   */
  origin: HealthOrigin;
  /** With a shared store (the `store` option): this instance, the store's connection, who holds the fleet's probe. */
  fleet?: FleetView;
}

const local: HealthOrigin = { source: "local" };

/** Cooling after a 429 that stated no wait. */
const defaultCoolingMs = 1_000;

/**
 * The health of one (provider, model): its circuit breaker and its rate-limit cooling. Their modes
 * live in a health cell (shareable); what is learnt from outcomes is decided here.
 */
export class ModelHealth implements HealthPeer {
  private readonly breaker: CircuitBreaker;
  private readonly strikeRule: { threshold: number; breakMs: number; windowMs: number } | undefined;
  private coolingProbeSeq = 0;
  /** The fleet, when the health store is shared. */
  private link: HealthLink | undefined;
  private breakerOrigin: HealthOrigin = local;
  private coolingOrigin: HealthOrigin = local;

  constructor(
    readonly model: string,
    private readonly cell: HealthCell,
    options: CircuitBreakerOptions,
    onStateChange: (change: CircuitStateChange) => void,
    private readonly probeTimeoutMs = 60_000,
  ) {
    this.breaker = new CircuitBreaker({ ...options, cell, probeTimeoutMs });
    this.breaker.onStateChange(onStateChange);
    const { consecutiveFailures, halfOpenAfterMs, windowMs } = resolveBreakerOptions(options);
    this.strikeRule = Number.isFinite(consecutiveFailures)
      ? { threshold: consecutiveFailures, breakMs: halfOpenAfterMs, windowMs }
      : undefined;
  }

  /**
   * Connects this health to a shared store: this process's strong signals go to the fleet (see
   * docs/concepts.md, "Fleet": what is shared and when), and the fleet's changes come back through
   * {@link applyShared}.
   */
  connect(link: HealthLink): void {
    this.link = link;
    this.breaker.onStateChange((change) => {
      if (change.origin) return;
      if (change.to !== "half-open") this.breakerOrigin = local;
      const mode = this.cell.breaker;
      if (change.to === "open" && mode.state === "open") {
        this.share(
          {
            type: "open",
            until: mode.until,
            breakLevel: mode.breakLevel,
            reason: change.reason,
            lastResortSpent: mode.lastResortSpent,
          },
          change.at,
        );
      } else if (change.to === "closed" && change.reason === "probe-succeeded") {
        this.share({ type: "close" }, change.at);
      }
    });
  }

  /** A change made elsewhere in the fleet (called by the shared store, never during a call). */
  applyShared(update: SharedHealthUpdate, now: number): void {
    if (update.breaker && this.breaker.applyShared(update.breaker, now))
      this.breakerOrigin = { source: "shared", instance: update.breaker.setBy };
    const cooling = update.cooling;
    if (!cooling) return;
    const current = this.cell.cooling;
    if (cooling.state === "cooling") {
      if (current.state === "probing" || (current.state === "cooling" && current.until >= cooling.until))
        return;
      this.cell.cooling = {
        state: "cooling",
        until: cooling.until,
        capped: cooling.capped,
        status: cooling.status,
      };
    } else {
      if (current.state !== "cooling") return;
      this.cell.cooling = { state: "none" };
    }
    this.coolingOrigin = { source: "shared", instance: cooling.setBy };
  }

  get state(): CircuitBreakerState {
    return this.breaker.state;
  }

  /** Why this (provider, model) cannot take a call now, or undefined when it can. Costs no request. */
  outage(now: number): Outage | undefined {
    this.link?.want(now);
    return this.currentOutage(now);
  }

  private currentOutage(now: number): Outage | undefined {
    const breakerMs = this.breaker.msUntilRetry(now);
    const coolingMs = this.coolingLeftMs(now);
    if (breakerMs > 0) {
      const reason = this.breaker.state === "disabled" ? "disabled" : "breaker-open";
      return { reason, retryInMs: Math.max(this.breaker.dueBackInMs(now), coolingMs) };
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
    const early = lastResort && this.breaker.lastResortAvailable(now);
    const breaker = early ? this.breaker.tryAcquireEarly(now) : this.breaker.tryAcquire(now);
    if (!breaker.allowed) {
      return {
        admitted: false,
        outage: this.outage(now) ?? { reason: "breaker-open", retryInMs: breaker.retryInMs },
      };
    }
    if (breaker.probe && this.link) {
      // Hold the fleet's probe lease while this probe is out, so no other instance sends one.
      if (early) this.share({ type: "last-resort" }, now);
      this.share({ type: "probe", until: now + this.probeTimeoutMs }, now);
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

  /**
   * A success closes a probing breaker. It ends a cooling only when it is the cooling's probe:
   * nothing is admitted while a cooling lasts, so any other success was sent before the provider
   * said to wait (or before this instance learnt it from the fleet) and says nothing about the
   * stated wait. A cooling whose time is up is left to `admit`: an uncapped one ends there, a capped
   * one becomes its one probe.
   */
  succeed(ticket: Ticket, now: number): void {
    this.breaker.recordSuccess(ticket.breaker, now);
    if (this.holdsCoolingProbe(ticket)) {
      // The probe of a capped cooling speaks for the fleet.
      this.share({ type: "uncool" }, now);
      this.cell.cooling = { state: "none" };
      this.coolingOrigin = local;
    }
    this.share({ type: "success" }, now);
  }

  /** Records a failure; returns whether it counted against the breaker (the provider is failing). */
  fail(ticket: Ticket, report: FailureReport, now: number): boolean {
    const { action, failureClass } = report;
    const counts = action.countsForBreaker && !report.stoppedByCall;
    const wasClosed = this.breaker.state === "closed";
    if (counts) this.breaker.recordFailure(ticket.breaker, now);
    else if (ticket.breaker.probe) this.release(ticket, now, false);
    // Fleet evidence: a failure in a row while closed (one that just opened it is shared as the opening).
    if (counts && wasClosed && this.strikeRule && this.breaker.state === "closed")
      this.share({ type: "failure", ...this.strikeRule }, now);
    if (action.disableProvider) this.disable(report, now);
    if (failureClass === "rate_limited") this.cool(report, now);
    else if (report.stoppedByCall || failureClass === "aborted") this.releaseCoolingProbe(ticket, now);
    // Any other answer from the cooling probe says the provider no longer rate-limits us.
    else if (ticket.coolingProbe && this.holdsCoolingProbe(ticket)) {
      this.cell.cooling = { state: "none" };
      this.share({ type: "uncool" }, now);
    }
    return counts;
  }

  /** The call ended without an outcome (aborted, lost a hedge): frees any probe it held. */
  release(ticket: Ticket, now: number, cooling = true): void {
    if (ticket.breaker.probe) {
      this.breaker.releaseProbe(ticket.breaker);
      this.share({ type: "probe-released" }, now);
    }
    if (cooling) this.releaseCoolingProbe(ticket, now);
  }

  health(provider: string, now: number): ProviderHealth {
    // Reading health is not a call wanting the provider: it does not make this instance the prober.
    const outage = this.currentOutage(now);
    const cooling = this.cell.cooling;
    const coolingMs = this.coolingLeftMs(now);
    const report: ProviderHealth = {
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
              origin: this.coolingOrigin,
            }
          : undefined,
      origin: this.breakerOrigin,
    };
    if (this.link) report.fleet = this.link.view(now);
    return report;
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
    const capped = stated > report.maxCoolingMs;
    // A wait the provider stated is shared with the fleet; the 1 s default for a bare 429 stays local.
    if (report.retryAfterMs !== undefined)
      this.share({ type: "cool", until, capped, status: report.status }, now);
    const current = this.cell.cooling;
    if (current.state === "cooling" && current.until >= until) return;
    this.cell.cooling = { state: "cooling", until, capped, status: report.status };
    this.coolingOrigin = local;
  }

  /** Switches the breaker off (auth, quota) and tells the fleet, which keeps the later end. */
  private disable(report: FailureReport, now: number): void {
    this.breaker.disable(report.disableForMs, report.failureClass, now);
    const mode = this.cell.breaker;
    if (mode.state !== "disabled") return;
    this.breakerOrigin = local;
    this.share(
      {
        type: "disable",
        until: mode.until,
        breakLevel: mode.breakLevel,
        reason: mode.reason,
        status: report.status,
        lastResortSpent: mode.lastResortSpent,
      },
      now,
    );
  }

  private share(signal: HealthSignal, now: number): void {
    this.link?.publish(signal, now);
  }

  /**
   * Whether `ticket` is the probe out now. By identity, not by id: the ids count per ModelHealth,
   * while a health store may hand one cell to several clients.
   */
  private holdsCoolingProbe(ticket: Ticket): boolean {
    const mode = this.cell.cooling;
    return (
      mode.state === "probing" && ticket.coolingProbe !== undefined && mode.probe === ticket.coolingProbe
    );
  }

  /** A cooling probe that told nothing: the next call probes again. */
  private releaseCoolingProbe(ticket: Ticket, now: number): void {
    if (!this.holdsCoolingProbe(ticket)) return;
    this.cell.cooling = { state: "cooling", until: now, capped: true, status: undefined };
  }
}
