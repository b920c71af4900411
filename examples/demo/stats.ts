import type { Disposable, FailoverClient } from "../../src/index.js";

/** One call the load generator made. */
export interface CallRecord {
  startedAt: number;
  endedAt: number;
  ms: number;
  stream: boolean;
  /** Index of the phase the call started in. */
  phase: number;
  /** Who answered; undefined when the call failed. */
  provider: string | undefined;
  failedOver: boolean;
  /** Attempts the call took (1: the first provider tried answered). */
  attempts: number;
  /** A stream cut mid-answer that another provider continued: the provider that started it. */
  resumedFrom?: string;
  /** Error name and failure class, never its message (it could quote a provider's reply). */
  error?: string;
}

export interface BreakerChange {
  at: number;
  provider: string;
  model: string;
  from: string;
  to: string;
  reason: string;
}

/** Everything the live view and the summary read. Fed by the load generator and the engine's events. */
export class DrillStats {
  readonly calls: CallRecord[] = [];
  readonly breakerChanges: BreakerChange[] = [];
  /** Attempt starts per provider, with their time (for "requests after the breaker opened"). */
  readonly attemptStarts = new Map<string, number[]>();
  /** Last failure class each provider ended an attempt with. */
  readonly lastFailure = new Map<string, string>();
  inFlight = 0;
  /** Fall-over hops (one call may fall over more than once). */
  fallbacks = 0;
  hedges = 0;
  retries = 0;
  failed = 0;
  private subscriptions: Disposable[] = [];
  private breakerListeners: ((change: BreakerChange) => void)[] = [];

  constructor(readonly providers: readonly string[]) {
    for (const p of providers) this.attemptStarts.set(p, []);
  }

  /** Subscribes to the engine's events. */
  attach(engine: FailoverClient): void {
    this.subscriptions.push(
      engine.onAttemptStart(({ provider }) => this.attemptStarts.get(provider)?.push(Date.now())),
      engine.onAttemptEnd(({ attempt }) => {
        if (attempt.outcome !== "ok" && attempt.outcome !== "aborted")
          this.lastFailure.set(
            attempt.provider,
            attempt.status ? `${attempt.status} ${attempt.outcome}` : attempt.outcome,
          );
      }),
      engine.onFallback(() => this.fallbacks++),
      engine.onHedge(() => this.hedges++),
      engine.onRetry(() => this.retries++),
      engine.onBreakerStateChange((event) => {
        const change = { at: Date.now(), ...event };
        this.breakerChanges.push(change);
        for (const listener of this.breakerListeners) listener(change);
      }),
    );
  }

  onBreakerChange(listener: (change: BreakerChange) => void): void {
    this.breakerListeners.push(listener);
  }

  detach(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
    this.breakerListeners = [];
  }

  record(call: CallRecord): void {
    this.calls.push(call);
    if (call.provider === undefined) this.failed++;
  }

  /** Calls that ended in the last `ms` milliseconds (calls are stored in the order they ended). */
  recent(now: number, ms = 1_000): CallRecord[] {
    const from = now - ms;
    let i = this.calls.length;
    while (i > 0 && this.calls[i - 1]!.endedAt >= from) i--;
    return this.calls.slice(i);
  }

  /** When `provider`'s breaker first left "closed", if it did. */
  firstOpened(provider: string): number | undefined {
    return this.breakerChanges.find((c) => c.provider === provider && c.to === "open")?.at;
  }

  /** Breaker transitions of `provider` to half-open (each is one probe) between two times. */
  probes(provider: string, from: number, to: number): number {
    return this.breakerChanges.filter(
      (c) => c.provider === provider && c.to === "half-open" && c.at >= from && c.at < to,
    ).length;
  }

  /** Attempts the engine started against `provider` between two times. */
  attemptsBetween(provider: string, from: number, to: number): number {
    return (this.attemptStarts.get(provider) ?? []).filter((at) => at >= from && at < to).length;
  }
}

/** The q-quantile (0..1) of `values`, nearest rank; undefined for none. */
export const quantile = (values: readonly number[], q: number): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
};

/** Answers per provider among `calls`, in the order of `providers`. */
export const answersByProvider = (
  calls: readonly CallRecord[],
  providers: readonly string[],
): Map<string, number> => {
  const counts = new Map(providers.map((p) => [p, 0] as [string, number]));
  for (const call of calls)
    if (call.provider) counts.set(call.provider, (counts.get(call.provider) ?? 0) + 1);
  return counts;
};
