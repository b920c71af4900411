import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BackoffOptions, backoffCeilingMs, computeBackoffMs } from "../../src/engine/backoff.js";

const options = fc.record(
  {
    initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
    maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
  },
  { requiredKeys: [] },
) satisfies fc.Arbitrary<BackoffOptions>;
const retryNumber = fc.integer({ min: 0, max: 2000 });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("backoffCeilingMs", () => {
  it.each<[number, BackoffOptions, number]>([
    [0, {}, 250],
    [1, {}, 500],
    [2, {}, 1000],
    [5, {}, 8000],
    [6, {}, 8000],
    [1000, {}, 8000],
    [3, { initialDelayMs: 100, multiplier: 3, maxDelayMs: 60_000 }, 2700],
    [4, { initialDelayMs: 100, multiplier: 1 }, 100],
    [0, { initialDelayMs: 1000, maxDelayMs: 500 }, 500],
    [-3, {}, 250],
    [Number.NaN, {}, 250],
    [1.9, {}, 500],
    [5000, { initialDelayMs: 0 }, 0],
  ])("retry %s with %j → %s", (n, opts, expected) => {
    expect(backoffCeilingMs(n, opts)).toBe(expected);
  });

  it("is monotone in the retry number and never above maxDelayMs", () => {
    fc.assert(
      fc.property(options, retryNumber, (opts, n) => {
        const here = backoffCeilingMs(n, opts);
        const next = backoffCeilingMs(n + 1, opts);
        return here <= next && next <= (opts.maxDelayMs ?? 8000);
      }),
    );
  });

  it("reaches the cap and stays there", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 1.1, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        (initialDelayMs, maxDelayMs, multiplier, extra) => {
          const opts = { initialDelayMs, maxDelayMs, multiplier };
          return backoffCeilingMs(200 + extra, opts) === maxDelayMs;
        },
      ),
    );
  });

  it.each<BackoffOptions>([
    { initialDelayMs: -1 },
    { maxDelayMs: Number.NaN },
    { maxDelayMs: Number.POSITIVE_INFINITY },
    { multiplier: 0.5 },
  ])("rejects invalid options %j", (opts) => {
    expect(() => backoffCeilingMs(0, opts)).toThrow(RangeError);
    expect(() => computeBackoffMs(0, opts)).toThrow(RangeError);
  });
});

describe("computeBackoffMs", () => {
  it("is a whole number in [0, min(max, initial * multiplier^n)]", () => {
    fc.assert(
      fc.property(options, retryNumber, unit, (opts, n, r) => {
        const ms = computeBackoffMs(n, opts, () => r);
        return Number.isInteger(ms) && ms >= 0 && ms <= backoffCeilingMs(n, opts);
      }),
    );
  });

  it("is full jitter: scales the ceiling by the random draw", () => {
    expect(computeBackoffMs(0, {}, () => 0)).toBe(0);
    expect(computeBackoffMs(0, {}, () => 0.5)).toBe(125);
    expect(computeBackoffMs(3, {}, () => 0.5)).toBe(1000);
    expect(computeBackoffMs(10, {}, () => 0.999999)).toBe(7999);
  });

  it("stays in bounds for a misbehaving random source", () => {
    fc.assert(
      fc.property(retryNumber, fc.double(), (n, r) => {
        const ms = computeBackoffMs(n, {}, () => r);
        return ms >= 0 && ms <= backoffCeilingMs(n);
      }),
    );
  });

  it("spreads over the whole interval with Math.random", () => {
    const draws = Array.from({ length: 2000 }, () => computeBackoffMs(4, {}));
    expect(Math.min(...draws)).toBeLessThan(400);
    expect(Math.max(...draws)).toBeGreaterThan(3600);
    expect(Math.max(...draws)).toBeLessThanOrEqual(4000);
  });
});
