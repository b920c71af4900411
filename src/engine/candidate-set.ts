import type { Attempt } from "../spec/attempt.js";
import type { AttemptLog } from "./attempt-log.js";
import { orderCandidates } from "./order-candidates.js";
import type { ProviderSlot } from "./provider-slot.js";

/** The next attempt to make: which provider, why, and how long to wait first. */
export interface Pick {
  slot: ProviderSlot;
  reason: Attempt["reason"];
  waitMs: number;
  /**
   * Every provider is out and this one is nearest to recovery: its breaker admits its one early
   * probe for this break (see `CircuitBreaker.tryAcquireEarly`).
   */
  lastResort: boolean;
}

/**
 * Which providers one call may still try, and in what order: configured order (tiers, weights),
 * failing failure domains moved behind the rest, providers finished in this call and those that
 * cannot take a call now (breaker open, disabled, cooling) passed over — and, after a context_length
 * failure, only providers with a larger window.
 */
export class CandidateSet {
  private readonly done = new Set<ProviderSlot>();
  /** Domains seen failing (a breaker not closed, or a failure in this call), and the providers that failed. */
  private readonly failingDomains = new Set<string>();
  private readonly domainSources = new Set<ProviderSlot>();
  private contextWindowFloor: number | undefined;

  constructor(
    private readonly slots: readonly ProviderSlot[],
    readonly modelFor: (slot: ProviderSlot) => string,
    private readonly log: AttemptLog,
  ) {
    for (const slot of slots) {
      // Open or half-open means the provider itself is failing; "disabled" (a bad key, no quota) says
      // nothing about the health of the rest of its domain.
      if (slot.isTripped) this.markDomainFailing(slot);
    }
  }

  /** Passes over a provider for the rest of this call. */
  markDone(slot: ProviderSlot): void {
    this.done.add(slot);
  }

  /**
   * The slot's domain is failing: its *other* members move behind providers outside the domain
   * (OpenAI down → prefer Anthropic over Azure OpenAI). The failing slot itself is left to its breaker.
   */
  markDomainFailing(slot: ProviderSlot): void {
    this.failingDomains.add(slot.adapter.domain);
    this.domainSources.add(slot);
  }

  /** After a context-length failure on `slot`, only providers with a known larger window may take the call. */
  requireLargerContextThan(slot: ProviderSlot): void {
    this.contextWindowFloor = slot.adapter.contextWindow ?? Number.POSITIVE_INFINITY;
  }

  /** Another provider than `slot`, not finished and not busy in this call, can take the call now. */
  hasAlternative(slot: ProviderSlot, busy: ReadonlySet<ProviderSlot>, now: number): boolean {
    return this.slots.some(
      (other) =>
        other !== slot &&
        !this.done.has(other) &&
        !busy.has(other) &&
        this.fitsContext(other) &&
        !other.outage(this.modelFor(other), now),
    );
  }

  /** When every provider is out: milliseconds until the first is due back; otherwise undefined. */
  dueBackInMs(now: number): number | undefined {
    let first = Number.POSITIVE_INFINITY;
    for (const slot of this.slots) {
      const outage = slot.outage(this.modelFor(slot), now);
      if (!outage) return undefined;
      first = Math.min(first, outage.retryInMs);
    }
    return first;
  }

  /**
   * The next provider to try, noting every one passed over. On the call's first pick, when every
   * provider is out, the one nearest to recovery whose last-resort probe is unspent — never one that
   * is cooling — rather than fail without trying; otherwise undefined.
   */
  next(
    previous: ProviderSlot | undefined,
    busy: ReadonlySet<ProviderSlot>,
    options: { reason: Attempt["reason"]; firstPick: boolean },
    now: number,
  ): Pick | undefined {
    const demoted = (slot: ProviderSlot): boolean =>
      this.failingDomains.has(slot.adapter.domain) && !this.domainSources.has(slot);
    const eligible = orderCandidates(this.slots, demoted).filter(
      (slot) => !this.done.has(slot) && slot !== previous && !busy.has(slot) && this.fitsContext(slot),
    );
    const outages = new Map<ProviderSlot, number>();
    for (const slot of eligible) {
      const model = this.modelFor(slot);
      const outage = slot.outage(model, now);
      if (!outage) return { slot, reason: options.reason, waitMs: 0, lastResort: false };
      outages.set(slot, outage.retryInMs);
      this.log.noteSkip(slot, model, outage);
    }
    if (!options.firstPick || options.reason === "hedge") return undefined;
    const nearest = eligible
      .filter((slot) => slot.lastResortAvailable(this.modelFor(slot), now))
      .sort((a, b) => outages.get(a)! - outages.get(b)!)[0];
    return nearest && { slot: nearest, reason: "initial", waitMs: 0, lastResort: true };
  }

  private fitsContext(slot: ProviderSlot): boolean {
    if (this.contextWindowFloor === undefined) return true;
    const window = slot.adapter.contextWindow;
    return window !== undefined && window > this.contextWindowFloor;
  }
}
