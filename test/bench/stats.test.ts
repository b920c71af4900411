/**
 * The bench's noise-aware verdicts: a CPU target is decided only when the figure's bootstrap
 * interval (from the run's own block-to-block spread) lies wholly on one side of it.
 */
import { describe, expect, it } from "vitest";
import { verdictWithin } from "../../bench/lib/report.js";
import { bootstrapInterval } from "../../bench/lib/stats.js";

/** `n` block values around `center`, spread evenly over ±`spread` (deterministic). */
const blocks = (center: number, spread: number, n = 12): number[] =>
  Array.from({ length: n }, (_, i) => center * (1 - spread + (2 * spread * i) / (n - 1)));

const ratio = ([a, b]: readonly number[]): number => b! / a!;

describe("bootstrapInterval", () => {
  it("holds the ratio of the medians, and narrows as the blocks agree", () => {
    const tight = bootstrapInterval([blocks(1_000, 0.02), blocks(1_300, 0.02)], ratio);
    expect(tight.low).toBeLessThanOrEqual(1.3);
    expect(tight.high).toBeGreaterThanOrEqual(1.3);
    expect(tight.high - tight.low).toBeLessThan(0.05);
    const loose = bootstrapInterval([blocks(1_000, 0.3), blocks(1_300, 0.3)], ratio);
    expect(loose.high - loose.low).toBeGreaterThan(5 * (tight.high - tight.low));
  });

  it("gives the same interval for the same data (seeded)", () => {
    const sets = [blocks(1_000, 0.2), blocks(1_040, 0.2)];
    expect(bootstrapInterval(sets, ratio)).toEqual(bootstrapInterval(sets, ratio));
  });

  it("is not a number when more resamples than a tail give no value (a division by ~0)", () => {
    const nearZero = [-1, 1, -1, 1, 0, 0, 0, 0, -1, 1];
    const interval = bootstrapInterval([nearZero], ([m]) => 1 / m!);
    expect(Number.isNaN(interval.low) && Number.isNaN(interval.high)).toBe(true);
    expect(verdictWithin(interval, 1.05)).toBe("unresolved");
  });

  it("gives the figure of each half of the run, the sets in the order they were measured", () => {
    const drifting = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2];
    const steady = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    expect(bootstrapInterval([steady, drifting], ratio).halves).toEqual([1, 2]);
    expect(bootstrapInterval([[5]], ([m]) => m!).halves).toBeUndefined();
  });

  it("is not a number when a set has no blocks", () => {
    const interval = bootstrapInterval([[], blocks(1_000, 0.1)], ratio);
    expect(Number.isNaN(interval.low) && Number.isNaN(interval.high)).toBe(true);
  });
});

describe("verdictWithin", () => {
  it("passes or misses only when the whole interval is on one side of the limit", () => {
    expect(verdictWithin({ low: 0.97, high: 1.04 }, 1.05)).toBe("pass");
    expect(verdictWithin({ low: 1.12, high: 1.3 }, 1.05)).toBe("miss");
    expect(verdictWithin({ low: 0.95, high: 1.12 }, 1.05)).toBe("unresolved");
    expect(verdictWithin({ low: Number.NaN, high: Number.NaN }, 1.05)).toBe("unresolved");
  });

  it("decides nothing that one half of the run contradicts (drift across the run)", () => {
    expect(verdictWithin({ low: 1.1, high: 1.3, halves: [1.02, 1.25] }, 1.05)).toBe("unresolved");
    expect(verdictWithin({ low: 0.9, high: 1.0, halves: [0.95, 1.07] }, 1.05)).toBe("unresolved");
    expect(verdictWithin({ low: 1.1, high: 1.3, halves: [1.12, 1.25] }, 1.05)).toBe("miss");
    expect(verdictWithin({ low: 0.9, high: 1.0, halves: [0.95, 0.99] }, 1.05)).toBe("pass");
  });

  it("decides nothing from fewer than 8 samples in a set, however narrow the interval", () => {
    const few = bootstrapInterval([blocks(1_000, 0.02, 5), blocks(1_300, 0.02, 5)], ratio);
    expect(few.fewest).toBe(5);
    expect(verdictWithin(few, 1.05)).toBe("unresolved");
    expect(verdictWithin(bootstrapInterval([blocks(1_000, 0.02, 8), blocks(1_300, 0.02)], ratio), 1.05)).toBe(
      "miss",
    );
  });

  it("decides a noisy 3 % difference against a 5 % target as unresolved, a clear 30 % one as a miss", () => {
    const noisy = bootstrapInterval([blocks(1_000, 0.2), blocks(1_030, 0.2)], ratio);
    expect(verdictWithin(noisy, 1.05)).toBe("unresolved");
    const clear = bootstrapInterval([blocks(1_000, 0.05), blocks(1_300, 0.05)], ratio);
    expect(verdictWithin(clear, 1.05)).toBe("miss");
  });
});
