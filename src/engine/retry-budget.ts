/** Options of a {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /**
   * Retries may add at most this fraction of the calls made in the window: 0.1 lets 10 calls pay
   * for 1 retry. During an outage at load this is what keeps retries from multiplying traffic.
   * @default 0.1
   */
  ratio?: number;
  /**
   * A floor of retries per second that needs no calls to pay for it, so that an app with little
   * traffic can still retry. Over a window it adds `minRetriesPerSecond * ttlMs / 1000` retries.
   * @default 1
   */
  minRetriesPerSecond?: number;
  /**
   * How long a call's deposit (and a retry's withdrawal) counts, in milliseconds.
   * @default 10_000
   */
  ttlMs?: number;
  /**
   * Wall clock in epoch milliseconds. `Date.now` by default, so fake timers drive it.
   * @default Date.now
   */
  clock?: () => number;
}

/** Number of time buckets the window is cut into (at most; each bucket is at least 1 ms). */
const SLICES = 10;

/**
 * A retry budget in the style of Finagle's `RetryBudget` (also gRPC's retry throttling, Envoy's
 * retry budgets): every call deposits `ratio` of a token, every retry withdraws one, and both expire
 * after `ttlMs`; a fixed reserve of `minRetriesPerSecond * ttlMs / 1000` tokens keeps low-traffic
 * apps able to retry.
 *
 * Guarantee (tested as a property): at the moment any retry is granted, the retries granted in the
 * preceding `ttlMs` (inclusive) number at most `ratio * calls in that span + reserve`. To keep that
 * exact with bucketed counters, a bucket's deposits stop counting as soon as its first millisecond
 * leaves the window and its withdrawals only when its last millisecond has: the budget errs by at
 * most one bucket (a tenth of the window) on the strict side.
 *
 * Call {@link recordRequest} once per logical call (not per retry: retries must not pay for
 * themselves) and {@link tryAcquireRetry} before each retry. Time never runs backwards here: an
 * earlier timestamp than one already seen is read as the latest one.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly reserve: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  private readonly bucketMs: number;
  private readonly bucketIndex: number[];
  private readonly deposits: number[];
  private readonly withdrawals: number[];
  private latest = 0;

  /** @throws RangeError when an option is negative or not finite, or `ttlMs` is 0. */
  constructor(options: RetryBudgetOptions = {}) {
    const { ratio = 0.1, minRetriesPerSecond = 1, ttlMs = 10_000, clock = Date.now } = options;
    for (const [name, value] of Object.entries({ ratio, minRetriesPerSecond, ttlMs })) {
      if (!Number.isFinite(value) || value < 0) {
        throw new RangeError(`retry budget option ${name} must be a finite number ≥ 0, got ${value}`);
      }
    }
    if (ttlMs === 0) throw new RangeError("retry budget option ttlMs must be > 0");
    this.ratio = ratio;
    this.reserve = (minRetriesPerSecond * ttlMs) / 1000;
    this.ttlMs = ttlMs;
    this.clock = clock;
    this.bucketMs = Math.max(1, Math.floor(ttlMs / SLICES));
    // Every bucket that can still overlap the window, plus the current one.
    const size = Math.ceil(ttlMs / this.bucketMs) + 2;
    this.bucketIndex = new Array<number>(size).fill(Number.NaN);
    this.deposits = new Array<number>(size).fill(0);
    this.withdrawals = new Array<number>(size).fill(0);
  }

  /** Records one call (the first attempt of a logical request): deposits `ratio` of a retry. */
  recordRequest(now: number = this.clock()): void {
    this.deposits[this.slotFor(now)]! += 1;
  }

  /** Withdraws one retry if the budget has one: `true` means go ahead, `false` means don't retry. */
  tryAcquireRetry(now: number = this.clock()): boolean {
    if (this.available(now) < 1) return false;
    this.withdrawals[this.slotFor(now)]! += 1;
    return true;
  }

  /** Whole retries the budget would grant right now. */
  get balance(): number {
    return this.balanceAt(this.clock());
  }

  /** Whole retries the budget would grant at `now`. */
  balanceAt(now: number): number {
    return Math.max(0, Math.floor(this.available(now)));
  }

  /** Tokens available at `now` (may be fractional or below 0 once old deposits expire). */
  private available(now: number): number {
    now = this.advance(now);
    const windowStart = now - this.ttlMs;
    let deposits = 0;
    let withdrawals = 0;
    for (let slot = 0; slot < this.bucketIndex.length; slot++) {
      const start = this.bucketIndex[slot]! * this.bucketMs; // NaN for an unused slot: no match
      if (start >= windowStart) deposits += this.deposits[slot]!;
      if (start + this.bucketMs > windowStart) withdrawals += this.withdrawals[slot]!;
    }
    return this.reserve + this.ratio * deposits - withdrawals;
  }

  /** The slot for `now`'s bucket, emptied first if it still holds an older bucket. */
  private slotFor(now: number): number {
    now = this.advance(now);
    const index = Math.floor(now / this.bucketMs);
    const slot = ((index % this.bucketIndex.length) + this.bucketIndex.length) % this.bucketIndex.length;
    if (this.bucketIndex[slot] !== index) {
      this.bucketIndex[slot] = index;
      this.deposits[slot] = 0;
      this.withdrawals[slot] = 0;
    }
    return slot;
  }

  private advance(now: number): number {
    if (now > this.latest) this.latest = now;
    return this.latest;
  }
}
