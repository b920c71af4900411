/**
 * Benchmark 5: the engine alone. An in-memory adapter (no I/O) called directly vs
 * through `createClient(...)`: calls per second, sequential and concurrent, and the engine's cost
 * per call (the CPU it adds when nothing else is going on).
 */
import { performance } from "node:perf_hooks";
import type { ProviderRequest } from "../src/spec/request.js";
import type { BenchContext } from "./lib/context.js";
import { drainAdapterStream, InMemoryAdapter } from "./lib/in-memory-adapter.js";
import { fmtRate, fmtRatio, fmtSigned, fmtUs, type Row, type Section } from "./lib/report.js";
import { row } from "./lib/rows.js";

const TARGET_ADDED_US = 50;
const TARGET_PER_EVENT_US = 2;

const messages = [{ role: "user" as const, content: "Say hello." }];
const providerRequest: ProviderRequest = { model: "in-memory-model", messages };

interface Measured {
  calls: number;
  ms: number;
  cpuUs: number;
}

const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Runs `calls` calls of `fn`, `concurrency` at a time (1 = sequential). */
const runRound = async (
  fn: () => Promise<unknown>,
  calls: number,
  concurrency: number,
): Promise<Measured> => {
  const cpu0 = cpuNow();
  const t0 = performance.now();
  if (concurrency <= 1) {
    for (let i = 0; i < calls; i++) await fn();
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < calls) {
        next++;
        await fn();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  return { calls, ms: performance.now() - t0, cpuUs: cpuNow() - cpu0 };
};

const add = (a: Measured, b: Measured): Measured => ({
  calls: a.calls + b.calls,
  ms: a.ms + b.ms,
  cpuUs: a.cpuUs + b.cpuUs,
});

/** ABBA rounds of direct and wrapped; totals per side. */
const alternate = async (
  direct: () => Promise<unknown>,
  wrapped: () => Promise<unknown>,
  rounds: number,
  calls: number,
  concurrency: number,
): Promise<{ direct: Measured; wrapped: Measured }> => {
  await runRound(direct, Math.ceil(calls / 2), concurrency);
  await runRound(wrapped, Math.ceil(calls / 2), concurrency);
  let d: Measured = { calls: 0, ms: 0, cpuUs: 0 };
  let w: Measured = { calls: 0, ms: 0, cpuUs: 0 };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      d = add(d, await runRound(direct, calls, concurrency));
      w = add(w, await runRound(wrapped, calls, concurrency));
    } else {
      w = add(w, await runRound(wrapped, calls, concurrency));
      d = add(d, await runRound(direct, calls, concurrency));
    }
  }
  return { direct: d, wrapped: w };
};

const rowsFor = (
  label: string,
  measured: { direct: Measured; wrapped: Measured },
  targetLabel: string | undefined,
): Row[] => {
  const rate = (m: Measured): number => (m.calls * 1000) / m.ms;
  const perCallUs = (m: Measured): number => (m.ms * 1000) / m.calls;
  const cpuPerCallUs = (m: Measured): number => m.cpuUs / m.calls;
  const addedTime = perCallUs(measured.wrapped) - perCallUs(measured.direct);
  const addedCpu = cpuPerCallUs(measured.wrapped) - cpuPerCallUs(measured.direct);
  return [
    row(
      `${label}: calls per second`,
      fmtRate(rate(measured.direct)),
      fmtRate(rate(measured.wrapped)),
      fmtRatio(rate(measured.wrapped) / rate(measured.direct)),
    ),
    row(
      `${label}: wall time per call`,
      fmtUs(perCallUs(measured.direct)),
      fmtUs(perCallUs(measured.wrapped)),
      fmtSigned(addedTime, fmtUs),
    ),
    row(
      `${label}: CPU per call`,
      fmtUs(cpuPerCallUs(measured.direct)),
      fmtUs(cpuPerCallUs(measured.wrapped)),
      fmtSigned(addedCpu, fmtUs),
      targetLabel
        ? { text: `≤ +${TARGET_ADDED_US} µs`, ok: addedCpu <= TARGET_ADDED_US, label: targetLabel }
        : undefined,
    ),
  ];
};

