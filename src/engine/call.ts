import { AllProvidersFailedError } from "../errors/all-providers-failed-error.js";
import { isConfigError } from "../errors/config-error.js";
import type { FailureClass } from "../errors/failure-class.js";
import type { ProviderError } from "../errors/provider-error.js";
import { delay } from "../internal/abortable-delay.js";
import type { Attempt } from "../spec/attempt.js";
import { computeBackoffMs } from "./backoff.js";
import { DeadlineExceeded } from "./deadline.js";
import type { EngineEvents } from "./events.js";
import type { NormalizedRequest } from "./normalize-request.js";
import { orderCandidates } from "./order-candidates.js";
import type { ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot, Unavailability } from "./provider-slot.js";
import { RunningAttempt } from "./running-attempt.js";

/** The next attempt to make: which provider, why, and how long to wait first. */
interface Pick {
  slot: ProviderSlot;
  reason: Attempt["reason"];
  waitMs: number;
  /**
   * "early": every provider is unavailable and this one is nearest to recovery, so its breaker
   * admits a probe before its break has elapsed (still one probe at a time).
   */
  admission: "normal" | "early";
}

type Opened = { ok: true; attempt: RunningAttempt } | { ok: false; attempt: RunningAttempt; error: unknown };

/**
 * One `chat()` / `stream()` call: picks providers, runs attempts with deadlines, retries, falls over,
 * hedges, and keeps the attempts log. It owns a call-level AbortController that fires on the
 * caller's signal or the total deadline, so one `dispose()` stops every timer and socket.
 */
export class Call {
  readonly attempts: Attempt[] = [];
  readonly skipped: { provider: string; reason: string }[] = [];
  readonly controller = new AbortController();
  readonly deadlineAt: number;
  private readonly tries = new Map<ProviderSlot, number>();
  private readonly done = new Set<ProviderSlot>();
  private readonly inflight = new Set<RunningAttempt>();
  /** Domains seen failing (a breaker not closed, or a failure in this call), and the providers that failed. */
  private readonly failingDomains = new Set<string>();
  private readonly domainSources = new Set<ProviderSlot>();
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private readonly unlinkCaller: () => void;
  private lastError: ProviderError | undefined;
  private contextWindowFloor: number | undefined;

  constructor(
    private readonly slots: readonly ProviderSlot[],
    private readonly policyFor: (slot: ProviderSlot) => ResolvedPolicy,
    readonly policy: ResolvedPolicy,
    public request: NormalizedRequest,
    private readonly events: EngineEvents,
    callerSignal: AbortSignal | undefined,
  ) {
    const totalMs = policy.deadlines.totalMs;
    this.deadlineAt = Date.now() + totalMs;
    this.totalTimer = setTimeout(
      () => this.controller.abort(new DeadlineExceeded("total", totalMs)),
      totalMs,
    );
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    const onCallerAbort = (): void => this.controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    this.unlinkCaller = () => callerSignal?.removeEventListener("abort", onCallerAbort);
    for (const slot of slots) {
      // Open or half-open means the provider itself is failing; "disabled" (a bad key, no quota) says
      // nothing about the health of the rest of its domain.
      if (slot.isTripped) this.markDomainFailing(slot);
    }
  }

  /**
   * Opens attempts until one delivers its first content: retries, falls over and hedges as the
   * policy says. Throws the error the caller should see when no provider can answer.
   */
  async acquire(): Promise<RunningAttempt> {
    return this.acquireFrom(this.pick(undefined));
  }

  /** Records a failure after the first content (chat transport) and says what to do next. */
  async reacquireAfter(attempt: RunningAttempt, error: unknown): Promise<RunningAttempt> {
    const next = this.fail(attempt, error);
    return this.acquireFrom(next);
  }

