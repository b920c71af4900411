/** Exponential backoff between retries of the same provider. */
export interface BackoffOptions {
  /**
   * Ceiling of the first retry's delay, in milliseconds.
   * @default 250
   */
  initialDelayMs?: number;
  /**
   * No delay is ever longer than this, in milliseconds.
   * @default 8000
   */
  maxDelayMs?: number;
  /**
   * Factor the ceiling grows by with each further retry.
   * @default 2
   */
  multiplier?: number;
}

const DEFAULTS: Required<BackoffOptions> = { initialDelayMs: 250, maxDelayMs: 8000, multiplier: 2 };

/**
 * The upper bound of the delay before retry number `retryNumber` (0 for the first retry):
 * `min(maxDelayMs, initialDelayMs * multiplier ** retryNumber)`. Never decreases as `retryNumber`
 * grows. A negative, fractional or NaN `retryNumber` is read as the whole number below it, at least 0.
 *
 * @throws RangeError when an option is negative or not finite, or `multiplier` is below 1.
 */
export function backoffCeilingMs(retryNumber: number, options: BackoffOptions = {}): number {
  const { initialDelayMs, maxDelayMs, multiplier } = resolve(options);
  const n = Math.max(0, Math.floor(retryNumber) || 0);
  if (initialDelayMs === 0) return 0; // 0 * Infinity would be NaN
  // multiplier ** n may overflow to Infinity; min() then yields the cap, as it should.
  return Math.min(maxDelayMs, initialDelayMs * multiplier ** n);
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniformly random whole number of milliseconds in `[0, backoffCeilingMs(retryNumber, options)]`.
 * Full jitter spreads the retries of many clients hit by the same outage over the whole interval,
 * which matters more than any single client's wait. `retryNumber` is 0 for the first retry.
 *
 * @param random source of uniform numbers in [0, 1); values outside are clamped. @default Math.random
 * @throws RangeError when an option is negative or not finite, or `multiplier` is below 1.
 */
export function computeBackoffMs(
  retryNumber: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeilingMs(retryNumber, options);
  const r = Math.min(1, Math.max(0, random() || 0));
  return Math.floor(r * ceiling);
}

function resolve(options: BackoffOptions): Required<BackoffOptions> {
  const resolved = {
    initialDelayMs: options.initialDelayMs ?? DEFAULTS.initialDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
    multiplier: options.multiplier ?? DEFAULTS.multiplier,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`backoff option ${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  if (resolved.multiplier < 1) {
    throw new RangeError(`backoff option multiplier must be ≥ 1, got ${resolved.multiplier}`);
  }
  return resolved;
}