export const runEngine = async (ctx: BenchContext): Promise<Section> => {
  const { rounds, callsPerRound, concurrency, longStreamParts } = ctx.config.engine;
  const adapter = new InMemoryAdapter();
  const client = ctx.lib.createClient({ providers: [adapter] });
  const jsonClient = ctx.lib.createClient({ providers: [adapter], transport: "json" });
  const request = { messages };
  const sanity = await client.chat(request);
  if (sanity.text !== "Hello Hello Hello Hello ") throw new Error(`throughput sanity: ${sanity.text}`);

  const streamDirect = () => drainAdapterStream(adapter, providerRequest);
  const jsonDirect = () =>
    adapter.generate(providerRequest, { signal: new AbortController().signal, timeoutMs: 600_000 });
  const streamEvents = async (): Promise<void> => {
    for await (const _event of client.stream(request)) {
      // drain
    }
  };

  ctx.log("engine: chat() sequential");
  const chatSeq = await alternate(streamDirect, () => client.chat(request), rounds, callsPerRound, 1);
  ctx.log("engine: chat(json) sequential");
  const jsonSeq = await alternate(jsonDirect, () => jsonClient.chat(request), rounds, callsPerRound, 1);
  ctx.log("engine: stream() sequential");
  const streamSeq = await alternate(streamDirect, streamEvents, rounds, callsPerRound, 1);
  ctx.log(`engine: chat() at concurrency ${concurrency}`);
  const chatConc = await alternate(
    streamDirect,
    () => client.chat(request),
    rounds,
    callsPerRound,
    concurrency,
  );

  // A long conversation: request validation and mapping scale with the history sent on every call.
  const historyLength = 100;
  const history = Array.from({ length: historyLength }, (_, i) => ({
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `Message ${i}: ${"lorem ipsum dolor sit amet ".repeat(20)}`,
  }));
  const longRequest = { messages: history };
  const longProviderRequest: ProviderRequest = { model: "in-memory-model", messages: history };
  ctx.log(`engine: chat(json) with a ${historyLength}-message history`);
  const historySeq = await alternate(
    () => adapter.generate(longProviderRequest, { signal: new AbortController().signal, timeoutMs: 600_000 }),
    () => jsonClient.chat(longRequest),
    rounds,
    Math.max(10, Math.round(callsPerRound / 5)),
    1,
  );

  // Per streamed event, engine alone: a long in-memory stream.
  const longParts = longStreamParts;
  const longAdapter = new InMemoryAdapter("memory-long", longParts);
  const longClient = ctx.lib.createClient({ providers: [longAdapter] });
  const longStreams = Math.max(2, Math.round(callsPerRound / 100));
  ctx.log(`engine: stream() of ${longParts} parts`);
  const long = await alternate(
    () => drainAdapterStream(longAdapter, providerRequest),
    async () => {
      for await (const _event of longClient.stream(request)) {
        // drain
      }
    },
    rounds,
    longStreams,
    1,
  );
  const perEventUs = (m: Measured): number => m.cpuUs / m.calls / longParts;
  const addedPerEvent = perEventUs(long.wrapped) - perEventUs(long.direct);

  return {
    id: "engine",
    heading: "The engine alone",
    intro: [
      "An in-memory adapter (implements `ProviderAdapter`, no I/O: a stream of 4 text parts and a finish part, " +
        "or one response object) called directly vs through `createClient({ providers: [adapter] })`. With no " +
        "network and no SDK, the difference is the engine's own cost per call: request validation, the attempt " +
        "loop, deadlines, breaker bookkeeping, result assembly. The direct side drains `adapter.stream()` (or " +
        "awaits `adapter.generate()`) by hand.",
    ],
    tables: [
      {
        title: "Engine alone (in-memory adapter)",
        columns: ["measure", "adapter directly", "through the engine", "ratio / added", "target", "result"],
        rows: [
          ...rowsFor("chat() sequential", chatSeq, "engine alone: added CPU per chat() call"),
          ...rowsFor(
            'chat({ transport: "json" }) sequential',
            jsonSeq,
            "engine alone: added CPU per chat(json) call",
          ),
          ...rowsFor("stream() sequential", streamSeq, "engine alone: added CPU per stream() call"),
          ...rowsFor(`chat() at concurrency ${concurrency}`, chatConc, undefined),
          ...rowsFor(
            `chat({ transport: "json" }) with a ${historyLength}-message history (~${Math.round(JSON.stringify(history).length / 1024)} KiB)`,
            historySeq,
            undefined,
          ).slice(2),
          row(
            `stream() of ${longParts.toLocaleString("en-US")} parts: CPU per event`,
            fmtUs(perEventUs(long.direct)),
            fmtUs(perEventUs(long.wrapped)),
            fmtSigned(addedPerEvent, fmtUs),
            {
              text: `≤ +${TARGET_PER_EVENT_US} µs`,
              ok: addedPerEvent <= TARGET_PER_EVENT_US,
              label: "engine alone: added CPU per streamed event",
            },
          ),
        ],
        notes: [
          `${rounds} rounds × ${callsPerRound.toLocaleString("en-US")} calls per side, alternating. CPU is ` +
            "`process.cpuUsage()` over each round (it includes the garbage collector's threads).",
        ],
      },
    ],
    notes: [],
  };
};
