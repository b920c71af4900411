import { z } from "zod";
import {
  defaultFailureActions,
  type FailureAction,
  type FailureClass,
  failureClasses,
} from "../errors/failure-class.js";
import { maxTimerMs } from "../internal/abortable-delay.js";

/**
 * Deadlines for one call. Defaults are chosen to never cut off a legitimate slow reply (long
 * outputs, reasoning models thinking before their first token) while catching a black-holed
 * provider in seconds: the engine streams under the hood, so a live provider sends its response
 * headers at once, whatever the length of the reply.
 */
export interface DeadlineOptions {
  /**
   * Time from sending a request to its response headers. Streaming responses send headers before
   * generating, so a healthy provider answers in well under a second; 10 s only trips on a black hole.
   * @default 10_000
   */
  headersMs?: number;
  /**
   * Time from sending a request to the first content event (text or tool call). Reasoning models
   * may think for a long time before their first token, hence the generous default.
   * @default 90_000
   */
  firstContentMs?: number;
  /**
   * Longest gap between two content events once content flows. Keep-alive pings do not count.
   * @default 30_000
   */
  idleMs?: number;
  /**
   * The whole call, shared by every attempt, retry wait and fall-over.
   * @default 600_000
   */
  totalMs?: number;
}

export interface BackoffPolicyOptions {
  /** @default 250 */
  initialDelayMs?: number;
  /** @default 8_000 */
  maxDelayMs?: number;
  /** @default 2 */
  multiplier?: number;
}

export interface RetryOptions {
  /**
   * Retries of the same provider within one call (attempts = 1 + maxRetries).
   * @default 2
   */
  maxRetries?: number;
  /**
   * Retry the same provider even when another could take the call (for model consistency).
   * By default a failure falls over at once: faster for the caller, lighter on a struggling provider.
   * @default false
   */
  preferPrimary?: boolean;
  /** Exponential backoff with full jitter between retries of the same provider. */
  backoff?: BackoffPolicyOptions;
  /**
   * Longest Retry-After the engine will sleep for. A longer stated wait marks the provider cooling
   * instead of sleeping.
   * @default 30_000
   */
  maxRetryAfterMs?: number;
  /** Retry budget (token bucket per provider) so retries cannot multiply traffic during an outage. */
  budget?: {
    /** Retries may add this fraction of calls. @default 0.1 */
    ratio?: number;
    /** Retries always allowed per second, so a quiet app can still retry. @default 1 */
    minRetriesPerSecond?: number;
    /** Window over which calls earn retries. @default 10_000 */
    ttlMs?: number;
  };
}

export interface BreakerPolicyOptions {
  /** Failure ratio over the window that opens the breaker. @default 0.5 */
  failureRatio?: number;
  /** Calls in the window before the ratio applies. @default 10 */
  minimumThroughput?: number;
  /** Sliding window length. @default 30_000 */
  windowMs?: number;
  /** Failures in a row that open the breaker whatever the throughput. @default 5 */
  consecutiveFailures?: number;
  /** First break duration before a half-open probe. @default 5_000 */
  halfOpenAfterMs?: number;
  /** Longest break duration (it doubles with each failed probe). @default 60_000 */
  maxHalfOpenAfterMs?: number;
}

export interface HedgingOptions {
  /**
   * Start the next provider too when the current one has sent no content after `delayMs`.
   * First content wins; the other attempt is aborted.
   * @default false
   */
  enabled?: boolean;
  /** @default 2_000 */
  delayMs?: number;
}

/** Policy: every field optional; set globally, per provider, or per call. */
export interface PolicyOptions {
  deadlines?: DeadlineOptions;
  retry?: RetryOptions;
  breaker?: BreakerPolicyOptions;
  hedging?: HedgingOptions;
  /** Override the default action of any failure class. */
  failureActions?: Partial<Record<FailureClass, Partial<FailureAction>>>;
  /** How long auth and quota failures take a provider out of rotation. @default 300_000 */
  disableForMs?: number;
  /**
   * The longest a 429 takes a provider out ("cooling"), whatever wait it states: a longer
   * Retry-After (Azure's 86400 s, a reset header of 1e20) cools it this long, then one probe decides
   * (its success ends the cooling, another 429 starts a new one). The same ceiling as the breaker's
   * longest break: a stated wait that is real costs one request a minute to re-check; one that is
   * bogus costs at most a minute of a healthy provider.
   * @default 60_000
   */
  maxCoolingMs?: number;
  /**
   * A provider that just timed out is suspect for this long: while suspect, calls to it hedge to
   * the next provider after `suspectHedgeDelayMs`, so a black hole costs only the first call its deadline.
   * @default 60_000
   */
  suspectForMs?: number;
  /** @default 1_000 */
  suspectHedgeDelayMs?: number;
  /**
   * After content reached the caller, a failing stream raises `StreamInterruptedError` ("error"), or
   * resumes on the next provider from the partial output ("continue", opt-in).
   * @default "error"
   */
  onStreamInterrupted?: "error" | "continue";
  /**
   * How `chat()` talks to providers: "stream" (default) streams under the hood so a live provider
   * is visible within the headers deadline; "json" makes plain non-streaming calls.
   * @default "stream"
   */
  transport?: "stream" | "json";
}

/** Timers cannot wait longer than 2^31 - 1 ms (about 24.8 days): larger values would fire at once. */
const ms = z.number().int().nonnegative().max(maxTimerMs);
const positiveMs = z.number().int().positive().max(maxTimerMs);

