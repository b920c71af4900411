/** Successes and failures counted in a {@link FailureWindow}. */
export interface WindowCounts {
  successes: number;
  failures: number;
}

/** A {@link FailureWindow}'s content, as plain JSON: its non-empty buckets with their start times. */
export interface FailureWindowSnapshot {
  buckets: Array<{ start: number } & WindowCounts>;
}

/** Number of buckets the window is cut into (at most; each bucket is at least 1 ms). */
const BUCKETS = 20;

/**
 * Outcomes over a sliding time window, kept as a ring of time buckets so that memory does not grow
 * with traffic. An outcome counts while its bucket started less than `windowMs` ago: the window
 * slides in steps of `windowMs / 20`.
 *
 * Written here rather than taken from cockatiel's `SamplingBreaker`: that one expires at most one
 * bucket per recorded call, so after a quiet spell it keeps counting outcomes from long ago (ten
 * failures ten minutes apart open a "30 s" window), it reads `Date.now()` itself (no injected time),
 * and it measures throughput in requests per second rather than calls in the window.
 */
export class FailureWindow {
  private readonly bucketMs: number;
  private readonly index: number[];
  private readonly successes: number[];
  private readonly failures: number[];
  private latest = 0;

  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw new RangeError(`window length must be a finite number > 0, got ${windowMs}`);
    }
    this.bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS));
    const size = Math.ceil(windowMs / this.bucketMs) + 1;
    this.index = new Array<number>(size).fill(Number.NaN);
    this.successes = new Array<number>(size).fill(0);
    this.failures = new Array<number>(size).fill(0);
  }

  /** Counts one outcome at time `now` (epoch ms). */
  record(success: boolean, now: number): void {
    const slot = this.slotFor(now);
    if (success) this.successes[slot]! += 1;
    else this.failures[slot]! += 1;
  }

  /** The outcomes counted at time `now`. */
  counts(now: number): WindowCounts {
    const windowStart = this.advance(now) - this.windowMs;
    let successes = 0;
    let failures = 0;
    for (let slot = 0; slot < this.index.length; slot++) {
      if (this.index[slot]! * this.bucketMs > windowStart) {
        successes += this.successes[slot]!;
        failures += this.failures[slot]!;
      }
    }
    return { successes, failures };
  }

  /** Forgets every outcome. */
  reset(): void {
    this.index.fill(Number.NaN);
    this.successes.fill(0);
    this.failures.fill(0);
  }

  /** The buckets still in the window at `now`. */
  toJSON(now: number): FailureWindowSnapshot {
    const windowStart = this.advance(now) - this.windowMs;
    const buckets: FailureWindowSnapshot["buckets"] = [];
    for (let slot = 0; slot < this.index.length; slot++) {
      const start = this.index[slot]! * this.bucketMs;
      const successes = this.successes[slot]!;
      const failures = this.failures[slot]!;
      if (start > windowStart && successes + failures > 0) buckets.push({ start, successes, failures });
    }
    return { buckets: buckets.sort((a, b) => a.start - b.start) };
  }

  /**
   * Adds a snapshot's outcomes, each bucket at its start time, so a snapshot taken with another
   * window length still loads. Buckets already outside the window at `now` are dropped.
   */
  load(snapshot: FailureWindowSnapshot, now: number): void {
    const windowStart = this.advance(now) - this.windowMs;
    for (const bucket of snapshot.buckets) {
      if (bucket.start <= windowStart || bucket.start > now) continue;
      const slot = this.slotFor(bucket.start, false);
      this.successes[slot]! += bucket.successes;
      this.failures[slot]! += bucket.failures;
    }
  }

  /** Whether `value` has the shape of a {@link FailureWindowSnapshot}. */
  static isSnapshot(value: unknown): value is FailureWindowSnapshot {
    const buckets = (value as FailureWindowSnapshot | null)?.buckets;
    return (
      Array.isArray(buckets) &&
      buckets.every(
        (b) =>
          typeof b === "object" &&
          b !== null &&
          Number.isFinite(b.start) &&
          Number.isInteger(b.successes) &&
          b.successes >= 0 &&
          Number.isInteger(b.failures) &&
          b.failures >= 0,
      )
    );
  }

  /** The slot of the bucket holding time `at`, emptied first if it still holds an older bucket. */
  private slotFor(at: number, advance = true): number {
    if (advance) at = this.advance(at);
    const index = Math.floor(at / this.bucketMs);
    const size = this.index.length;
    const slot = ((index % size) + size) % size;
    if (this.index[slot] !== index) {
      this.index[slot] = index;
      this.successes[slot] = 0;
      this.failures[slot] = 0;
    }
    return slot;
  }

  /** Time never runs backwards here: an earlier timestamp than one already seen reads as the latest. */
  private advance(now: number): number {
    if (now > this.latest) this.latest = now;
    return this.latest;
  }
}