  /** Records the winning attempt's success. */
  succeed(attempt: RunningAttempt): void {
    attempt.finish();
    this.inflight.delete(attempt);
    const breaker = attempt.slot.breaker(attempt.model);
    breaker.recordSuccess(attempt.admission);
    attempt.slot.suspectUntil = 0;
    this.log(attempt, "ok");
  }

  /** Records a failure of a committed attempt (no more providers will be tried for it). */
  failCommitted(attempt: RunningAttempt, error: unknown): ProviderError {
    const providerError = attempt.toProviderError(error);
    this.recordHealth(attempt, providerError);
    this.log(attempt, providerError.failureClass, providerError);
    this.done.add(attempt.slot);
    return providerError;
  }

  /** Providers left to continue a committed stream on (for `onStreamInterrupted: "continue"`). */
  async continueAfterInterruption(): Promise<RunningAttempt> {
    return this.acquireFrom(this.pick(undefined, "fallback"));
  }

  /** Stops everything this call started. Safe to call more than once. */
  dispose(reason?: unknown): void {
    clearTimeout(this.totalTimer);
    this.unlinkCaller();
    for (const attempt of this.inflight) {
      attempt.abort(reason ?? new Error("call settled"));
      // The caller walked away (break, abort): neither success nor failure, but a probe must be freed
      // or the provider stays half-open, skipped by everyone, until the probe timeout.
      this.releaseProbe(attempt);
    }
    this.inflight.clear();
  }

  private async acquireFrom(pick: Pick | undefined): Promise<RunningAttempt> {
    for (;;) {
      this.throwIfStopped();
      if (!pick) throw this.exhausted();
      if (pick.waitMs > 0) {
        try {
          await delay(pick.waitMs, this.controller.signal);
        } catch {
          this.throwIfStopped();
        }
      }
      const first = this.start(pick);
      if (!first) {
        pick = this.pick(pick.slot);
        continue;
      }
      const result = await this.race(first);
      if (result.ok) return result.attempt;
      pick = result.next;
    }
  }

  /** Waits for the attempt's first content, hedging to another provider if it is slow. */
  private async race(
    first: RunningAttempt,
  ): Promise<{ ok: true; attempt: RunningAttempt } | { ok: false; next: Pick | undefined }> {
    const pending = new Map<RunningAttempt, Promise<Opened>>();
    const open = (attempt: RunningAttempt): void => {
      const transport = this.policyFor(attempt.slot).transport;
      pending.set(
        attempt,
        attempt.open(transport).then(
          (): Opened => ({ ok: true, attempt }),
          (error: unknown): Opened => ({ ok: false, attempt, error }),
        ),
      );
    };
    open(first);
    const hedgeDelay = this.hedgeDelayFor(first.slot);
    let hedgeTimer: ReturnType<typeof setTimeout> | undefined;
    let hedgeFired: Promise<"hedge"> | undefined;
    if (hedgeDelay !== undefined && this.hasAlternative(first.slot)) {
      hedgeFired = new Promise((resolve) => {
        hedgeTimer = setTimeout(() => resolve("hedge"), hedgeDelay);
      });
    }
    let next: Pick | undefined;
    try {
      while (pending.size > 0) {
        const outcome = await Promise.race([...pending.values(), ...(hedgeFired ? [hedgeFired] : [])]);
        if (outcome === "hedge") {
          hedgeFired = undefined;
          const pick = this.pick(first.slot, "hedge");
          const hedge = pick ? this.start(pick) : undefined;
          if (hedge) {
            this.events.hedge.emit({ slow: first.name, started: hedge.name, afterMs: hedgeDelay ?? 0 });
            open(hedge);
          }
          continue;
        }
        pending.delete(outcome.attempt);
        if (outcome.ok) {
          for (const loser of pending.keys()) this.loseHedge(loser, first);
          return { ok: true, attempt: outcome.attempt };
        }
        if (pending.size > 0) {
          // A hedge is still running: record this failure, decide only if the hedge fails too.
          this.recordFailure(outcome.attempt, outcome.error);
          this.done.add(outcome.attempt.slot);
          continue;
        }
        next = this.fail(outcome.attempt, outcome.error);
      }
      return { ok: false, next };
    } catch (error) {
      for (const attempt of pending.keys()) {
        attempt.abort(error);
        this.inflight.delete(attempt);
        this.releaseProbe(attempt);
        this.log(attempt, "aborted", undefined, "stopped: the call ended");
      }
      throw error;
    } finally {
      clearTimeout(hedgeTimer);
    }
  }