const failureActionSchema = z.strictObject({
  retry: z.boolean().optional(),
  fallover: z.boolean().optional(),
  countsForBreaker: z.boolean().optional(),
  disableProvider: z.boolean().optional(),
});

export const policySchema = z.strictObject({
  deadlines: z
    .strictObject({
      headersMs: positiveMs.optional(),
      firstContentMs: positiveMs.optional(),
      idleMs: positiveMs.optional(),
      totalMs: positiveMs.optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      maxRetries: z.number().int().min(0).max(10).optional(),
      preferPrimary: z.boolean().optional(),
      backoff: z
        .strictObject({
          initialDelayMs: ms.optional(),
          maxDelayMs: ms.optional(),
          multiplier: z.number().min(1).optional(),
        })
        .optional(),
      maxRetryAfterMs: ms.optional(),
      budget: z
        .strictObject({
          ratio: z.number().min(0).max(10).optional(),
          minRetriesPerSecond: z.number().min(0).optional(),
          ttlMs: positiveMs.optional(),
        })
        .optional(),
    })
    .optional(),
  breaker: z
    .strictObject({
      failureRatio: z.number().gt(0).max(1).optional(),
      minimumThroughput: z.number().int().positive().optional(),
      windowMs: positiveMs.optional(),
      consecutiveFailures: z.number().int().positive().optional(),
      halfOpenAfterMs: positiveMs.optional(),
      maxHalfOpenAfterMs: positiveMs.optional(),
    })
    .optional(),
  hedging: z.strictObject({ enabled: z.boolean().optional(), delayMs: ms.optional() }).optional(),
  failureActions: z.partialRecord(z.enum(failureClasses), failureActionSchema).optional(),
  disableForMs: ms.optional(),
  maxCoolingMs: positiveMs.optional(),
  suspectForMs: ms.optional(),
  suspectHedgeDelayMs: ms.optional(),
  onStreamInterrupted: z.enum(["error", "continue"]).optional(),
  transport: z.enum(["stream", "json"]).optional(),
});

/** Policy with every default filled in. */
export interface ResolvedPolicy {
  deadlines: Required<DeadlineOptions>;
  retry: Required<Omit<RetryOptions, "backoff" | "budget">> & {
    backoff: Required<BackoffPolicyOptions>;
    budget: Required<NonNullable<RetryOptions["budget"]>>;
  };
  breaker: Required<BreakerPolicyOptions>;
  hedging: Required<HedgingOptions>;
  failureActions: Record<FailureClass, FailureAction>;
  disableForMs: number;
  maxCoolingMs: number;
  suspectForMs: number;
  suspectHedgeDelayMs: number;
  onStreamInterrupted: "error" | "continue";
  transport: "stream" | "json";
}

export const defaultPolicy: ResolvedPolicy = {
  deadlines: { headersMs: 10_000, firstContentMs: 90_000, idleMs: 30_000, totalMs: 600_000 },
  retry: {
    maxRetries: 2,
    preferPrimary: false,
    backoff: { initialDelayMs: 250, maxDelayMs: 8_000, multiplier: 2 },
    maxRetryAfterMs: 30_000,
    budget: { ratio: 0.1, minRetriesPerSecond: 1, ttlMs: 10_000 },
  },
  breaker: {
    failureRatio: 0.5,
    minimumThroughput: 10,
    windowMs: 30_000,
    consecutiveFailures: 5,
    halfOpenAfterMs: 5_000,
    maxHalfOpenAfterMs: 60_000,
  },
  hedging: { enabled: false, delayMs: 2_000 },
  failureActions: { ...defaultFailureActions },
  disableForMs: 300_000,
  maxCoolingMs: 60_000,
  suspectForMs: 60_000,
  suspectHedgeDelayMs: 1_000,
  onStreamInterrupted: "error",
  transport: "stream",
};

/** Layers policies: later layers win field by field. */
export const mergePolicy = (
  base: ResolvedPolicy,
  ...layers: (PolicyOptions | undefined)[]
): ResolvedPolicy => {
  let result = base;
  for (const layer of layers) {
    if (!layer) continue;
    const failureActions = { ...result.failureActions };
    for (const [cls, action] of Object.entries(layer.failureActions ?? {})) {
      const key = cls as FailureClass;
      failureActions[key] = { ...failureActions[key], ...action };
    }
    result = {
      deadlines: { ...result.deadlines, ...layer.deadlines },
      retry: {
        ...result.retry,
        ...layer.retry,
        backoff: { ...result.retry.backoff, ...layer.retry?.backoff },
        budget: { ...result.retry.budget, ...layer.retry?.budget },
      },
      breaker: { ...result.breaker, ...layer.breaker },
      hedging: { ...result.hedging, ...layer.hedging },
      failureActions,
      disableForMs: layer.disableForMs ?? result.disableForMs,
      maxCoolingMs: layer.maxCoolingMs ?? result.maxCoolingMs,
      suspectForMs: layer.suspectForMs ?? result.suspectForMs,
      suspectHedgeDelayMs: layer.suspectHedgeDelayMs ?? result.suspectHedgeDelayMs,
      onStreamInterrupted: layer.onStreamInterrupted ?? result.onStreamInterrupted,
      transport: layer.transport ?? result.transport,
    };
  }
  return result;
};
