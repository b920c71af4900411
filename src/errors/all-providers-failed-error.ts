import type { Attempt } from "../spec/attempt.js";
import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";
import type { FailureClass } from "./failure-class.js";

/** A provider a call passed over without sending it anything, and when it is due back. */
export interface SkippedProvider {
  provider: string;
  model: string;
  /** Its breaker is open (or half-open with its probe out), it is disabled (auth, quota), or cooling after a 429. */
  reason: "breaker-open" | "cooling" | "disabled";
  /** Milliseconds from the skip until it may take calls again (an upper bound while a probe is out). */
  retryInMs: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * No provider could answer. `attempts` lists every try; `skipped` the providers not tried, why, and
 * when each is due back; `retryInMs` when any provider is due back if none can take a call now
 * (what to put in your own 503's Retry-After).
 */
export class AllProvidersFailedError extends AiFailoverError {
  override name = "AllProvidersFailedError";
  readonly attempts: Attempt[];
  readonly skipped: SkippedProvider[];
  /** The class of the last failure (what most callers switch on). */
  readonly failureClass: FailureClass | undefined;
  /**
   * When every provider is out (open, disabled or cooling): milliseconds until the first one is due
   * back. `undefined` when some provider could take a call now.
   */
  readonly retryInMs: number | undefined;

  constructor(
    attempts: Attempt[],
    skipped: SkippedProvider[],
    options?: ErrorOptions & { retryInMs?: number | undefined },
  ) {
    const tried = attempts
      .map(
        (a) =>
          `${a.provider}/${a.model}: ${a.outcome}${a.status ? ` ${a.status}` : ""} (${Math.round(a.durationMs)} ms)`,
      )
      .join("; ");
    const skip = skipped
      .map((s) => `${s.provider}: ${s.reason}, due back in ${seconds(s.retryInMs)}`)
      .join("; ");
    const due =
      options?.retryInMs !== undefined
        ? `. Every provider is out: the first is due back in ${seconds(options.retryInMs)}`
        : "";
    super(
      `All providers failed. Attempts: ${tried || "none"}${skip ? `. Skipped: ${skip}` : ""}${due}`,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.attempts = attempts;
    this.skipped = skipped;
    const last = attempts.at(-1)?.outcome;
    this.failureClass = last && last !== "ok" ? last : undefined;
    this.retryInMs = options?.retryInMs;
  }
}

export const isAllProvidersFailedError = (error: unknown): error is AllProvidersFailedError =>
  hasErrorName(error, "AllProvidersFailedError");
