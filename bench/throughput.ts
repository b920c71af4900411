/**
 * Benchmark 3: sustained throughput of one process at realistic pacing. A fixed number of calls
 * in flight (each finished call is replaced at once) through `chat()` and `stream()`, against the
 * SDK alone making the same calls: completed calls per second, CPU per call, and heap per call in
 * flight. At high concurrency the client process runs out of CPU: calls per second then measure
 * how much work one call costs.
 */
import { performance } from "node:perf_hooks";
import type { BenchContext } from "./lib/context.js";
import { type Face, facesFor } from "./lib/faces.js";
import { settleHeap } from "./lib/gc.js";
import { describePacing, jsonDelayMs } from "./lib/pacing.js";
import { fmtBytes, fmtCount, fmtMs, fmtRate, fmtRatio, fmtUs, type Row, type Section } from "./lib/report.js";
import { summarize } from "./lib/stats.js";
import { sleep } from "./lib/timing.js";

interface Window {
  calls: number;
  ms: number;
  cpuUs: number;
  /** Heap per call in flight, measured once in the window (after a full GC). */
  heapPerCall: number;
  latencies: number[];
}

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Keeps `concurrency` calls of `face` in flight (their first starts spread over one healthy call's
 * time, so they do not move in waves) and counts what completes in a window after `warmupMs`. The
 * window lasts `windowMs`, longer if fewer than half the calls in flight completed by then (a
 * saturated process: latency grows), up to five times as long. Midway, a full GC and `heapUsed`
 * against `baseline`.
 */
const sustain = async (
  ctx: BenchContext,
  face: Face,
  concurrency: number,
  baseline: number,
): Promise<Window> => {
  const { warmupMs, windowMs } = ctx.config.sustained;
  const spreadMs = jsonDelayMs(ctx.config.pacing.sustained) / concurrency;
  let stop = false;
  let counting = false;
  let calls = 0;
  const latencies: number[] = [];
  const worker = async (index: number): Promise<void> => {
    await sleep(index * spreadMs);
    while (!stop) {
      const t0 = performance.now();
      await face(t0);
      if (!counting) continue;
      calls++;
      latencies.push(performance.now() - t0);
    }
  };
  const workers = Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  await sleep(warmupMs);
  counting = true;
  const windowStart = performance.now();
  const cpuStart = cpuNow();
  await sleep(windowMs / 2);
  const heapPerCall = ((await settleHeap(ctx.gc)) - baseline) / concurrency;
  await sleep(windowMs / 2);
  while (calls < concurrency / 2 && performance.now() - windowStart < 5 * windowMs) await sleep(windowMs / 2);
  stop = true;
  counting = false;
  const ms = performance.now() - windowStart;
  const cpuUs = cpuNow() - cpuStart;
  await workers;
  return { calls, ms, cpuUs, heapPerCall, latencies };
};

export const runThroughput = async (ctx: BenchContext): Promise<Section> => {
  const { pacing, sustained } = ctx.config;
  const mock = await ctx.host.startPaced("throughput-openai", "openai", pacing.sustained);
  const faces = facesFor(ctx.lib, "openai", mock);
  const pairs: [string, string, Face, Face][] = [
    ["stream()", "SDK stream", faces.sdkStream, faces.stream],
    ["chat()", "SDK JSON call", faces.sdkJson, faces.chat],
  ];
  const rows: Row[] = [];
  for (const concurrency of sustained.concurrency) {
    for (const [label, floorLabel, floorFace, face] of pairs) {
      ctx.log(`throughput: ${label} vs ${floorLabel} at concurrency ${concurrency}`);
      const baseline = await settleHeap(ctx.gc);
      // A B B A: drift and the other processes' load fall on both sides.
      const a1 = await sustain(ctx, floorFace, concurrency, baseline);
      const b1 = await sustain(ctx, face, concurrency, baseline);
      const b2 = await sustain(ctx, face, concurrency, baseline);
      const a2 = await sustain(ctx, floorFace, concurrency, baseline);
      const side = (x: Window, y: Window) => ({
        rate: ((x.calls + y.calls) * 1000) / (x.ms + y.ms),
        cpuPerCall: (x.cpuUs + y.cpuUs) / (x.calls + y.calls),
        cpuShare: (x.cpuUs + y.cpuUs) / ((x.ms + y.ms) * 1000),
        heap: (x.heapPerCall + y.heapPerCall) / 2,
        latency: summarize([...x.latencies, ...y.latencies]).median,
      });
      const floor = side(a1, a2);
      const ours = side(b1, b2);
      rows.push({
        cells: [
          `${label} vs ${floorLabel}, ${fmtCount(concurrency)} in flight`,
          `${fmtRate(floor.rate)} · ${fmtRate(ours.rate)} (${fmtRatio(ours.rate / floor.rate)})`,
          `${fmtUs(floor.cpuPerCall)} · ${fmtUs(ours.cpuPerCall)} (${fmtRatio(ours.cpuPerCall / floor.cpuPerCall)})`,
          `${(floor.cpuShare * 100).toFixed(0)} % · ${(ours.cpuShare * 100).toFixed(0)} %`,
          `${fmtMs(floor.latency)} · ${fmtMs(ours.latency)}`,
          `${fmtBytes(floor.heap)} · ${fmtBytes(ours.heap)}`,
        ],
      });
    }
  }
  return {
    id: "throughput",
    heading: "Sustained throughput at realistic pacing",
    intro: [
      `One process keeps N calls in flight against an OpenAI mock paced like a provider (${describePacing(pacing.sustained)}: ` +
        `a healthy call takes about ${fmtMs(jsonDelayMs(pacing.sustained))}), replacing each call as it completes; ` +
        `after ${fmtMs(sustained.warmupMs)} of warm-up, a window of at least ${fmtMs(sustained.windowMs)} (until half the calls in flight ` +
        "completed, up to five times as long) counts the calls that complete. " +
        "Each pair runs twice, A B B A. Every cell reads *SDK alone · through ai-failover*.",
    ],
    tables: [
      {
        title: "Calls per second, CPU and heap per call in flight (OpenAI)",
        columns: [
          "calls",
          "completed calls/s",
          "CPU per call",
          "CPU used (of one core)",
          "median latency",
          "heap per call in flight",
        ],
        rows,
        notes: [
          "When the CPU used nears 100 % of a core (and the mock, in its own process, needs its share of the " +
            "machine too), the process is saturated: calls per second then measure the work per call and latency " +
            "grows. Heap per call in flight: `heapUsed` after a full GC in the middle of the window, minus before " +
            "the run, divided by the calls in flight (socket buffers outside the V8 heap are not included).",
        ],
      },
    ],
    notes: [],
  };
};
