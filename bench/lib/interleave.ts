import { performance } from "node:perf_hooks";
import { summarize } from "./stats.js";

/**
 * One measured operation, started at `start` (a `performance.now()`): it resolves with its own
 * sample (e.g. time to first text, ms from `start`; negative when it has none) or nothing.
 */
export type Variant = (start: number) => Promise<unknown>;

export interface VariantSamples {
  /** Elapsed ms of every call. */
  elapsed: number[];
  /** The variant's own samples (ms), when it returns them. */
  metric: number[];
  /** CPU µs (user + system) per call, one value per block. */
  cpuUsPerCall: number[];
  /**
   * The same, of the main thread only (`process.threadCpuUsage()`): without the garbage collector's
   * and the compiler's helper threads, whose share of a block varies with timing.
   */
  threadCpuUsPerCall: number[];
}

export interface InterleaveOptions {
  /** Rounds thrown away first (JIT, connection pools, caches). */
  warmupRounds: number;
  /** Measured rounds: in each, every variant runs one block. */
  rounds: number;
  /** Calls per block. */
  blockSize: number;
  /**
   * Calls in flight at once within a block; their starts are spread over `staggerMs` so that
   * paced replies do not all fall on the same timer tick. @default 1 (sequential)
   */
  concurrency?: number;
  staggerMs?: number;
  /** Called after each round (progress). */
  onRound?: (round: number) => void;
}

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** The main thread's CPU µs (`process.threadCpuUsage`, Node 22.23+; NaN where it is missing). */
const threadCpuNow = (): number => {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return usage ? usage.user + usage.system : Number.NaN;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The order of round `r`: rotated by `r`, reversed every other round, so no variant keeps a place. */
export const roundOrder = <T>(items: readonly T[], round: number): T[] => {
  const n = items.length;
  const rotated = items.map((_, i) => items[(i + round) % n]!);
  return Math.floor(round / n) % 2 === 1 ? rotated.reverse() : rotated;
};

const runBlock = async (
  variant: Variant,
  options: InterleaveOptions,
  into: VariantSamples | undefined,
): Promise<void> => {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const cpuStart = cpuNow();
  const threadCpuStart = threadCpuNow();
  const one = async (): Promise<void> => {
    const start = performance.now();
    const sample = await variant(start);
    const elapsed = performance.now() - start;
    if (!into) return;
    into.elapsed.push(elapsed);
    if (typeof sample === "number" && sample >= 0) into.metric.push(sample);
  };
  if (concurrency === 1) {
    for (let i = 0; i < options.blockSize; i++) await one();
  } else {
    let next = 0;
    const stagger = (options.staggerMs ?? 0) / concurrency;
    const worker = async (index: number): Promise<void> => {
      if (stagger > 0) await sleep(stagger * index);
      while (next < options.blockSize) {
        next++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  }
  if (!into) return;
  into.cpuUsPerCall.push((cpuNow() - cpuStart) / options.blockSize);
  into.threadCpuUsPerCall.push((threadCpuNow() - threadCpuStart) / options.blockSize);
};

/**
 * Runs every variant in blocks, round after round, each round in another order (see `roundOrder`):
 * drift, load from other processes and garbage collection fall on every variant alike. Records
 * each call's latency and sample, and each block's CPU time (`process.cpuUsage()`, this process).
 */
export const interleave = async <K extends string>(
  variants: Record<K, Variant>,
  options: InterleaveOptions,
): Promise<Record<K, VariantSamples>> => {
  const names = Object.keys(variants) as K[];
  const out = Object.fromEntries(
    names.map((name) => [
      name,
      { elapsed: [], metric: [], cpuUsPerCall: [], threadCpuUsPerCall: [] } satisfies VariantSamples,
    ]),
  ) as unknown as Record<K, VariantSamples>;
  for (let round = 0; round < options.warmupRounds; round++) {
    for (const name of roundOrder(names, round)) await runBlock(variants[name], options, undefined);
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const name of roundOrder(names, round)) await runBlock(variants[name], options, out[name]);
    options.onRound?.(round);
  }
  return out;
};

/**
 * CPU µs per call: the median of the blocks' values. A block that happens to hold a full garbage
 * collection, or a burst of load from another process, moves a mean by tens of µs; the median of
 * interleaved blocks does not.
 */
export const cpuPerCallOf = (samples: VariantSamples): number => summarize(samples.cpuUsPerCall).median;

/** Main-thread CPU µs per call: the median of the blocks' values (see `cpuPerCallOf`). */
export const threadCpuPerCallOf = (samples: VariantSamples): number =>
  summarize(samples.threadCpuUsPerCall).median;

export const medianElapsed = (samples: VariantSamples): number => summarize(samples.elapsed).median;
export const medianMetric = (samples: VariantSamples): number => summarize(samples.metric).median;
