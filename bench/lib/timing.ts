import { performance } from "node:perf_hooks";

/**
 * One measured operation. When it resolves with a number, that is a sample of its own (e.g. time
 * to first token, in ms, measured from its own start); the harness always records the elapsed time.
 */
export type Probe = () => Promise<unknown>;

export interface SideSamples {
  /** Elapsed ms of every call. */
  elapsed: number[];
  /** The probe's own samples (ms), when it returns them. */
  metric: number[];
  /** CPU µs (user + system) per call, one value per block. */
  cpuUsPerCall: number[];
  /** Total CPU µs and calls over all blocks. */
  cpuUs: number;
  calls: number;
}

export interface Paired {
  direct: SideSamples;
  wrapped: SideSamples;
}

export interface CompareOptions {
  /** Blocks (of each side) run first and thrown away: JIT, connection pool, caches. */
  warmupBlocks: number;
  /** Measured blocks of each side. */
  blocks: number;
  /** Sequential calls per block. */
  blockSize: number;
}

const emptySide = (): SideSamples => ({ elapsed: [], metric: [], cpuUsPerCall: [], cpuUs: 0, calls: 0 });

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const runBlock = async (probe: Probe, size: number, into: SideSamples | undefined): Promise<void> => {
  const cpuStart = cpuNow();
  for (let i = 0; i < size; i++) {
    const start = performance.now();
    const sample = await probe();
    const elapsed = performance.now() - start;
    if (!into) continue;
    into.elapsed.push(elapsed);
    if (typeof sample === "number") into.metric.push(sample);
  }
  const cpu = cpuNow() - cpuStart;
  if (!into) return;
  into.cpuUsPerCall.push(cpu / size);
  into.cpuUs += cpu;
  into.calls += size;
};

/**
 * Runs `direct` and `wrapped` in alternating blocks of sequential calls, in ABBA order (A B, B A,
 * A B, …) so drift (thermal, GC pressure, background load) falls on both sides equally. Each call's
 * latency and each block's CPU time (`process.cpuUsage()`, this process only) are recorded.
 */
export const compare = async (
  sides: { direct: Probe; wrapped: Probe },
  options: CompareOptions,
): Promise<Paired> => {
  const result: Paired = { direct: emptySide(), wrapped: emptySide() };
  for (let i = 0; i < options.warmupBlocks; i++) {
    await runBlock(sides.direct, options.blockSize, undefined);
    await runBlock(sides.wrapped, options.blockSize, undefined);
  }
  for (let i = 0; i < options.blocks; i++) {
    const order: ("direct" | "wrapped")[] = i % 2 === 0 ? ["direct", "wrapped"] : ["wrapped", "direct"];
    for (const side of order) await runBlock(sides[side], options.blockSize, result[side]);
  }
  return result;
};

/**
 * CPU µs per call of a side: the mean over its blocks, trimmed of the 10% highest and 10% lowest
 * blocks (a block that happens to hold a major GC of the whole heap, or a burst of load from
 * another process, would otherwise move the mean by tens of µs). Scavenges, which happen every few
 * blocks in proportion to what each side allocates, stay in.
 */
export const cpuPerCall = (side: SideSamples): number => {
  const blocks = [...side.cpuUsPerCall].sort((a, b) => a - b);
  if (blocks.length === 0) return Number.NaN;
  const cut = Math.floor(blocks.length * 0.1);
  const kept = blocks.slice(cut, blocks.length - cut);
  return kept.reduce((sum, x) => sum + x, 0) / kept.length;
};

/** Elapsed ms of one async operation. */
export const timeIt = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every few ms until it returns true; throws after `timeoutMs`. */
export const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
};
