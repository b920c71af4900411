import type { ProviderAdapter } from "../spec/provider.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import type { EngineEvents } from "./events.js";
import type { ResolvedPolicy } from "./policy-options.js";
import { RetryBudget } from "./retry-budget.js";

export type Unavailability = "breaker-open" | "cooling" | "disabled";

/**
 * One configured provider and its health: a breaker per model, a retry budget, and the times
 * until which it is cooling (rate limited) or suspect (it just timed out).
 */
export class ProviderSlot {
  readonly budget: RetryBudget;
  /** Rate limited until this time (epoch ms): skipped while another provider can answer. */
  coolingUntil = 0;
  /** Timed out recently: calls to it hedge early until this time (epoch ms). */
  suspectUntil = 0;
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    readonly adapter: ProviderAdapter,
    readonly policy: ResolvedPolicy,
    readonly tier: number,
    readonly weight: number,
    private readonly events: EngineEvents,
  ) {
    this.budget = new RetryBudget(policy.retry.budget);
    // Breakers are made per model on first use; build one now so bad options fail at createClient.
    new CircuitBreaker(policy.breaker);
  }

  get name(): string {
    return this.adapter.name;
  }

  /** The breaker for (this provider, model), created on first use. */
  breaker(model: string): CircuitBreaker {
    let breaker = this.breakers.get(model);
    if (!breaker) {
      breaker = new CircuitBreaker(this.policy.breaker);
      const provider = this.name;
      breaker.onStateChange(({ from, to, reason }) =>
        this.events.breakerStateChange.emit({ provider, model, from, to, reason }),
      );
      this.breakers.set(model, breaker);
    }
    return breaker;
  }

  /** True when any of this provider's breakers is open or half-open (the provider itself is failing). */
  get isTripped(): boolean {
    for (const breaker of this.breakers.values()) {
      if (breaker.state === "open" || breaker.state === "half-open") return true;
    }
    return false;
  }

  /** Every breaker of this provider, keyed by model (for inspection and state export). */
  get breakerEntries(): [string, CircuitBreaker][] {
    return [...this.breakers.entries()];
  }

  /** Why the provider cannot take a call now, or undefined when it can. Costs no request. */
  unavailability(model: string, now: number): Unavailability | undefined {
    const breaker = this.breakers.get(model);
    if (breaker && breaker.msUntilRetry(now) > 0)
      return breaker.state === "disabled" ? "disabled" : "breaker-open";
    if (this.coolingUntil > now) return "cooling";
    return undefined;
  }

  /** How long until the provider may take calls again (0 = now): picks "nearest to recovery". */
  msUntilAvailable(model: string, now: number): number {
    const breakerMs = this.breakers.get(model)?.msUntilRetry(now) ?? 0;
    return Math.max(breakerMs, this.coolingUntil - now, 0);
  }

  isSuspect(now: number): boolean {
    return this.suspectUntil > now;
  }
}
