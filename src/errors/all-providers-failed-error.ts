import type { Attempt } from "../spec/attempt.js";
import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";
import type { FailureClass } from "./failure-class.js";

/** No provider could answer. `attempts` lists every try; `skipped` the providers not tried and why. */
export class AllProvidersFailedError extends AiFailoverError {
  override name = "AllProvidersFailedError";
  readonly attempts: Attempt[];
  readonly skipped: { provider: string; reason: string }[];
  /** The class of the last failure (what most callers switch on). */
  readonly failureClass: FailureClass | undefined;

  constructor(attempts: Attempt[], skipped: { provider: string; reason: string }[], options?: ErrorOptions) {
    const tried = attempts
      .map(
        (a) =>
          `${a.provider}/${a.model}: ${a.outcome}${a.status ? ` ${a.status}` : ""} (${Math.round(a.durationMs)} ms)`,
      )
      .join("; ");
    const skip = skipped.map((s) => `${s.provider}: ${s.reason}`).join("; ");
    super(`All providers failed. Attempts: ${tried || "none"}${skip ? `. Skipped: ${skip}` : ""}`, options);
    this.attempts = attempts;
    this.skipped = skipped;
    const last = attempts.at(-1)?.outcome;
    this.failureClass = last && last !== "ok" ? last : undefined;
  }
}

export const isAllProvidersFailedError = (error: unknown): error is AllProvidersFailedError =>
  hasErrorName(error, "AllProvidersFailedError");
