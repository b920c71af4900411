import type { FailureAction, FailureClass } from "../errors/failure-class.js";

/** Everything the decision after a failed attempt depends on. */
export interface FailureFacts {
  failureClass: FailureClass;
  /** The failure class's action, from the failing provider's policy. */
  action: FailureAction;
  /** Attempts this call has made on the failing provider, the failed one included. */
  tries: number;
  maxRetries: number;
  /** Retry the same provider even when another could take the call. */
  preferPrimary: boolean;
  /** The provider's stated wait (Retry-After & co.), if any. */
  retryAfterMs: number | undefined;
  /** The longest stated wait worth sleeping for. */
  maxRetryAfterMs: number;
  /** How long the failing provider is still cooling: a retry never goes inside that window. */
  coolingLeftMs: number;
  /** The jittered backoff this retry would wait (no stated wait). */
  backoffMs: number;
  /** Another provider could take the call now (after a context_length failure: one with a larger window). */
  alternativeAvailable: boolean;
  /** Time left before the call's total deadline. */
  timeLeftMs: number;
  /** The failing provider's retry budget has a retry to spend. */
  retryBudgetAvailable: boolean;
  /**
   * Content already reached the caller (a committed stream). `continueAllowed`: the caller opted into
   * continuing on another provider and only text was delivered (never a tool call: two providers'
   * arguments must never meet under one call).
   */
  committed?: { continueAllowed: boolean } | undefined;
}

/** Why a retry the class allows was not made. */
export type RetryDeclined = "max-retries" | "retry-after-too-long" | "deadline" | "budget";

/**
 * What the call does next:
 * - `retry`: the same provider again after `delayMs`;
 * - `fallover`: the next provider that can take the call;
 * - `surface`: stop and throw this provider's own error (a bad request, a filtered prompt, an abort,
 *   a context too long for everyone, a committed stream's `StreamInterruptedError`);
 * - `give-up`: nobody is left: `AllProvidersFailedError`.
 * `declined` says why a retry the class allowed was not made (the budget's refusal is an event).
 */
export type Decision =
  | { type: "retry"; delayMs: number }
  | { type: "fallover"; declined?: RetryDeclined }
  | { type: "surface"; declined?: RetryDeclined }
  | { type: "give-up"; declined?: RetryDeclined };

/**
 * The engine's one decision after a failed attempt: retry, fall over, surface the error, or give up.
 * Pure: the call gathers the facts, applies the decision, and nothing else decides.
 *
 * - An abort is surfaced, always.
 * - Committed (content reached the caller): fall over only when continuing is allowed, the class
 *   falls over and someone can take it; otherwise surface (as `StreamInterruptedError`).
 * - A class that neither retries nor falls over is surfaced.
 * - Retry only when the class allows it and no other provider can take the call (or
 *   `preferPrimary`), within `maxRetries`, after the stated wait (if it is at most `maxRetryAfterMs`)
 *   or the backoff — never inside the provider's cooling window — if that fits the deadline and the
 *   retry budget has a retry.
 * - Otherwise fall over when the class does and someone can take the call; surface when the class
 *   does not fall over (or is `context_length` with no larger window left); else give up.
 */
export const decideAfterFailure = (facts: FailureFacts): Decision => {
  const { failureClass, action } = facts;
  if (failureClass === "aborted") return { type: "surface" };
  if (facts.committed) {
    const resume = facts.committed.continueAllowed && action.fallover && facts.alternativeAvailable;
    return resume ? { type: "fallover" } : { type: "surface" };
  }
  if (!action.retry && !action.fallover) return { type: "surface" };

  let declined: RetryDeclined | undefined;
  if (action.retry && (facts.preferPrimary || !facts.alternativeAvailable)) {
    const retry = retryDelay(facts);
    if (typeof retry === "number") return { type: "retry", delayMs: retry };
    declined = retry.declined;
  }
  const why = declined ? { declined } : {};
  if (action.fallover && facts.alternativeAvailable) return { type: "fallover", ...why };
  if (!action.fallover || failureClass === "context_length") return { type: "surface", ...why };
  return { type: "give-up", ...why };
};

/** The wait before a retry, or why there is none. */
const retryDelay = (facts: FailureFacts): number | { declined: RetryDeclined } => {
  if (facts.tries - 1 >= facts.maxRetries) return { declined: "max-retries" };
  const stated = facts.failureClass === "rate_limited" ? facts.retryAfterMs : undefined;
  const delayMs = Math.max(stated ?? facts.backoffMs, facts.coolingLeftMs);
  if (delayMs > facts.maxRetryAfterMs && (stated !== undefined || facts.coolingLeftMs > 0))
    return { declined: "retry-after-too-long" };
  if (delayMs >= facts.timeLeftMs) return { declined: "deadline" };
  if (!facts.retryBudgetAvailable) return { declined: "budget" };
  return delayMs;
};
