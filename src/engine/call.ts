import { AllProvidersFailedError } from "../errors/all-providers-failed-error.js";
import type { FailureAction } from "../errors/failure-class.js";
import type { ProviderError } from "../errors/provider-error.js";
import { delay } from "../internal/abortable-delay.js";
import type { Attempt } from "../spec/attempt.js";
import { AttemptLog } from "./attempt-log.js";
import { AttemptOutcomes } from "./attempt-outcomes.js";
import { computeBackoffMs } from "./backoff.js";
import type { CallAttempt, CallKind, FinishedReply } from "./call-attempt.js";
import { callStartEvent } from "./call-events.js";
import { CallScope } from "./call-scope.js";
import { CandidateSet, type Pick } from "./candidate-set.js";
import { createCallId } from "./create-call-id.js";
import { type Decision, decideAfterFailure } from "./decide-after-failure.js";
import type { CallOutcome, CallStartEvent, EngineEvents } from "./events.js";
import type { NormalizedRequest } from "./normalize-request.js";
import type { ResolvedPolicy } from "./policy-options.js";
import type { ProviderSlot } from "./provider-slot.js";
import { type RaceHost, raceAttempts } from "./race-attempts.js";
import type { RunningAttempt } from "./running-attempt.js";

/**
 * One logical call (`chat()`, `stream()`, `embed()`, a drop-in `create()`): opens attempts until one
 * delivers its first content, and after each failure gathers the facts, asks `decideAfterFailure`
 * what to do and applies the answer (retry, fall over, surface, give up). It never decides itself.
 * Health is read and written through each provider's `ProviderSlot`; the log and events through
 * `AttemptLog`. What differs per operation (the request `R`, the attempt `A`) is its `CallKind`.
 */
export class Call<R = NormalizedRequest, A extends CallAttempt = RunningAttempt> implements RaceHost<A> {
  /** Unique per logical call: every event of the call carries it. */
  readonly id: string = createCallId();
  readonly scope: CallScope;
  readonly log: AttemptLog;
  private readonly candidates: CandidateSet;
  private readonly outcomes: AttemptOutcomes<A>;
  private readonly tries = new Map<ProviderSlot, number>();
  private readonly startedAt = Date.now();
  private ended = false;
  private readonly follow = (stop: (reason: unknown) => void): (() => void) => this.scope.follow(stop);

  constructor(
    slots: readonly ProviderSlot[],
    private readonly policyFor: (slot: ProviderSlot) => ResolvedPolicy,
    readonly policy: ResolvedPolicy,
    public request: R,
    private readonly events: EngineEvents,
    callerSignal: AbortSignal | undefined,
    readonly operation: CallStartEvent["operation"],
    private readonly kind: CallKind<R, A>,
  ) {
    this.scope = new CallScope(policy.deadlines.totalMs, callerSignal);
    this.log = new AttemptLog(this.id, events);
    this.candidates = new CandidateSet(slots, (slot) => this.modelFor(slot), this.log);
    this.outcomes = new AttemptOutcomes(this.id, policyFor, this.scope, this.log);
    if (events.callStart.active) {
      const primary = slots.reduce((first, slot) => (slot.tier < first.tier ? slot : first));
      const model = this.modelFor(primary);
      events.callStart.emit(
        callStartEvent(
          this.id,
          operation,
          kind.startEvent(request),
          { provider: primary.name, model },
          kind.content?.(request),
        ),
      );
    }
  }

  get attempts(): Attempt[] {
    return this.log.attempts;
  }

  /** Opens attempts until one delivers its first content; throws what the caller should see if none can. */
  async acquire(): Promise<A> {
    return this.acquireFrom(this.nextPick(undefined));
  }

  /** An attempt failed after its first content, but nothing reached the caller (chat): as before commit. */
  async reacquireAfter(attempt: A, error: unknown): Promise<A> {
    return this.acquireFrom(this.failUncommitted(attempt, error));
  }

  /** Continues a committed stream on the provider `failCommitted` chose. */
  async continueOn(pick: Pick): Promise<A> {
    return this.acquireFrom(pick);
  }

  /** Records the winning attempt's success. */
  succeed(attempt: A, finished: FinishedReply): void {
    this.outcomes.succeeded(attempt, finished);
  }