  /** An attempt that lost a hedge race is aborted; a suspect provider that lost counts as timing out again. */
  private loseHedge(loser: RunningAttempt, first: RunningAttempt): void {
    loser.abort(new Error("lost the hedge race"));
    this.inflight.delete(loser);
    const breaker = loser.slot.breaker(loser.model);
    const now = Date.now();
    if (loser === first && loser.slot.isSuspect(now) && !this.policy.hedging.enabled) {
      breaker.recordFailure(loser.admission);
      loser.slot.suspectUntil = now + this.policyFor(loser.slot).suspectForMs;
      this.log(loser, "timeout", undefined, "no content before the hedge won");
    } else {
      this.releaseProbe(loser);
      this.log(loser, "aborted", undefined, "lost the hedge race");
    }
  }

  /** Starts an attempt, or returns undefined when the breaker refuses it (marking the provider done). */
  private start(pick: Pick): RunningAttempt | undefined {
    const { slot } = pick;
    const model = this.modelFor(slot);
    const breaker = slot.breaker(model);
    const admission = pick.admission === "early" ? breaker.tryAcquireEarly() : breaker.tryAcquire();
    if (!admission.allowed) {
      this.skip(slot, "breaker-open");
      return undefined;
    }
    if (pick.reason !== "retry") slot.budget.recordRequest();
    this.tries.set(slot, (this.tries.get(slot) ?? 0) + 1);
    this.events.attemptStart.emit({ provider: slot.name, model, reason: pick.reason });
    const attempt = new RunningAttempt(
      slot,
      model,
      pick.reason,
      admission,
      this.request.forProvider(slot.name, slot.adapter.model),
      this.policyFor(slot),
      this.controller.signal,
      this.deadlineAt,
    );
    this.inflight.add(attempt);
    return attempt;
  }

  /** Records a failed attempt and decides: retry the same provider, fall over, or stop (throws). */
  private fail(attempt: RunningAttempt, error: unknown): Pick | undefined {
    const providerError = this.recordFailure(attempt, error);
    const { slot } = attempt;
    const policy = this.policyFor(slot);
    const failureClass = providerError.failureClass;
    const action = policy.failureActions[failureClass];
    if (failureClass === "aborted" || (!action.retry && !action.fallover)) throw providerError;
    if (failureClass === "context_length")
      this.contextWindowFloor = slot.adapter.contextWindow ?? Number.POSITIVE_INFINITY;

    const wantsRetry = action.retry && (policy.retry.preferPrimary || !this.hasAlternative(slot));
    if (wantsRetry) {
      const retry = this.retryPick(slot, providerError, policy);
      if (retry) return retry;
    }
    this.done.add(slot);
    if (action.fallover) {
      const next = this.pick(slot);
      if (next) {
        this.events.fallback.emit({ from: slot.name, to: next.slot.name, failureClass });
        return next;
      }
    }
    // Nobody else may take it: the caller sees this provider's own typed error, not a list of one.
    if (!action.fallover || failureClass === "context_length") throw providerError;
    return undefined;
  }

