import type { Attempt } from "../spec/attempt.js";
import { AiFailoverError, hasErrorName } from "./ai-failover-error.js";
import type { FailureClass } from "./failure-class.js";

/** A provider a call passed over without sending it anything, and when it is due back. */
export interface SkippedProvider {
  provider: string;
  model: string;
  /** Its breaker is open (or half-open with its probe out), it is disabled (auth, quota), or cooling after a 429. */
  reason: "breaker-open" | "cooling" | "disabled";
  /**
   * Milliseconds from the skip until it is expected to take calls again (while its probe is out:
   * the break that follows if the probe fails).
   */
  retryInMs: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The longest reason one attempt adds to the message: one log line must stay readable. */
const maxReasonLength = 120;

/**
 * An attempt's short reason: its sanitized message without the "provider (model) class:" prefix the
 * attempt's own fields already say, cut to a readable length. Attempts hold no prompt, key or HTML.
 */
const reasonOf = (attempt: Attempt): string | undefined => {
  const message = attempt.message?.trim();
  if (!message) return undefined;
  const prefix = `${attempt.provider} (${attempt.model}) ${attempt.outcome}: `;
  const reason = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  if (reason === "" || reason === "no message") return undefined;
  return reason.length > maxReasonLength ? `${reason.slice(0, maxReasonLength)}…` : reason;
};

const describeAttempt = (a: Attempt): string => {
  const reason = reasonOf(a);
  return `${a.provider}/${a.model}: ${a.outcome}${a.status ? ` ${a.status}` : ""} (${Math.round(a.durationMs)} ms)${reason ? ` ${JSON.stringify(reason)}` : ""}`;
};

/**
 * No provider could answer. The message alone says what went wrong — each attempt's provider,
 * model, failure class, status, duration and short sanitized reason, e.g.
 * `All providers failed. Attempts: openai/gpt-4.1: server_error 503 (41 ms) "Service Unavailable";
 * anthropic/claude-sonnet-4-6: auth 401 (12 ms) "invalid x-api-key"`. `attempts` lists every try; `skipped` the providers not tried, why, and
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
    const tried = attempts.map(describeAttempt).join("; ");
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
