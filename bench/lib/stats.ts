/** Summary statistics of a sample set (milliseconds, microseconds, bytes: unit-agnostic). */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** The q-quantile (0..1) of ascending `sorted`, by linear interpolation between closest ranks. */
export const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
};

export const summarize = (samples: readonly number[]): Summary => {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, x) => acc + x, 0);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
};

export const median = (samples: readonly number[]): number => summarize(samples).median;

/** A small seeded generator (mulberry32): the same run of resamples every time for the same data. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface Interval {
  low: number;
  high: number;
  /** The fewest samples any set had: below ~8 a bootstrap interval of a median is too narrow to trust. */
  fewest: number;
  /**
   * The statistic of the first half of every set and of the second half (sets in the order they
   * were measured, e.g. one block per round): a verdict must hold in both halves of the run alone
   * (see `verdictWithin`). Resampling cannot see a drift of the machine across the run; the halves
   * can. Absent when a set has fewer than two samples.
   */
  halves?: readonly [number, number];
}

/**
 * A percentile-bootstrap interval (90 % by default) of a statistic of several sample sets' medians —
 * e.g. the ratio of two variants' median CPU per block. Each set is resampled with replacement on
 * its own; the statistic is recomputed from the resampled medians. What one run's noise allows a
 * figure to be: a target inside the interval is not decided by this run.
 */
export const bootstrapInterval = (
  sets: readonly (readonly number[])[],
  statistic: (medians: readonly number[]) => number,
  options: { iterations?: number; confidence?: number; seed?: number } = {},
): Interval => {
  const iterations = options.iterations ?? 2_000;
  const tail = (1 - (options.confidence ?? 0.9)) / 2;
  const random = seededRandom(options.seed ?? 12);
  const fewest = Math.min(...sets.map((set) => set.length));
  if (fewest === 0) return { low: Number.NaN, high: Number.NaN, fewest };
  const halfOf = (part: 0 | 1): number =>
    statistic(
      sets.map((set) => median(part === 0 ? set.slice(0, set.length >> 1) : set.slice(set.length >> 1))),
    );
  const halves = fewest >= 2 ? ({ halves: [halfOf(0), halfOf(1)] } as const) : {};
  const values: number[] = [];
  const scratch = sets.map((set) => new Array<number>(set.length));
  for (let i = 0; i < iterations; i++) {
    const medians = sets.map((set, k) => {
      const resample = scratch[k]!;
      for (let j = 0; j < set.length; j++) resample[j] = set[Math.floor(random() * set.length)]!;
      return quantile(
        resample.sort((a, b) => a - b),
        0.5,
      );
    });
    values.push(statistic(medians));
  }
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  // More resamples without a value (a division by ~0) than a tail holds: no interval to speak of.
  if (iterations - sorted.length > tail * iterations)
    return { low: Number.NaN, high: Number.NaN, fewest, ...halves };
  return { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), fewest, ...halves };
};
