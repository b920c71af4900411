import type { ProviderAdapter } from "../spec/provider.js";
import type { HealthStore } from "../state/health-state.js";
import { CircuitBreaker, type CircuitStateChange } from "./circuit-breaker.js";
import {
  type Admission,
  type FailureReport,
  ModelHealth,
  type Outage,
  type ProviderHealth,
  type Ticket,
} from "./model-health.js";
import type { ResolvedPolicy } from "./policy-options.js";
import { RetryBudget } from "./retry-budget.js";

export type { Unavailability } from "./model-health.js";
export type { Admission, FailureReport, Outage, ProviderHealth, Ticket };

/** A breaker changed state, with the call whose outcome changed it. */
export type SlotStateChange = CircuitStateChange & {
  provider: string;
  model: string;
  callId: string | undefined;
};

/**
 * One configured provider and everything the engine tracks about its health, behind methods: a
 * {@link ModelHealth} per model (breaker and cooling, kept in the health store's cells), and the
 * parts that stay in this process (the retry budget, suspicion after a timeout). Calls ask it
 * whether they may go ({@link admit}) and tell it how they went ({@link succeed}, {@link fail},
 * {@link release}); nothing else writes its state.
 */
export class ProviderSlot {
  private readonly budget: RetryBudget;
  private readonly models = new Map<string, ModelHealth>();
  /** Timed out recently: calls to it hedge early until this time (epoch ms). Local: never shared. */
  private suspectUntil = 0;
  /** The call whose outcome is being recorded, for breaker events (set only during a synchronous record). */
  private callId: string | undefined;

  constructor(
    readonly adapter: ProviderAdapter,
    readonly policy: ResolvedPolicy,
    readonly tier: number,
    readonly weight: number,
    private readonly store: HealthStore,
    private readonly onStateChange: (change: SlotStateChange) => void,
  ) {
    this.budget = new RetryBudget(policy.retry.budget);
    // Breakers are made per model on first use; build one now so bad options fail at createClient.
    new CircuitBreaker(policy.breaker);
    // The models known now are registered with the store at once: a shared store's first sync then
    // loads what the fleet knows of them, and the first call already skips a provider the fleet has
    // out (without waiting for the store: a call made before that sync does not know). Models named
    // per call are registered on their first use.
    for (const model of new Set([adapter.model, adapter.embeddings?.model])) {
      if (model !== undefined) store.cell({ provider: adapter.name, model });
    }
  }

  get name(): string {
    return this.adapter.name;
  }

  /** Why (this provider, model) cannot take a call now, or undefined when it can. Costs no request. */
  outage(model: string, now: number): Outage | undefined {
    return this.models.get(model)?.outage(now);
  }

  /** How long (this provider, model) is still cooling after a 429 (0 when it is not). */
  coolingLeftMs(model: string, now: number): number {
    return this.models.get(model)?.coolingLeftMs(now) ?? 0;
  }

  /** Admits a call to `model`, or says why not; a `lastResort` admission may probe an open breaker early. */
  admit(model: string, lastResort: boolean, callId: string, now: number): Admission {
    // Made outside `recording`: the fleet's state it may take on when made is not this call's doing.
    const health = this.health(model);
    return this.recording(callId, () => health.admit(lastResort, now));
  }

  /** Whether a last-resort probe may go to `model` now (see `CircuitBreaker.tryAcquireEarly`). */
  lastResortAvailable(model: string, now: number): boolean {
    return this.health(model).lastResortAvailable(now);
  }

  succeed(ticket: Ticket, callId: string, now: number): void {
    this.suspectUntil = 0;
    this.recording(callId, () => this.health(ticket.model).succeed(ticket, now));
  }

  /**
   * Records a failed attempt: breaker, disabling, cooling, suspicion. Returns whether it counted
   * against the breaker (the provider itself is failing).
   */
  fail(
    ticket: Ticket,
    report: FailureReport & { suspectForMs: number },
    callId: string,
    now: number,
  ): boolean {
    if (report.failureClass === "timeout" && !report.stoppedByCall)
      this.suspectUntil = now + report.suspectForMs;
    return this.recording(callId, () => this.health(ticket.model).fail(ticket, report, now));
  }

  /** The attempt ended with no outcome (the call was dropped, a hedge lost): frees any probe it held. */
  release(ticket: Ticket, callId: string, now: number): void {
    this.recording(callId, () => this.health(ticket.model).release(ticket, now));
  }

  isSuspect(now: number): boolean {
    return this.suspectUntil > now;
  }

  /** True when any of this provider's breakers is open or half-open (the provider itself is failing). */
  get isTripped(): boolean {
    for (const health of this.models.values()) {
      if (health.state === "open" || health.state === "half-open") return true;
    }
    return false;
  }

  /** Counts a call that reached this provider (first attempts, fall-overs, hedges): it earns retries. */
  recordCall(now: number): void {
    this.budget.recordRequest(now);
  }

  /** Whether the retry budget would grant a retry now. */
  retryBudgetAvailable(now: number): boolean {
    return this.budget.balanceAt(now) >= 1;
  }

  /** Spends one retry from the budget; false when it is empty. */
  withdrawRetry(now: number): boolean {
    return this.budget.tryAcquireRetry(now);
  }

  /** Health of every model of this provider used so far. */
  healthReport(now: number): ProviderHealth[] {
    return [...this.models.values()].map((health) => health.health(this.name, now));
  }

  private health(model: string): ModelHealth {
    let health = this.models.get(model);
    if (!health) {
      const provider = this.name;
      const key = { provider, model };
      health = new ModelHealth(model, this.store.cell(key), this.policy.breaker, (change) =>
        this.onStateChange({ ...change, provider, model, callId: this.callId }),
      );
      // A shared store: this model's health joins the fleet's.
      const link = this.store.link?.(key, health);
      if (link) health.connect(link);
      this.models.set(model, health);
    }
    return health;
  }

  private recording<T>(callId: string, record: () => T): T {
    this.callId = callId;
    try {
      return record();
    } finally {
      this.callId = undefined;
    }
  }
}