  /**
   * Records a failed attempt (health, log) without deciding what comes next: used alone while
   * another attempt of the call (a hedge) is still running, so no retry token or event is spent on
   * a decision that may never be needed.
   */
  private recordFailure(attempt: RunningAttempt, error: unknown): ProviderError {
    if (isConfigError(error)) {
      // A configuration mistake (e.g. a provider SDK that is not installed) is loud, not a fall-over.
      attempt.abort(error);
      this.inflight.delete(attempt);
      throw error;
    }
    const providerError = attempt.toProviderError(error);
    attempt.abort(providerError);
    this.inflight.delete(attempt);
    this.recordHealth(attempt, providerError);
    this.log(attempt, providerError.failureClass, providerError);
    this.throwIfStopped();
    this.lastError = providerError;
    return providerError;
  }

  /** Frees a half-open probe held by an attempt that ends with neither success nor failure. */
  private releaseProbe(attempt: RunningAttempt): void {
    if (attempt.admission.probe) attempt.slot.breaker(attempt.model).releaseProbe(attempt.admission);
  }

  /** A retry of the same provider, if attempts, the retry budget and the deadline allow one. */
  private retryPick(slot: ProviderSlot, error: ProviderError, policy: ResolvedPolicy): Pick | undefined {
    const retriesSoFar = (this.tries.get(slot) ?? 1) - 1;
    if (retriesSoFar >= policy.retry.maxRetries) return undefined;
    let waitMs: number;
    if (error.failureClass === "rate_limited" && error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > policy.retry.maxRetryAfterMs) return undefined;
      waitMs = error.retryAfterMs;
    } else {
      waitMs = computeBackoffMs(retriesSoFar, policy.retry.backoff);
    }
    if (Date.now() + waitMs >= this.deadlineAt) return undefined;
    if (!slot.budget.tryAcquireRetry()) {
      this.events.budgetExhausted.emit({ provider: slot.name });
      return undefined;
    }
    // A stated wait overrides cooling: we are about to honour it.
    slot.coolingUntil = 0;
    this.events.retry.emit({
      provider: slot.name,
      model: error.model,
      failureClass: error.failureClass,
      delayMs: waitMs,
      retry: retriesSoFar + 1,
    });
    return { slot, reason: "retry", waitMs, admission: "normal" };
  }

  /** Breaker, cooling, suspicion and disabling after a failure. */
  private recordHealth(attempt: RunningAttempt, error: ProviderError): void {
    const { slot } = attempt;
    const policy = this.policyFor(slot);
    const action = policy.failureActions[error.failureClass];
    const breaker = slot.breaker(attempt.model);
    const now = Date.now();
    const stoppedByCall = this.controller.signal.aborted;
    if (action.countsForBreaker && !stoppedByCall) {
      breaker.recordFailure(attempt.admission);
      this.markDomainFailing(slot);
    } else if (attempt.admission.probe) {
      breaker.releaseProbe(attempt.admission);
    }
    if (action.disableProvider) breaker.disable(policy.disableForMs, error.failureClass);
    if (error.failureClass === "rate_limited") slot.coolingUntil = now + (error.retryAfterMs ?? 1_000);
    if (error.failureClass === "timeout" && !stoppedByCall) slot.suspectUntil = now + policy.suspectForMs;
  }

  /** The next provider to try, in order; providers already finished in this call are passed over. */
  private pick(previous: ProviderSlot | undefined, reason?: Attempt["reason"]): Pick | undefined {
    const now = Date.now();
    const demoted = (slot: ProviderSlot): boolean =>
      this.failingDomains.has(slot.adapter.domain) && !this.domainSources.has(slot);
    const candidates = orderCandidates(this.slots, demoted).filter(
      (slot) => !this.done.has(slot) && slot !== previous && ![...this.inflight].some((a) => a.slot === slot),
    );
    const eligible = candidates.filter((slot) => this.fitsContext(slot));
    for (const slot of eligible) {
      const model = this.modelFor(slot);
      const unavailable = slot.unavailability(model, now);
      if (!unavailable)
        return {
          slot,
          reason: reason ?? (this.attempts.length ? "fallback" : "initial"),
          waitMs: 0,
          admission: "normal",
        };
      this.noteSkip(slot, unavailable);
    }
    for (const slot of eligible)
      this.noteSkip(slot, slot.unavailability(this.modelFor(slot), now) ?? "breaker-open");
    // Every provider is unavailable and none was tried: try the one nearest to recovery rather than
    // fail untried. Its breaker admits one early probe; if another call holds it, `start` marks the
    // provider done and the next nearest is offered, so at most one call per provider probes.
    if (this.attempts.length === 0 && reason !== "hedge" && eligible.length > 0) {
      const nearest = eligible
        .map((slot) => ({
          slot,
          ms: slot.msUntilAvailable(this.modelFor(slot), now),
        }))
        .sort((a, b) => a.ms - b.ms)[0]!;
      return { slot: nearest.slot, reason: "initial", waitMs: 0, admission: "early" };
    }
    return undefined;
  }

  /**
   * The slot's domain is failing: its *other* members move behind providers outside the domain
   * (OpenAI down → prefer Anthropic over Azure OpenAI). The failing slot itself is left to its breaker.
   */
  private markDomainFailing(slot: ProviderSlot): void {
    this.failingDomains.add(slot.adapter.domain);
    this.domainSources.add(slot);
  }

  private hasAlternative(slot: ProviderSlot): boolean {
    const now = Date.now();
    return this.slots.some(
      (other) =>
        other !== slot &&
        !this.done.has(other) &&
        this.fitsContext(other) &&
        !other.unavailability(this.modelFor(other), now),
    );
  }

  /** After a context-length failure, only providers with a known larger window may take the call. */
  private fitsContext(slot: ProviderSlot): boolean {
    if (this.contextWindowFloor === undefined) return true;
    const window = slot.adapter.contextWindow;
    return window !== undefined && window > this.contextWindowFloor;
  }

  private hedgeDelayFor(slot: ProviderSlot): number | undefined {
    const policy = this.policyFor(slot);
    if (policy.hedging.enabled) return policy.hedging.delayMs;
    if (slot.isSuspect(Date.now())) return policy.suspectHedgeDelayMs;
    return undefined;
  }

  /** The model this call uses on a provider (a per-call override, else the provider's own). */
  private modelFor(slot: ProviderSlot): string {
    return this.request.request.models?.[slot.name] ?? slot.adapter.model;
  }

  /** Passes over a provider for the rest of this call. */
  private skip(slot: ProviderSlot, reason: Unavailability): void {
    this.done.add(slot);
    this.noteSkip(slot, reason);
  }

  /** Reports (once per call and provider) that a provider was passed over without a request. */
  private noteSkip(slot: ProviderSlot, reason: Unavailability): void {
    if (this.skipped.some((s) => s.provider === slot.name)) return;
    this.skipped.push({ provider: slot.name, reason });
    this.events.skip.emit({ provider: slot.name, reason });
  }

  private log(
    attempt: RunningAttempt,
    outcome: "ok" | FailureClass,
    error?: ProviderError,
    message?: string,
  ): void {
    const entry: Attempt = {
      provider: attempt.name,
      model: attempt.model,
      outcome,
      status: error?.status,
      durationMs: Date.now() - attempt.startedAt,
      reason: attempt.reason,
    };
    const text = message ?? (error ? error.message : undefined);
    if (text) entry.message = text;
    this.attempts.push(entry);
    this.events.attemptEnd.emit({ attempt: entry });
  }

  /** Throws when the caller aborted (their reason) or the total deadline passed (AllProvidersFailedError). */
  private throwIfStopped(): void {
    const signal = this.controller.signal;
    if (!signal.aborted) return;
    if (signal.reason instanceof DeadlineExceeded) throw this.exhausted(signal.reason);
    throw signal.reason;
  }

  private exhausted(cause?: unknown): AllProvidersFailedError {
    return new AllProvidersFailedError(this.attempts, this.skipped, { cause: cause ?? this.lastError });
  }
}
