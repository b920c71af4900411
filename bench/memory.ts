/**
 * Benchmark 4: memory per in-flight call. N streams held open at once against a mock that stops
 * sending (before the first token, or mid-reply), direct SDK vs through the engine; heap delta / N
 * after a full GC on both sides of the measurement.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import type { FailoverClient } from "../src/index.js";
import { faults, type MockFault } from "../src/testing/index.js";
import type { BenchContext } from "./lib/context.js";
import { settleHeap } from "./lib/gc.js";
import { MAX_TOKENS, openAIKit, PROMPT, type ProviderKit } from "./lib/providers.js";
import type { RemoteMock } from "./lib/remote-mocks.js";
import { fmtBytes, fmtCount, fmtSigned, type Section } from "./lib/report.js";
import { row } from "./lib/rows.js";
import { sleep, waitUntil } from "./lib/timing.js";

const request = { messages: [{ role: "user" as const, content: PROMPT }], maxTokens: MAX_TOKENS };

interface Scenario {
  label: string;
  fault: MockFault;
  streams: number;
  /** Content events each stream must have received before it is measured; 0 = none (waiting for the first). */
  events: number;
}

/** Holds `n` streams open, then measures; returns heap bytes per stream. */
type Holder = (
  n: number,
  events: number,
  signal: AbortSignal,
) => Promise<{ tasks: Promise<unknown>[]; reached: () => number }>;

const holdDirect =
  (kit: ProviderKit): Holder =>
  async (n, events, signal) => {
    let reached = 0;
    const tasks = Array.from({ length: n }, () =>
      kit
        .directStream(performance.now(), {
          signal,
          onContent: (count) => {
            if (count === events) reached++;
          },
        })
        .catch(() => {}),
    );
    return { tasks, reached: () => reached };
  };

const holdWrapped =
  (client: FailoverClient): Holder =>
  async (n, events, signal) => {
    let reached = 0;
    const tasks = Array.from({ length: n }, async () => {
      const stream = client.stream(request);
      signal.addEventListener("abort", () => stream.abort(), { once: true });
      let count = 0;
      try {
        for await (const event of stream) {
          if (event.type === "text" && ++count === events) reached++;
        }
      } catch {
        // aborted at the end of the measurement
      }
    });
    return { tasks, reached: () => reached };
  };

const measure = async (
  ctx: BenchContext,
  mock: RemoteMock,
  hold: Holder,
  scenario: Scenario,
  n: number,
): Promise<number> => {
  await mock.setDefault(scenario.fault);
  const t0 = performance.now();
  const before = await settleHeap(ctx.gc);
  const t1 = performance.now();
  const controller = new AbortController();
  const { tasks, reached } = await hold(n, scenario.events, controller.signal);
  try {
    if (scenario.events > 0) {
      await waitUntil(() => reached() >= n, 60_000, `${n} streams to receive ${scenario.events} events`);
    } else {
      await waitUntil(async () => (await mock.stats()).inFlight >= n, 60_000, `${n} requests in flight`);
      // Let the client read the response head (headers, role chunk) of every stream.
      await sleep(300);
    }
    const t2 = performance.now();
    const after = await settleHeap(ctx.gc);
    const t3 = performance.now();
    if (process.env.BENCH_DEBUG)
      ctx.log(`gc ${(t1 - t0).toFixed(0)} hold ${(t2 - t1).toFixed(0)} gc ${(t3 - t2).toFixed(0)}`);
    return (after - before) / n;
  } finally {
    controller.abort();
    await Promise.all(tasks);
    await waitUntil(async () => (await mock.stats()).inFlight === 0, 30_000, "the mock to drain");
    await mock.reset();
    if (process.env.BENCH_DEBUG) ctx.log(`drain ${(performance.now() - t0).toFixed(0)}`);
  }
};

export const runMemory = async (ctx: BenchContext): Promise<Section> => {
  const n = ctx.config.memory.streams;
  const longEvents = ctx.config.memory.longStreamEvents;
  const longStreams = Math.max(1, Math.min(n, ctx.config.memory.longStreams));
  // V8 drops the bytecode of functions idle for a while during GCs, which moves heapUsed by a few
  // MB between two measurements; keep it for the duration of this benchmark.
  setFlagsFromString("--no-flush-bytecode");
  const mock = await ctx.host.start("memory-openai", "openai");
  const kit = openAIKit(ctx.lib, mock);
  const client = ctx.lib.createClient({ providers: [kit.adapter()] });
  const scenarios: Scenario[] = [
    { label: "waiting for the first token", fault: faults.slowFirstToken(300_000), streams: n, events: 0 },
    { label: "mid-reply, after 1 content event", fault: faults.stall(1), streams: n, events: 1 },
    {
      label: `mid-reply, after ${fmtCount(longEvents)} content events`,
      fault: faults.stall(longEvents, { reply: { text: "abcdefgh".repeat(longEvents + 1), chunkSize: 8 } }),
      streams: longStreams,
      events: longEvents,
    },
  ];
  const rows = [];
  const perStream: { direct: number; wrapped: number }[] = [];
  for (const scenario of scenarios) {
    ctx.log(`memory: ${scenario.streams} streams ${scenario.label}`);
    // Warm-up: code paths, lazily built SDK internals, connection pool.
    const warmup = Math.min(ctx.config.memory.warmupStreams, scenario.streams);
    if (warmup > 0) {
      await measure(ctx, mock, holdDirect(kit), scenario, warmup);
      await measure(ctx, mock, holdWrapped(client), scenario, warmup);
    }
    const direct = await measure(ctx, mock, holdDirect(kit), scenario, scenario.streams);
    const wrapped = await measure(ctx, mock, holdWrapped(client), scenario, scenario.streams);
    perStream.push({ direct, wrapped });
    rows.push(
      row(
        `${fmtCount(scenario.streams)} streams ${scenario.label}`,
        fmtBytes(direct),
        fmtBytes(wrapped),
        fmtSigned(wrapped - direct, fmtBytes),
      ),
    );
  }
  const [, one, long] = perStream;
  const notes: string[] = [];
  if (one && long) {
    const growth = (long.wrapped - long.direct - (one.wrapped - one.direct)) / (longEvents - 1);
    notes.push(
      `Growth with the events already streamed (engine's extra, per event): ${fmtSigned(growth, fmtBytes)} ` +
        `(from the difference between the 1-event and the ${fmtCount(longEvents)}-event rows). The reply text ` +
        "itself, which a stream keeps for `result()`, needs about 35 B per 8-character event; anything above that " +
        "is engine state retained per event until the stream ends.",
    );
  }
  return {
    id: "memory",
    heading: "Memory per in-flight stream",
    intro: [
      "Many `stream()` calls held open at once against the OpenAI mock, which stops sending (before the first " +
        "token, or mid-reply), vs the same number of SDK streams (`create({ stream: true })`). The number is " +
        "`heapUsed` after a full GC with the streams open, minus before, divided by the streams. Socket buffers " +
        "outside the V8 heap are not included. The mock runs in another process, so its memory is not counted.",
    ],
    tables: [
      {
        title: "Heap per in-flight stream (OpenAI adapter)",
        columns: ["measure", "direct SDK", "ai-failover", "added", "target", "result"],
        rows,
        notes,
      },
    ],
    notes: [],
  };
};