  /**
   * A committed attempt (its content reached the caller) failed. Returns the failure, and the
   * provider to continue on when the decision is to fall over (`continueAllowed`: the caller opted in
   * and only text was delivered).
   */
  failCommitted(
    attempt: A,
    error: unknown,
    continueAllowed: boolean,
  ): { failure: ProviderError; next: Pick | undefined } {
    const { failure, action } = this.record(attempt, error);
    this.candidates.markDone(attempt.slot);
    if (this.scope.signal.aborted) return { failure, next: undefined };
    const decision = this.decide(attempt, failure, action, { continueAllowed });
    return { failure, next: decision.type === "fallover" ? this.fallOver(attempt, failure) : undefined };
  }

  /** Tells observers how the call ended (once). */
  end(outcome: CallOutcome): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.events.callEnd.active) return;
    this.events.callEnd.emit({
      callId: this.id,
      operation: this.operation,
      outcome,
      durationMs: Date.now() - this.startedAt,
      attempts: [...this.attempts],
    });
  }

  /** Stops everything this call started. Safe to call more than once. */
  dispose(reason?: unknown): void {
    this.scope.dispose();
    this.outcomes.releaseAll(reason);
  }

  // RaceHost: what the hedging race asks of its call.

  open(attempt: A): Promise<void> {
    const open = (): Promise<void> => attempt.open(this.policyFor(attempt.slot).transport);
    const { runAttempt } = this.events;
    return runAttempt ? runAttempt(this.id, attempt.name, open) : open();
  }

  hedgeDelayFor(attempt: A): number | undefined {
    const policy = this.policyFor(attempt.slot);
    const now = Date.now();
    const delayMs = policy.hedging.enabled
      ? policy.hedging.delayMs
      : attempt.slot.isSuspect(now)
        ? policy.suspectHedgeDelayMs
        : undefined;
    if (
      delayMs === undefined ||
      !this.candidates.hasAlternative(attempt.slot, this.outcomes.busySlots(), now)
    )
      return undefined;
    return delayMs;
  }

  startHedge(first: A, afterMs: number): A | undefined {
    const pick = this.nextPick(first.slot, "hedge");
    const hedge = pick ? this.start(pick) : undefined;
    if (hedge) this.events.hedge.emit({ callId: this.id, slow: first.name, started: hedge.name, afterMs });
    return hedge;
  }

  failWhileRacing(attempt: A, error: unknown): void {
    this.record(attempt, error);
    this.throwIfStopped();
    this.candidates.markDone(attempt.slot);
  }

  loseHedge(loser: A, first: A): void {
    const suspect = loser === first && loser.slot.isSuspect(Date.now()) && !this.policy.hedging.enabled;
    this.outcomes.lostHedge(loser, suspect);
  }

  abandon(attempt: A, reason: unknown): void {
    this.outcomes.abandoned(attempt, reason);
  }

  private async acquireFrom(pick: Pick | undefined): Promise<A> {
    for (;;) {
      this.throwIfStopped();
      if (!pick) throw this.exhausted();
      if (pick.waitMs > 0) await this.wait(pick);
      const first = this.start(pick);
      if (!first) {
        pick = this.nextPick(pick.slot);
        continue;
      }
      const result = await raceAttempts(this, first);
      if (result.ok) return result.attempt;
      pick = this.failUncommitted(result.attempt, result.error);
    }
  }

  /**
   * Waits before a pick. A retry waits out its provider's cooling to the end: timers run on the event
   * loop's cached clock, which lags `Date.now()` on a busy process, so a wait can end a little before
   * the cooling it was sized to cover. The rest is waited too (at most as long again as the first
   * wait; a cooling another call stretched beyond that passes the provider over, as it should).
   */
  private async wait(pick: Pick): Promise<void> {
    let waitMs = pick.waitMs;
    for (let round = 0; round < 3 && waitMs > 0; round++) {
      try {
        await delay(waitMs, this.scope.signal);
      } catch {
        this.throwIfStopped();
        return;
      }
      if (pick.reason !== "retry") return;
      const left = pick.slot.coolingLeftMs(this.modelFor(pick.slot), Date.now());
      waitMs = left <= pick.waitMs ? left : 0;
    }
  }

  /** Starts an attempt, or returns undefined when the provider refuses it (passing it over). */
  private start(pick: Pick): A | undefined {
    const { slot } = pick;
    const model = this.modelFor(slot);
    const now = Date.now();
    const admission = slot.admit(model, pick.lastResort, this.id, now);
    if (!admission.admitted) {
      this.candidates.markDone(slot);
      this.log.noteSkip(slot, model, admission.outage);
      return undefined;
    }
    if (pick.reason !== "retry") slot.recordCall(now);
    this.tries.set(slot, (this.tries.get(slot) ?? 0) + 1);
    if (this.events.attemptStart.active)
      this.events.attemptStart.emit({ callId: this.id, provider: slot.name, model, reason: pick.reason });
    const attempt = this.kind.startAttempt(this.request, {
      slot,
      model,
      reason: pick.reason,
      ticket: admission.ticket,
      policy: this.policyFor(slot),
      follow: this.follow,
      deadlineAt: this.scope.deadlineAt,
    });
    this.outcomes.started(attempt);
    return attempt;
  }

  /** A failure before anything reached the caller: record it, decide, apply. */
  private failUncommitted(attempt: A, error: unknown): Pick | undefined {
    const { failure, action } = this.record(attempt, error);
    this.throwIfStopped();
    if (failure.failureClass === "context_length") this.candidates.requireLargerContextThan(attempt.slot);
    const decision = this.decide(attempt, failure, action);
    const { slot } = attempt;
    if (decision.type !== "retry" && decision.declined === "budget")
      this.events.budgetExhausted.emit({ callId: this.id, provider: slot.name });
    switch (decision.type) {
      case "surface":
        throw failure;
      case "give-up":
        this.candidates.markDone(slot);
        return undefined;
      case "fallover":
        return this.fallOver(attempt, failure);
      case "retry": {
        slot.withdrawRetry(Date.now());
        this.events.retry.emit({
          callId: this.id,
          provider: slot.name,
          model: attempt.model,
          failureClass: failure.failureClass,
          delayMs: decision.delayMs,
          retry: this.tries.get(slot) ?? 1,
        });
        return { slot, reason: "retry", waitMs: decision.delayMs, lastResort: false };
      }
    }
  }

  /** The facts of a failure, for `decideAfterFailure`. */
  private decide(
    attempt: A,
    failure: ProviderError,
    action: FailureAction,
    committed?: { continueAllowed: boolean },
  ): Decision {
    const { slot } = attempt;
    const { retry } = this.policyFor(slot);
    const now = Date.now();
    const tries = this.tries.get(slot) ?? 1;
    return decideAfterFailure({
      failureClass: failure.failureClass,
      action,
      tries,
      maxRetries: retry.maxRetries,
      preferPrimary: retry.preferPrimary,
      retryAfterMs: failure.retryAfterMs,
      maxRetryAfterMs: retry.maxRetryAfterMs,
      coolingLeftMs: slot.coolingLeftMs(attempt.model, now),
      backoffMs: computeBackoffMs(tries - 1, retry.backoff),
      alternativeAvailable: this.candidates.hasAlternative(slot, this.outcomes.busySlots(), now),
      timeLeftMs: this.scope.deadlineAt - now,
      retryBudgetAvailable: slot.retryBudgetAvailable(now),
      committed,
    });
  }

  private fallOver(attempt: A, failure: ProviderError): Pick | undefined {
    this.candidates.markDone(attempt.slot);
    const next = this.nextPick(attempt.slot, "fallback");
    const { failureClass } = failure;
    if (next)
      this.events.fallback.emit({ callId: this.id, from: attempt.name, to: next.slot.name, failureClass });
    return next;
  }

  /** Records a failed attempt; a failure that counts against its provider marks its domain failing. */
  private record(attempt: A, error: unknown): { failure: ProviderError; action: FailureAction } {
    const { failure, action, counted } = this.outcomes.failed(attempt, error);
    if (counted) this.candidates.markDomainFailing(attempt.slot);
    return { failure, action };
  }

  private nextPick(previous: ProviderSlot | undefined, reason?: Attempt["reason"]): Pick | undefined {
    const firstPick = this.attempts.length === 0;
    const options = { reason: reason ?? (firstPick ? "initial" : "fallback"), firstPick };
    return this.candidates.next(previous, this.outcomes.busySlots(), options, Date.now());
  }

  /** The model this call uses on a provider (for chat: a per-call override, else the provider's own). */
  private modelFor(slot: ProviderSlot): string {
    return this.kind.modelFor(this.request, slot);
  }

  /** Throws when the caller aborted (their reason) or the total deadline passed (AllProvidersFailedError). */
  private throwIfStopped(): void {
    if (!this.scope.signal.aborted) return;
    const deadline = this.scope.deadlinePassed;
    throw deadline ? this.exhausted(deadline) : this.scope.signal.reason;
  }

  /** No provider can answer: every attempt, every skip, and when the first provider is due back. */
  private exhausted(cause?: unknown): AllProvidersFailedError {
    return new AllProvidersFailedError([...this.attempts], [...this.log.skipped], {
      cause: cause ?? this.outcomes.lastError,
      retryInMs: this.candidates.dueBackInMs(Date.now()),
    });
  }
}
