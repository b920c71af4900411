/**
 * Runs the benchmarks in one process against one mock host and returns the report. `run.ts` is the
 * CLI around it; the smoke test calls it with tiny iteration counts.
 *
 * To add a benchmark: a module exporting `runXxx(ctx: BenchContext): Promise<Section>` (see
 * lib/context.ts and lib/report.ts), one line in `benchmarks` below, and its iteration counts in
 * lib/config.ts if it needs any. Sections are numbered in this order in docs/benchmarks.md.
 */
import { performance } from "node:perf_hooks";
import { runEngine } from "./engine.js";
import { runFailover } from "./failover.js";
import type { BenchConfig } from "./lib/config.js";
import type { BenchContext } from "./lib/context.js";
import { getGc } from "./lib/gc.js";
import { type LibraryBuild, loadLibrary } from "./lib/library.js";
import { loadAverage, machineInfo, machineIsBusy } from "./lib/machine.js";
import { describePacing } from "./lib/pacing.js";
import { startMockHost } from "./lib/remote-mocks.js";
import { renderReport, type Section } from "./lib/report.js";
import { runMemory } from "./memory.js";
import { runOverhead } from "./overhead.js";
import { runThroughput } from "./throughput.js";
import { runTransport } from "./transport.js";

export const benchmarks = {
  overhead: runOverhead,
  transport: runTransport,
  throughput: runThroughput,
  memory: runMemory,
  engine: runEngine,
  failover: runFailover,
} as const;

export type BenchmarkName = keyof typeof benchmarks;
export const benchmarkNames = Object.keys(benchmarks) as BenchmarkName[];

export interface HarnessOptions {
  config: BenchConfig;
  only?: readonly BenchmarkName[];
  command: string;
  /** Which build of the library to measure. @default "bundle" */
  build?: LibraryBuild;
  log?: (message: string) => void;
}

export interface HarnessResult {
  sections: Section[];
  markdown: string;
}

export const runBenchmarks = async (options: HarnessOptions): Promise<HarnessResult> => {
  const started = performance.now();
  const date = new Date();
  const machine = machineInfo();
  let busy = machineIsBusy();
  const log = options.log ?? (() => {});
  const build = options.build ?? "bundle";
  const lib = await loadLibrary(build);
  const host = await startMockHost();
  const ctx: BenchContext = { config: options.config, host, gc: getGc(), log, lib, build };
  const sections: Section[] = [];
  try {
    for (const name of options.only ?? benchmarkNames) {
      const t0 = performance.now();
      sections.push(await benchmarks[name](ctx));
      busy ||= machineIsBusy(1.5);
      log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await host.close();
  }
  const { config } = options;
  const markdown = renderReport(
    {
      date,
      command: options.command,
      mode: config.mode,
      durationMs: performance.now() - started,
      machine,
      loadAverageAtEnd: loadAverage(),
      busy,
      settings: [
        build === "bundle"
          ? "Library build: `src/` bundled by esbuild the way tsup builds `dist/` (ESM, node22, no `keepNames`): the code users run."
          : "Library build: the TypeScript source through tsx (`--source`), which compiles with `keepNames` (a `__name()` call per function created at run time): slower per call than what ships.",
        `Pacing: short replies ${describePacing(config.pacing.short)}; long replies of ${config.pacing.long.events} events; ` +
          `transport trade-off at ${config.pacing.transportEvents.join(", ")} events; throughput ${describePacing(config.pacing.sustained)}.`,
        `Overhead: ${config.overhead.rounds} rounds × ${config.overhead.blockSize} short calls and ${config.overhead.longRounds} × ` +
          `${config.overhead.longBlockSize} long calls per variant for the first provider (${config.overhead.otherRounds} and ` +
          `${config.overhead.otherLongRounds} rounds for the others), after ${config.overhead.warmupRounds} warm-up rounds.`,
        `Throughput: concurrency ${config.sustained.concurrency.join(" and ")}, ${config.sustained.windowMs} ms windows after ${config.sustained.warmupMs} ms of warm-up.`,
        `Memory: ${config.memory.streams} streams held open at once per side.`,
        `Engine alone: ${config.engine.rounds} rounds × ${config.engine.callsPerRound} calls per side, sequential and at concurrency ${config.engine.concurrency}.`,
        `Failover: ${config.failover.firstCalls} first calls (a fresh client each), ${config.failover.openBreakerCalls} calls with the breaker open, ` +
          `${config.failover.blackHoleSequences} black-hole sequence(s) of ${config.failover.blackHoleCallsPerSequence} calls with \`deadlines.headersMs: ${config.failover.headersMs}\`.`,
        ...(options.only && options.only.length < benchmarkNames.length
          ? [`Only: ${options.only.join(", ")}.`]
          : []),
      ],
    },
    sections,
  );
  return { sections, markdown };
};
