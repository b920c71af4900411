import { isConfigError } from "../errors/config-error.js";
import type { FailureAction, FailureClass } from "../errors/failure-class.js";
import { isInvalidRequestError } from "../errors/invalid-request-error.js";
import type { ProviderError } from "../errors/provider-error.js";
import type { AttemptLog } from "./attempt-log.js";
import type { CallAttempt, FinishedReply } from "./call-attempt.js";
import type { CallScope } from "./call-scope.js";
import type { ResolvedPolicy } from "./policy-options.js";
import type { FailureReport, ProviderSlot } from "./provider-slot.js";

/** The failure-action table, read here and nowhere else: health and the decision both get this. */
const actionOf = (policy: ResolvedPolicy, failureClass: FailureClass): FailureAction =>
  policy.failureActions[failureClass];

/**
 * One call's attempts in flight, and how each one ended, told to its provider's health and to the
 * call's log. Every path that ends an attempt goes through here, so a probe is always reported or
 * released and every `onAttemptStart` gets its `onAttemptEnd`.
 */
export class AttemptOutcomes<A extends CallAttempt = CallAttempt> {
  private readonly inflight = new Set<A>();
  /** The last provider failure recorded: the cause of an `AllProvidersFailedError`. */
  lastError: ProviderError | undefined;

  constructor(
    private readonly callId: string,
    private readonly policyFor: (slot: ProviderSlot) => ResolvedPolicy,
    private readonly scope: CallScope,
    private readonly log: AttemptLog,
  ) {}

  started(attempt: A): void {
    this.inflight.add(attempt);
  }

  /** Providers with an attempt of this call in flight. */
  busySlots(): Set<ProviderSlot> {
    return new Set([...this.inflight].map((attempt) => attempt.slot));
  }

  succeeded(attempt: A, finished: FinishedReply): void {
    attempt.finish();
    this.inflight.delete(attempt);
    attempt.slot.succeed(attempt.ticket, this.callId, Date.now());
    this.log.record(attempt, "ok", { finished });
  }

  /**
   * Records a failed attempt (provider health, log) without deciding anything; returns the failure
   * its class's action (the one place the failure-action table is read) and whether it counted against the provider. The caller's own errors
   * (a request refused before it was sent, a configuration mistake) are thrown at once: they say
   * nothing about the provider, whose health is left as it was.
   */
  failed(attempt: A, error: unknown): { failure: ProviderError; action: FailureAction; counted: boolean } {
    if (isInvalidRequestError(error) || isConfigError(error)) {
      this.end(attempt, error);
      this.log.record(attempt, "bad_request", {
        message: `not sent: ${error.name} (${error.issues[0] ?? ""})`,
      });
      throw error;
    }
    const failure = attempt.toProviderError(error);
    attempt.abort(failure);
    this.inflight.delete(attempt);
    const policy = this.policyFor(attempt.slot);
    const action = actionOf(policy, failure.failureClass);
    const report = this.report(policy, failure.failureClass, action, failure);
    const counted = attempt.slot.fail(attempt.ticket, report, this.callId, Date.now());
    this.log.record(attempt, failure.failureClass, { error: failure });
    this.lastError = failure;
    return { failure, action, counted };
  }

  /** A hedge won: the loser is stopped; a suspect provider that lost counts as timing out again. */
  lostHedge(loser: A, timedOutAgain: boolean): void {
    loser.abort(new Error("lost the hedge race"));
    this.inflight.delete(loser);
    if (timedOutAgain) {
      const policy = this.policyFor(loser.slot);
      const report = this.report(policy, "timeout", actionOf(policy, "timeout"));
      loser.slot.fail(loser.ticket, report, this.callId, Date.now());
      this.log.record(loser, "timeout", { message: "no content before the hedge won" });
    } else {
      this.end(loser, undefined);
      this.log.record(loser, "aborted", { message: "lost the hedge race" });
    }
  }

  /** The call ended (abort, deadline, an error that stops it) while the attempt ran. */
  abandoned(attempt: A, reason: unknown): void {
    this.end(attempt, reason);
    this.log.record(attempt, "aborted", { message: "stopped: the call ended" });
  }

  /**
   * Stops every attempt still in flight (the caller left a stream, or the call ended around it), with
   * no outcome for its provider — a probe must be freed or the provider stays half-open, skipped by
   * everyone, until the probe timeout — and logs it, so every attempt start has its end.
   */
  releaseAll(reason: unknown): void {
    for (const attempt of [...this.inflight]) this.abandoned(attempt, reason);
  }

  /** Stops an attempt with no outcome for its provider (a probe it held is released). */
  private end(attempt: A, reason: unknown): void {
    attempt.abort(reason ?? new Error("call settled"));
    this.inflight.delete(attempt);
    attempt.slot.release(attempt.ticket, this.callId, Date.now());
  }

  private report(
    policy: ResolvedPolicy,
    failureClass: FailureClass,
    action: FailureAction,
    failure?: ProviderError,
  ): FailureReport & { suspectForMs: number } {
    return {
      failureClass,
      action,
      retryAfterMs: failure?.retryAfterMs,
      status: failure?.status,
      stoppedByCall: this.scope.signal.aborted,
      disableForMs: policy.disableForMs,
      maxCoolingMs: policy.maxCoolingMs,
      suspectForMs: policy.suspectForMs,
    };
  }
}
